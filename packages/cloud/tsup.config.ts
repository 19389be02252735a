import { defineConfig } from 'tsup';

export default defineConfig({
  // `testing` is the conformance suite every backend runs (and other packages may run against their own backends).
  entry: ['src/index.ts', 'src/testing/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
});
