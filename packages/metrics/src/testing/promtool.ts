import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PROMTOOL = process.env['PROMTOOL'] ?? '/usr/bin/promtool';

export interface PromtoolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs promtool; a missing promtool fails the test (never a silent skip) with how to install it. */
export function runPromtool(args: readonly string[], stdin = ''): Promise<PromtoolResult> {
  if (!existsSync(PROMTOOL)) {
    throw new Error(`${PROMTOOL} not found: install Debian's prometheus package (apt-get install prometheus)`);
  }
  const child = spawn(PROMTOOL, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `promtool check metrics` with the text on stdin: resolves with its complaints ('' when the text is clean). */
export async function promtoolCheckMetrics(text: string): Promise<string> {
  const result = await runPromtool(['check', 'metrics'], text);
  return result.status === 0
    ? `${result.stdout}${result.stderr}`.trim()
    : `exit ${result.status}: ${result.stderr}${result.stdout}`;
}
