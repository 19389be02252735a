import { defineConfig } from 'tsup';

export default defineConfig({
  // The testing entry (promtool, a text-format reader) is for tests in other packages, like @dbbackup/cloud/testing.
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
});
