import { execFileSync } from 'node:child_process';
import { defineConfig } from 'tsup';

/** The commit this build comes from, for dbbackup_build_info and --version; 'unknown' outside a git checkout. */
function buildCommit(): string {
  try {
    const output = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return output.trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node22',
  define: { __DBBACKUP_COMMIT__: JSON.stringify(buildCommit()) },
});
