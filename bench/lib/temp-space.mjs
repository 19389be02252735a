// The harness's scratch space: one temp directory for the whole run, removed at the end, also on Ctrl-C.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onInterrupt } from './interrupts.mjs';

export function createTempSpace() {
  const root = mkdtempSync(join(tmpdir(), 'dbbackup-bench-'));
  const remove = () => rmSync(root, { recursive: true, force: true });
  const forget = onInterrupt(remove);
  let counter = 0;
  return {
    root,
    /** A fresh, empty directory under the root; the name prefix only helps when reading a leftover. */
    directory(prefix) {
      counter += 1;
      const path = join(root, `${prefix}-${counter}`);
      mkdirSync(path, { recursive: true });
      return path;
    },
    cleanUp() {
      forget();
      remove();
    },
  };
}

/** Bytes of a file or of everything under a directory: the size of a command's output. */
export function diskBytes(path) {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.size;
  let total = 0;
  for (const entry of readdirSync(path)) total += diskBytes(join(path, entry));
  return total;
}
