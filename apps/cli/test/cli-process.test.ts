import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { appDirectory, emptyDirectory, runBuiltCli } from './support/run-built-cli.js';

const PASSWORD_MESSAGE =
  'dbbackup: --password is not accepted (it would show in the process list and shell history); set PGPASSWORD or ' +
  'use ~/.pgpass for PostgreSQL, MYSQL_PWD or an option file for MySQL/MariaDB\n';

describe('the built dbbackup command', () => {
  it('--help exits 0 and shows the global flags, examples and configuration', () => {
    const result = runBuiltCli(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('-d, --db-type <type>');
    expect(result.stdout).toContain('--no-save-config');
    expect(result.stdout).toContain('Configuration:');
    expect(result.stderr).toBe('');
  });

  it.each([['version'], ['completion']])('%s --help has an Examples section', (command) => {
    const result = runBuiltCli([command, '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('Global Options:');
  });

  it('version prints dbbackup <version>, node and platform', () => {
    const result = runBuiltCli(['version']);
    expect(result.status).toBe(0);
    expect(result.stdout.startsWith(`dbbackup ${packageJson.version}\n`)).toBe(true);
    expect(result.stdout).toContain(process.versions.node);
    expect(result.stdout).toContain(`${process.platform} ${process.arch}`);
    expect(result.stderr).toBe('');
  });

  it.each([
    [['version', '--format', 'json'], {}],
    [['--format=json', 'version'], {}],
    [['version'], { DBBACKUP_FORMAT: 'json' }],
  ])('%j prints exactly one JSON document on stdout', (args, env) => {
    const result = runBuiltCli(args, { env });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      version: packageJson.version,
      node: process.versions.node,
      platform: process.platform,
      arch: process.arch,
    });
    expect(result.stderr).toBe('');
  });

  it('--version prints the version', () => {
    const result = runBuiltCli(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${packageJson.version}\n`);
  });

  it('completion bash is a script bash accepts, listing commands and long options', () => {
    const result = runBuiltCli(['completion', 'bash']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('version');
    expect(result.stdout).toContain('--db-type');
    const file = join(emptyDirectory(), 'dbbackup.bash');
    writeFileSync(file, result.stdout);
    execFileSync('bash', ['-n', file]);
  });

  it('an unknown command exits 2 and suggests the closest one', () => {
    const result = runBuiltCli(['versoin']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("dbbackup: unknown command 'versoin'\n(Did you mean version?)\n");
    expect(result.stdout).toBe('');
  });

  it('an unknown flag exits 2 and suggests the closest one', () => {
    const result = runBuiltCli(['version', '--formt', 'json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("dbbackup: unknown option '--formt'");
    expect(result.stderr).toContain('Did you mean --format?');
  });

  it('a missing command exits 2 with the help on stderr', () => {
    const result = runBuiltCli([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage: dbbackup');
    expect(result.stdout).toBe('');
  });

  it.each([
    ['--password', 'secret', 'version'],
    ['version', '--password=secret'],
    ['--pass', 'secret', 'version'],
    ['--passwd=secret', 'version'],
    ['-p', 'secret', 'version'],
    ['-psecret', 'version'],
    ['-npsecret', 'version'],
  ])('%s %s is refused with exit 2 without echoing the password', (...args) => {
    const result = runBuiltCli(args, { env: { DBBACKUP_DEBUG: '1' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(PASSWORD_MESSAGE);
    expect(result.stderr).not.toContain('secret');
    expect(result.stdout).toBe('');
  });

  it('--db-type oracle exits 2 with one clear line', () => {
    const result = runBuiltCli(['--db-type', 'oracle', 'version']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("dbbackup: invalid --db-type 'oracle': expected one of postgres, mysql, mariadb\n");
  });

  it('an invalid value from the environment names the variable', () => {
    const result = runBuiltCli(['version'], { env: { PGPORT: '70000' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("dbbackup: invalid PGPORT '70000': expected an integer from 1 to 65535\n");
  });

  it('--debug adds the stack trace to an error', () => {
    const result = runBuiltCli(['--debug', '--jobs', '0', 'version']);
    expect(result.status).toBe(2);
    const [first, ...rest] = result.stderr.split('\n');
    expect(first).toBe("dbbackup: invalid --jobs '0': expected a positive integer");
    expect(rest.join('\n')).toMatch(/ConfigError: .*\n\s+at /);
  });

  it('reads .dbbackup.conf from the working directory, warning about unknown keys; --no-config skips it', () => {
    const cwd = emptyDirectory();
    writeFileSync(join(cwd, '.dbbackup.conf'), '# test\nformat = json\nhots = db.example\n');
    const withFile = runBuiltCli(['version'], { cwd });
    expect(withFile.status).toBe(0);
    expect(JSON.parse(withFile.stdout)).toHaveProperty('version', packageJson.version);
    expect(withFile.stderr).toBe(
      "dbbackup: warning: .dbbackup.conf line 3: unknown key 'hots' ignored (did you mean 'host'?)\n",
    );

    const withoutFile = runBuiltCli(['--no-config', 'version'], { cwd });
    expect(withoutFile.status).toBe(0);
    expect(withoutFile.stdout.startsWith('dbbackup ')).toBe(true);
    expect(withoutFile.stderr).toBe('');
  });

  it('runs through the committed bin/dbbackup.js launcher', () => {
    const result = runBuiltCli(['version', '--format', 'json'], { script: join(appDirectory, 'bin/dbbackup.js') });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).version).toBe(packageJson.version);
  });
});
