import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { renderBackupsCsv, renderBackupsHtml } from '@dbbackup/catalog';
import { type Command, Option } from 'commander';
import { z } from 'zod';
import { withCatalog } from '../../catalog-io/open-catalog.js';
import { commandAction } from '../../cli/command-action.js';
import type { CommandContext } from '../../cli/command-context.js';
import { addExamples } from '../../cli/help-examples.js';
import { CliError } from '../../errors/cli-errors.js';
import { renderKeyValues } from '../../output/render-table.js';
import { backupDocument } from './backup-document.js';
import { giveFormatFlagTo } from './own-format-option.js';

export const EXPORT_FORMATS = ['csv', 'json', 'html'] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

const exportOptions = z.object({
  format: z.enum(EXPORT_FORMATS).optional(),
  output: z.string().min(1).optional(),
});

/** What `catalog export --output FILE` prints about the file it wrote. */
interface ExportReport {
  output: string;
  format: ExportFormat;
  backups: number;
  bytes: number;
}

/** `dbbackup catalog export`: every backup as CSV, JSON or a self-contained HTML page. */
export function registerCatalogExport(catalog: Command): void {
  const command = catalog
    .command('export')
    .description(
      'every backup in the catalog as CSV (RFC 4180), JSON or a self-contained HTML page, to stdout or --output FILE',
    )
    .addOption(
      new Option(
        '--format <format>',
        'file format; this --format replaces the global one (default: csv, or json when DBBACKUP_FORMAT / .dbbackup.conf say json)',
      ).choices(EXPORT_FORMATS),
    )
    .option('--output <file>', 'write to this file (replaced if it exists) instead of stdout');
  giveFormatFlagTo(catalog, command);
  addExamples(command, [
    {
      description: 'a spreadsheet of every backup',
      command: 'dbbackup catalog export --format csv --output backups.csv',
    },
    {
      description: 'a report page to open in a browser',
      command: 'dbbackup catalog export --format html --output backups.html',
    },
    { description: 'everything as JSON on stdout', command: 'dbbackup catalog export --format json' },
  ]);
  command.action(commandAction((context) => exportCatalog(context)));
}

async function exportCatalog(context: CommandContext): Promise<void> {
  const options = context.options(exportOptions);
  const format: ExportFormat = options.format ?? (context.config.format === 'json' ? 'json' : 'csv');
  const generatedAt = new Date();
  const { text, document, count } = await withCatalog(context, async (catalog) => {
    const records = await catalog.listBackups({ order: 'newest' });
    const document = {
      catalog: catalog.path,
      generated_at: generatedAt.toISOString(),
      backups: records.map(backupDocument),
    };
    const text =
      format === 'csv'
        ? renderBackupsCsv(records)
        : format === 'html'
          ? renderBackupsHtml(records, { generatedAt, stats: await catalog.stats() })
          : `${JSON.stringify(document, null, 2)}\n`;
    return { text, document, count: records.length };
  });
  if (options.output === undefined) {
    // The export is the result. With --format on the command line the global output format is table (see
    // giveFormatFlagTo), so the text is printed as it is; without it, json comes only from a json global format,
    // where the renderer prints the same document.
    context.output.result(document, () => text);
    return;
  }
  const output = resolve(context.cwd, options.output);
  await writeReplacing(output, text);
  const report: ExportReport = { output, format, backups: count, bytes: Buffer.byteLength(text) };
  context.output.result(report, (document) =>
    renderKeyValues([
      ['exported', `${document.backups} backups as ${document.format}`],
      ['file', document.output],
    ]),
  );
}

/** Writes beside the target and renames, so a reader (a web server) never sees half a file. */
async function writeReplacing(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new CliError(
      `cannot write ${path} (${(error as Error).message}); check the directory or choose another --output`,
      2,
      {
        cause: error,
      },
    );
  }
}
