import { join } from 'node:path';
import { runPromtool } from '@dbbackup/metrics/testing';
import { describe, expect, it } from 'vitest';
import { appDirectory } from './support/exporter-process.js';

const rules = join(appDirectory, 'alerts/dbbackup.rules.yml');
const rulesTest = join(appDirectory, 'alerts/dbbackup.rules.test.yml');

describe('alerts/dbbackup.rules.yml', () => {
  it('passes promtool check rules', async () => {
    const result = await runPromtool(['check', 'rules', rules]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('SUCCESS: 5 rules found');
  });

  it('passes its unit tests (promtool test rules): every alert fires when it should and only then', async () => {
    const result = await runPromtool(['test', 'rules', rulesTest]);
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
