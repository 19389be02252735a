// The report as markdown, ready to paste into the README's performance section. 1 MB = 10^6 bytes throughout.

const megabytes = (bytes) => {
  if (bytes === null || bytes === undefined) return '';
  const value = bytes / 1e6;
  return value < 10 ? value.toFixed(1) : value.toFixed(0);
};
const seconds = (value) => (value === null || value === undefined ? '' : value.toFixed(2));
/** Labels such as "mariadb-dump | gzip" must not split a table cell. */
const cell = (text) => String(text).replaceAll('|', '\\|');

/** `report`: what run.mjs collected (its shape is described there). Returns the markdown text. */
export function renderMarkdown(report) {
  const lines = [...header(report)];
  for (const suite of report.suites) lines.push('', ...suiteSection(suite));
  for (const failure of report.suiteFailures) lines.push('', `### ${failure.title}: not run`, '', failure.error);
  if (report.targets.length > 0) lines.push('', ...targetsSection(report.targets));
  if (report.scaling.length > 0) lines.push('', ...scalingSection(report.scaling, report.options.runs));
  return lines.join('\n');
}

function header(report) {
  const { machine, options } = report;
  const versions = [`Node ${machine.node}`];
  for (const suite of report.suites) versions.push(`${suite.title} ${suite.serverVersion}`);
  const lines = [
    `## Performance (${report.startedAt.slice(0, 16).replace('T', ' ')} UTC)`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB RAM ` +
      `(1-minute load ${machine.loadAverage.toFixed(2)} at the start); ${versions.join(', ')}.`,
    `Median of ${options.runs} run${options.runs === 1 ? '' : 's'} per command, each command interleaved with its ` +
      'references; MB/s = the database size on disk ÷ the median wall time; peak RSS = the largest single client ' +
      'process (GNU time %M), server memory not included; times include process start-up.',
  ];
  if (!report.memoryMeasured) lines.push('', `${report.memoryNote}.`);
  if (report.smokeRun) {
    lines.push('', `**SCALE ${options.scale}, ${options.runs} run(s): a smoke run, not a measurement.**`);
  }
  return lines;
}

function suiteSection(suite) {
  const lines = [
    `### ${suite.title}, SCALE ${suite.scale}: ${suite.database}, ${megabytes(suite.databaseBytes)} MB on disk`,
    '',
    '| command | median s | runs s | MB/s | CPU s | peak RSS MB | output MB |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const failures = [];
  for (const command of suite.commands) {
    if (command.status !== 'ok' && command.runs.length === 0) {
      lines.push(`| ${cell(command.label)} | ${cell(command.status)} | | | | | |`);
      continue;
    }
    const runs = command.runs.map((run) => (run.ok ? seconds(run.seconds) : 'failed')).join(', ');
    const output = command.kind === 'backup' ? megabytes(command.outputBytes) : '';
    const speed = command.megabytesPerSecond === null ? '' : command.megabytesPerSecond.toFixed(0);
    const name = command.ours ? `**${cell(command.label)}**` : cell(command.label);
    const cpu = command.medianCpuSeconds === null ? '' : command.medianCpuSeconds.toFixed(1);
    lines.push(
      `| ${name} | ${seconds(command.medianSeconds)} | ${runs} | ${speed} | ${cpu} | ${megabytes(command.peakRssBytes)} | ${output} |`,
    );
    for (const run of command.runs) if (!run.ok) failures.push(`- ${command.label} failed: ${run.error}`);
  }
  if (failures.length > 0) lines.push('', ...failures);
  return lines;
}

function targetsSection(targets) {
  const lines = [
    '### Targets (ours ÷ reference, same run)',
    '',
    '| comparison | ratio | target | result |',
    '|---|---:|---:|---|',
  ];
  for (const row of targets) {
    // The memory row carries peakRssBytes, the ratio rows a ratio; either may be null (not measured, not run).
    let value = '';
    if (row.peakRssBytes) value = `${megabytes(row.peakRssBytes)} MB`;
    else if (row.ratio) value = row.ratio.toFixed(2);
    lines.push(`| ${cell(row.label)} | ${value} | ${row.target ?? '—'} | ${cell(row.result)} |`);
  }
  return lines;
}

function scalingSection(rows, runs) {
  const lines = [
    `### Scaling (dbbackup, median of ${runs} run${runs === 1 ? '' : 's'})`,
    '',
    '| engine | SCALE | database MB | backup s | backup MB/s | backup peak RSS MB | restore --jobs 2 s | restore peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    if (row.error) {
      lines.push(`| ${row.title} | ${row.scale} | ${cell(row.error)} | | | | | |`);
      continue;
    }
    const cell = (command, pick) => (command?.status === 'ok' ? pick(command) : (command?.status ?? ''));
    lines.push(
      `| ${row.title} | ${row.scale} | ${megabytes(row.databaseBytes)} | ` +
        `${cell(row.backup, (c) => seconds(c.medianSeconds))} | ${cell(row.backup, (c) => c.megabytesPerSecond.toFixed(0))} | ` +
        `${cell(row.backup, (c) => megabytes(c.peakRssBytes))} | ${cell(row.restore, (c) => seconds(c.medianSeconds))} | ` +
        `${cell(row.restore, (c) => megabytes(c.peakRssBytes))} |`,
    );
  }
  return lines;
}
