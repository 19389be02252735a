import { formatElapsed, formatPercent, formatSize } from '../format/human-values.js';
import { statsOfRecords } from '../queries/stats-of-records.js';
import type { BackupRecord, CatalogStats, Verification } from '../types.js';
import { escapeHtml } from './escape-html.js';
import { PAGE_STYLE } from './html-page-style.js';

export interface HtmlExportOptions {
  generatedAt: Date;
  title?: string;
  /** The summary on top; computed from `records` when omitted. */
  stats?: CatalogStats;
}

/**
 * One self-contained HTML page (inline CSS, no scripts, fonts or images from anywhere) for people: the summary
 * figures on top, backups per database, then one row per backup. Every value from the catalog is HTML-escaped.
 */
export function renderBackupsHtml(records: readonly BackupRecord[], options: HtmlExportOptions): string {
  const title = options.title ?? 'dbbackup catalog';
  const stats = options.stats ?? statsOfRecords(records);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Generated ${escapeHtml(displayTime(options.generatedAt.toISOString()))} · ${records.length} ${plural(records.length, 'backup')} listed</p>
</header>
${renderSummary(stats)}
${renderPerDatabase(stats)}
<section>
<h2>Backups</h2>
${records.length === 0 ? '<p class="empty">No backups in the catalog yet. Run <code>dbbackup catalog sync DIR</code> or take a backup.</p>' : renderBackupTable(records)}
</section>
<footer>Written by dbbackup. The catalog is a cache of the archives: <code>dbbackup catalog sync DIR</code> rebuilds it.</footer>
</body>
</html>
`;
}

function renderSummary(stats: CatalogStats): string {
  const cards: Array<[string, string, string]> = [
    ['Backups', String(stats.backups), `${stats.successful} ok · ${stats.failed} failed · ${stats.running} running`],
    ['Success rate', stats.successRate === null ? '–' : formatPercent(stats.successRate), 'of finished backups'],
    ['Stored', formatSize(stats.totalBytes) || '0 B', 'in successful backups'],
    ['Newest backup', stats.newest === null ? '–' : displayTime(stats.newest).slice(0, 10), startHint(stats.newest)],
    ['Oldest backup', stats.oldest === null ? '–' : displayTime(stats.oldest).slice(0, 10), startHint(stats.oldest)],
  ];
  const rateClass = stats.successRate === null ? '' : stats.successRate < 1 ? ' warn' : ' good';
  return `<section class="cards">
${cards
  .map(
    ([label, value, hint], index) =>
      `<div class="card${index === 1 ? rateClass : ''}"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div><div class="hint">${escapeHtml(hint)}</div></div>`,
  )
  .join('\n')}
</section>`;
}

function renderPerDatabase(stats: CatalogStats): string {
  if (stats.perDatabase.length === 0) return '';
  const rows = stats.perDatabase
    .map(
      (entry) => `<tr>
<td>${databaseCell(entry.database)}</td><td>${escapeHtml(entry.engine)}</td>
<td class="number">${entry.backups}</td><td class="number">${entry.successful}</td>
<td class="number">${escapeHtml(formatSize(entry.bytes))}</td>
<td>${entry.lastSuccessAt === null ? '<span class="badge failed">never</span>' : timeCell(entry.lastSuccessAt)}</td>
</tr>`,
    )
    .join('\n');
  return `<section>
<h2>Per database</h2>
<table class="compact">
<thead><tr><th>Database</th><th>Engine</th><th class="number">Backups</th><th class="number">Successful</th><th class="number">Size</th><th>Last success</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
}

function renderBackupTable(records: readonly BackupRecord[]): string {
  const rows = records
    .map((record) => {
      const row = `<tr${record.error === null ? '' : ' class="has-error"'}>
<td class="database">${databaseCell(record.database)}</td>
<td>${escapeHtml(record.engine)}</td>
<td class="host">${record.host === null ? '<span class="muted">–</span>' : escapeHtml(record.host)}</td>
<td>${escapeHtml(record.kind)}${record.format === 'sql' ? '<div class="hint">SQL script</div>' : ''}</td>
<td>${timeCell(record.startedAt, true)}</td>
<td class="number">${record.durationMs === null ? '' : escapeHtml(formatElapsed(record.durationMs))}</td>
<td class="number">${escapeHtml(formatSize(record.bytes))}</td>
<td><span class="badge ${escapeHtml(record.status)}">${escapeHtml(record.status)}</span></td>
<td>${verificationCell(record.verification)}</td>
<td>${record.encrypted ? '<span class="badge encrypted">encrypted</span>' : '<span class="muted">none</span>'}</td>
<td>${escapeHtml(record.compression)}</td>
<td class="location"><code>${locationHtml(record.location)}</code></td>
</tr>`;
      // The error gets a row of its own under the backup, full width, instead of a narrow column.
      return record.error === null
        ? row
        : `${row}\n<tr class="error-row"><td colspan="12">Error: ${escapeHtml(record.error)}</td></tr>`;
    })
    .join('\n');
  return `<table class="backups">
<thead><tr><th>Database</th><th>Engine</th><th>Host</th><th>Kind</th><th>Started (UTC)</th><th class="number">Duration</th><th class="number">Size</th><th>Status</th><th>Verification</th><th>Encryption</th><th>Compression</th><th>Location</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

function verificationCell(verification: Verification | null): string {
  if (verification === null) return '<span class="muted">not verified</span>';
  const label = verification.result === 'passed' ? '✓ passed' : '✗ failed';
  const title = verification.detail === null ? '' : ` title="${escapeHtml(verification.detail)}"`;
  return `<span class="badge ${escapeHtml(verification.result)}"${title}>${escapeHtml(label)}</span><div class="hint">${escapeHtml(verification.kind)}, <time datetime="${escapeHtml(verification.at)}">${escapeHtml(displayTime(verification.at).slice(0, 10))}</time></div>`;
}

function startHint(iso: string | null): string {
  return iso === null ? 'none yet' : `started ${displayTime(iso).slice(11)} UTC`;
}

/** The location escaped, with a line-break opportunity after each '/' so long paths wrap between their parts. */
function locationHtml(location: string): string {
  return escapeHtml(location).replaceAll('/', '/<wbr>');
}

function databaseCell(database: string | null): string {
  return database === null ? '<em>cluster</em>' : `<strong>${escapeHtml(database)}</strong>`;
}

/** A time in UTC; `stacked` puts the clock time under the date, for narrow table columns. */
function timeCell(iso: string, stacked = false): string {
  const text = displayTime(iso);
  const body = stacked
    ? `${escapeHtml(text.slice(0, 10))}<div class="hint">${escapeHtml(text.slice(11))}</div>`
    : escapeHtml(text);
  return `<time datetime="${escapeHtml(iso)}">${body}</time>`;
}

/** 2026-11-23 22:15:04 (UTC, to the second). */
function displayTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
