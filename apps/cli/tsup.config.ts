import { defineConfig } from 'tsup';
// The commit hash for dbbackup_build_info and --version, shared with the other app's build config.
import { buildCommit } from '../../scripts/build-commit.mjs';

export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node22',
  define: { __DBBACKUP_COMMIT__: JSON.stringify(buildCommit()) },
});
