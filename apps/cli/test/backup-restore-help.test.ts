import { describe, expect, it } from 'vitest';
import { runBuiltCli } from './support/run-built-cli.js';

describe('help of the backup, restore and verify-backup commands', () => {
  it('restore cluster refuses to run without --confirm before opening the archive', () => {
    const result = runBuiltCli(['restore', 'cluster', '/nonexistent.dbb.tar']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'dbbackup: restore cluster creates roles and databases on the target server; pass --confirm (with --dry-run to only see what it would do)\n',
    );
  });

  it('backup cluster and restore cluster refuse an empty --databases list', () => {
    for (const args of [
      ['backup', 'cluster', '-d', 'postgres', '--databases', ' , '],
      ['restore', 'cluster', '/nonexistent.dbb.tar', '--confirm', '--databases', ''],
    ]) {
      const result = runBuiltCli(args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^dbbackup: --databases names no database: .*--databases shop,crm\n$/);
    }
  });

  it.each([
    [['backup', '--help'], 'single'],
    [['backup', 'single', '--help'], '--verify-restore'],
    [['backup', 'single', '--help'], '--dump-format <format>'],
    [['backup', 'sample', '--help'], '--sample-strategy <strategy>'],
    [['backup', 'cluster', '--help'], '--databases <names>'],
    [['restore', '--help'], 'cluster'],
    [['restore', 'single', '--help'], '--critical-tables <patterns>'],
    [['restore', 'single', '--help'], '--source-database <name>'],
    [['restore', 'cluster', '--help'], '--confirm'],
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
