// The targets, as ratios of median wall times measured in the same run (ours / reference), plus a ceiling
// on our peak memory. Missing a target is reported, not an error: the harness measures, it does not gate.

/** `max` null: an informative ratio with no target. */
export const RATIO_TARGETS = [
  { suite: 'pg', ours: 'ours_default', reference: 'pg_dump_fc', label: 'PG backup (defaults) / pg_dump -Fc', max: 0.3 },
  {
    suite: 'pg',
    ours: 'ours_default',
    reference: 'copy_out_limit',
    label: 'PG backup (defaults) / COPY-out limit',
    max: 1.1,
  },
  {
    suite: 'pg',
    ours: 'ours_gzip',
    reference: 'pg_dump_fc',
    label: 'PG backup with gzip / pg_dump -Fc',
    max: 0.6,
  },
  {
    suite: 'pg',
    ours: 'ours_default',
    reference: 'pg_dump_fd_j2',
    label: 'PG backup (defaults) / pg_dump -Fd -j2',
    max: null,
  },
  {
    suite: 'pg',
    ours: 'ours_restore',
    reference: 'pg_restore_j2',
    label: 'PG restore --jobs 2 / pg_restore -j2',
    max: 0.85,
  },
  {
    suite: 'mysql',
    ours: 'ours_default',
    reference: 'mydumper',
    label: 'MariaDB backup / mydumper -t 2 -c',
    max: 0.8,
  },
  {
    suite: 'mysql',
    ours: 'ours_default',
    reference: 'mariadb_dump_gzip',
    label: 'MariaDB backup / mariadb-dump | gzip',
    max: 0.5,
  },
  {
    suite: 'mysql',
    ours: 'ours_restore',
    reference: 'myloader',
    label: 'MariaDB restore --jobs 2 / myloader -t 2',
    max: 0.5,
  },
];

/** 1 MB = 10^6 bytes, as everywhere in the report. */
export const PEAK_RSS_LIMIT_BYTES = 300e6;

/**
 * The target rows of the selected suites, with `result` pass | miss | — (no target) | why it could not be
 * computed. A suite that was selected but could not run still gets its rows, so the gap shows.
 */
export function evaluateTargets(suites, scalingRows, selectedSuites) {
  const rows = RATIO_TARGETS.filter((target) => selectedSuites.includes(target.suite)).map((target) => {
    const suite = suites.find((candidate) => candidate.key === target.suite);
    const base = { label: target.label, target: target.max === null ? null : `≤ ${target.max.toFixed(2)}` };
    if (!suite) return { ...base, ratio: null, result: 'suite not run' };
    const ours = suite.commands.find((command) => command.id === target.ours);
    const reference = suite.commands.find((command) => command.id === target.reference);
    const missing = [ours, reference].find((command) => command.status !== 'ok');
    if (missing) return { ...base, ratio: null, result: `${missing.label}: ${missing.status}` };
    const ratio = ours.medianSeconds / reference.medianSeconds;
    const result = target.max === null ? '—' : ratio <= target.max ? 'pass' : 'miss';
    return { ...base, ratio, result };
  });
  rows.push(peakRssRow(suites, scalingRows));
  return rows;
}

/** The largest peak RSS among all our backup and restore runs, with the command (and scale) it came from. */
function peakRssRow(suites, scalingRows) {
  const candidates = [];
  for (const suite of suites) {
    for (const command of suite.commands) if (command.ours) candidates.push({ command, where: suite });
  }
  for (const row of scalingRows) {
    for (const command of [row.backup, row.restore]) if (command) candidates.push({ command, where: row });
  }
  const measured = candidates.filter(
    ({ command }) => command.peakRssBytes !== null && command.peakRssBytes !== undefined,
  );
  const label = 'peak RSS of any dbbackup backup or restore';
  const target = `≤ ${PEAK_RSS_LIMIT_BYTES / 1e6} MB`;
  if (measured.length === 0) return { label, target, peakRssBytes: null, result: 'not measured' };
  const worst = measured.reduce((a, b) => (b.command.peakRssBytes > a.command.peakRssBytes ? b : a));
  return {
    label: `${label} (${worst.where.title} SCALE ${worst.where.scale}: ${worst.command.label})`,
    target,
    peakRssBytes: worst.command.peakRssBytes,
    result: worst.command.peakRssBytes <= PEAK_RSS_LIMIT_BYTES ? 'pass' : 'miss',
  };
}
