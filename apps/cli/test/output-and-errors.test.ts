import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { hasPasswordArgument } from '../src/cli/refuse-password-arguments.js';
import { ConfigError, PartialFailureError, PasswordArgumentError, UsageError } from '../src/errors/cli-errors.js';
import { ExitCode, exitCodeForError } from '../src/errors/exit-codes.js';
import { formatErrorReport } from '../src/errors/report-error.js';
import { createOutputRenderer } from '../src/output/output-renderer.js';
import { renderKeyValues, renderTable } from '../src/output/render-table.js';
import { MemoryStream } from './support/memory-stream.js';

describe('renderTable', () => {
  it('aligns columns, right-aligns numbers on request and prints missing values as -', () => {
    const text = renderTable(
      [
        { name: 'café', rows: 12, note: null },
        { name: 'b', rows: 1234, note: 'two\nlines' },
      ],
      [
        { header: 'DATABASE', value: (row) => row.name },
        { header: 'ROWS', value: (row) => row.rows, align: 'right' },
        { header: 'NOTE', value: (row) => row.note },
      ],
    );
    expect(text).toBe('DATABASE  ROWS  NOTE\ncafé        12  -\nb         1234  two lines\n');
  });

  it('renders label/value pairs', () => {
    expect(
      renderKeyValues([
        ['node', '24.1.0'],
        ['platform', 'linux x64'],
      ]),
    ).toBe('node      24.1.0\nplatform  linux x64\n');
  });
});

describe('OutputRenderer', () => {
  it('prints one JSON document (bigint as string) and refuses a second result', () => {
    const stdout = new MemoryStream();
    const output = createOutputRenderer(stdout, 'json');
    output.result({ bytes: 12345678901234567890n }, () => 'unused');
    expect(JSON.parse(stdout.text)).toEqual({ bytes: '12345678901234567890' });
    expect(() => output.result({}, () => '')).toThrow('called twice');
  });

  it('prints the human text with a final newline', () => {
    const stdout = new MemoryStream();
    createOutputRenderer(stdout, 'table').result({ n: 1 }, (data) => `n is ${data.n}`);
    expect(stdout.text).toBe('n is 1\n');
  });
});

describe('errors and exit codes', () => {
  it('maps typed errors to exit codes', () => {
    expect(exitCodeForError(new UsageError('x'))).toBe(ExitCode.Error);
    expect(exitCodeForError(new ConfigError('x'))).toBe(ExitCode.Error);
    expect(exitCodeForError(new PasswordArgumentError())).toBe(ExitCode.Error);
    expect(exitCodeForError(new PartialFailureError('x'))).toBe(ExitCode.Warning);
    expect(exitCodeForError(new Error('bug'))).toBe(ExitCode.Error);
    expect(exitCodeForError('a string')).toBe(ExitCode.Error);
    expect(exitCodeForError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toBe(ExitCode.Ok);
    expect(exitCodeForError(new CommanderError(1, 'commander.unknownOption', 'x'))).toBe(ExitCode.Error);
  });

  it('reports one line, or with debug the stack and every cause', () => {
    const root = new Error('connection refused\n  at 127.0.0.1:5432');
    const error = new UsageError('cannot reach the server', { cause: new Error('socket failed', { cause: root }) });
    expect(formatErrorReport(error, false)).toBe('dbbackup: cannot reach the server\n');
    const debug = formatErrorReport(error, true);
    expect(debug.startsWith('dbbackup: cannot reach the server\nUsageError: cannot reach the server\n')).toBe(true);
    expect(debug).toContain('caused by: socket failed\n');
    expect(debug).toContain('caused by: connection refused at 127.0.0.1:5432\n');
    expect(formatErrorReport(new CommanderError(1, 'commander.unknownOption', 'x'), true)).toBe('');
  });
});

describe('hasPasswordArgument', () => {
  const valueFlags = new Set(['d']);
  it.each([
    [['--password'], true],
    [['--password=x'], true],
    [['--pass', 'x'], true],
    [['--passwd=x'], true],
    [['-p'], true],
    [['-px'], true],
    [['-npx'], true],
    [['-dpostgres'], false],
    [['--passphrase-file', 'f'], false],
    [['--port', '5432'], false],
    [['--', '--password'], false],
    [['--host', 'h'], false],
  ])('%j -> %s', (argv, expected) => {
    expect(hasPasswordArgument(argv, valueFlags)).toBe(expected);
  });
});
