import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { type OpenedStorage, parseStorageUri, type StorageBackend } from '@dbbackup/cloud';
import type { Command } from 'commander';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { openCliStorage } from '../../cloud-io/open-cli-storage.js';
import { CliError } from '../../errors/cli-errors.js';
import { renderTable } from '../../output/render-table.js';
import { requireCloudFolder } from './cloud-storage.js';

/** One step of `cloud status`, in order: open, list, write, read, delete. */
interface StatusCheck {
  check: 'open' | 'list' | 'write' | 'read' | 'delete';
  status: 'ok' | 'failed' | 'skipped';
  /** How long the call took (null when skipped). */
  ms: number | null;
  detail: string;
}

/** The JSON document of `cloud status`. */
interface CloudStatusReport {
  cloud: string;
  backend: string;
  ok: boolean;
  checks: StatusCheck[];
}

/** A listing stops here: status measures reachability, not the size of the folder. */
const LIST_LIMIT = 1000;

/** `dbbackup cloud status --cloud URI`: can we reach the store, list it, and write, read and delete there? */
export function registerCloudStatus(cloud: Command): void {
  const command = cloud
    .command('status')
    .description(
      'check the --cloud storage: reachable, credentials accepted, listing and a small write/read/delete probe, each with its latency (exit 2 when one fails)',
    );
  addExamples(command, [
    { description: 'check an S3 folder', command: 'dbbackup cloud status --cloud s3://backups/prod/' },
    {
      description: 'an SFTP server with a key, as JSON for monitoring',
      command:
        'dbbackup cloud status --cloud sftp://backup@nas.example.com/srv/backups/ --sftp-key ~/.ssh/id_ed25519 --format json',
    },
  ]);
  command.action(commandAction((context) => cloudStatus(context)));
}

async function cloudStatus(context: CommandContext): Promise<void> {
  const uri = requireCloudFolder(context, 'status');
  const checks: StatusCheck[] = [];
  let backendName: string = parseStorageUri(uri).kind;
  let opened: OpenedStorage | undefined;
  await timed(checks, 'open', async () => {
    opened = await openCliStorage(context, uri);
    backendName = opened.backend.description;
    return `${opened.backend.kind} backend for ${opened.uri}`;
  });
  if (opened !== undefined) {
    try {
      await probe(checks, opened);
    } finally {
      await opened.backend.close();
    }
  }
  const failed = checks.find((check) => check.status === 'failed');
  const report: CloudStatusReport = { cloud: opened?.uri ?? uri, backend: backendName, ok: !failed, checks };
  context.output.result(report, (document) =>
    renderTable(document.checks, [
      { header: 'check', value: (row) => row.check },
      { header: 'status', value: (row) => row.status },
      { header: 'time', value: (row) => (row.ms === null ? null : `${row.ms} ms`), align: 'right' },
      { header: 'detail', value: (row) => row.detail },
    ]),
  );
  if (failed) throw new CliError(`cloud storage ${backendName}: ${failed.check} failed: ${failed.detail}`, 2);
  await context.saveConfigAfterSuccess();
}

/** list, then put/get/delete of `<prefix>.dbbackup-probe-<random>`; after a failure the rest are skipped. */
async function probe(checks: StatusCheck[], opened: OpenedStorage): Promise<void> {
  const { backend, prefix } = opened;
  const key = `${prefix}.dbbackup-probe-${randomBytes(6).toString('hex')}`;
  const body = Buffer.from(`dbbackup cloud status probe ${new Date().toISOString()}\n`);
  let written = false;
  try {
    const steps: Array<[StatusCheck['check'], () => Promise<string>]> = [
      ['list', () => listSome(backend, prefix)],
      [
        'write',
        async () => {
          await backend.put(key, Readable.from([body], { objectMode: false }), { contentLength: body.length });
          written = true;
          return `put ${key} (${body.length} bytes)`;
        },
      ],
      ['read', () => readBack(backend, key, body)],
      [
        'delete',
        async () => {
          await backend.delete(key);
          written = false;
          return `deleted ${key}`;
        },
      ],
    ];
    for (const [name, step] of steps) {
      if (checks.some((check) => check.status === 'failed')) {
        checks.push({ check: name, status: 'skipped', ms: null, detail: 'an earlier check failed' });
      } else {
        await timed(checks, name, step);
      }
    }
  } finally {
    // A probe left by a failed read must not stay behind.
    if (written) await backend.delete(key).catch(() => undefined);
  }
}

async function listSome(backend: StorageBackend, prefix: string): Promise<string> {
  let count = 0;
  for await (const _object of backend.list(prefix)) {
    count += 1;
    if (count >= LIST_LIMIT) return `${LIST_LIMIT}+ objects under '${prefix}'`;
  }
  return `${count} object${count === 1 ? '' : 's'} under '${prefix}'`;
}

async function readBack(backend: StorageBackend, key: string, expected: Buffer): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await backend.get(key)) chunks.push(chunk as Buffer);
  const received = Buffer.concat(chunks);
  if (!received.equals(expected)) {
    throw new Error(
      `read ${received.length} bytes of ${key} but wrote ${expected.length} different ones: the store does not return what it was given`,
    );
  }
  return `got ${key} back intact`;
}

async function timed(checks: StatusCheck[], check: StatusCheck['check'], step: () => Promise<string>): Promise<void> {
  const started = performance.now();
  try {
    const detail = await step();
    checks.push({ check, status: 'ok', ms: Math.round(performance.now() - started), detail });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    checks.push({ check, status: 'failed', ms: Math.round(performance.now() - started), detail });
  }
}
