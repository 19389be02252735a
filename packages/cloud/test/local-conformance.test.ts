import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalBackend } from '../src/backends/local/index.js';
import { runConformanceSuite } from '../src/testing/index.js';

runConformanceSuite('local filesystem', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'dbbackup-cloud-local-'));
  return {
    backend: createLocalBackend({ root }),
    prefix: 'suite/',
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});
