import { defineConfig } from 'tsup';

export default defineConfig({
  // `backends` loads the cloud SDKs, so it is not part of the main entry. `testing` is the conformance suite every backend runs (and other packages may run against their own backends).
  entry: ['src/index.ts', 'src/backends.ts', 'src/testing/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
});
