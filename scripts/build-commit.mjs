// The commit a build comes from, for dbbackup_build_info and --version (tsup `define` in the apps' configs);
// 'unknown' outside a git checkout (a tarball, a registry install).
import { execFileSync } from 'node:child_process';

export function buildCommit() {
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
