import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METRICS } from '@dbbackup/metrics';
import { describe, expect, it } from 'vitest';
import { appDirectory } from './support/exporter-process.js';

describe('README', () => {
  it('lists every metric the exporter serves, with its type', async () => {
    const readme = await readFile(join(appDirectory, 'README.md'), 'utf8');
    for (const definition of Object.values(METRICS)) {
      expect(readme).toContain(`| \`${definition.name}\` | ${definition.type} |`);
    }
  });
});
