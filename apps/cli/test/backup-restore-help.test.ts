import { describe, expect, it } from 'vitest';
import { runBuiltCli } from './support/run-built-cli.js';

describe('help of the backup, restore and verify-backup commands', () => {
  it.each([
    [['backup', '--help'], 'single'],
    [['backup', 'single', '--help'], '--verify-restore'],
    [['restore', '--help'], 'single'],
    [['restore', 'single', '--help'], '--critical-tables <patterns>'],
    [['verify-backup', '--help'], '--deep'],
  ])('%j shows its options, Examples and the global flags', (args, option) => {
    const result = runBuiltCli(args);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(option);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('Global Options:');
  });

  it('restore single validates flag combinations before opening anything', () => {
    const cases: Array<[string[], string]> = [
      [['--clean'], '--confirm'],
      [['--tiered-restore'], '--critical-tables'],
      [['--critical-tables', 'user*'], '--tiered-restore'],
      [['--create', '--clean', '--confirm'], 'use only one of them'],
    ];
    for (const [flags, mention] of cases) {
      const result = runBuiltCli(['restore', 'single', '/nonexistent.dbb.tar', '--target', 'x', ...flags]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(mention);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
