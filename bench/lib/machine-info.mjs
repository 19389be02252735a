// What the figures were measured on: they only mean something next to the machine, its load and the versions.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export function machineInfo() {
  const cpuinfo = readText('/proc/cpuinfo');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown CPU';
  const cores = cpuinfo.match(/^processor\s*:/gm)?.length ?? cpus().length;
  return {
    cpuModel: model,
    cores,
    memoryBytes: totalmem(),
    node: process.version,
    // The 1-minute load when the run started: on a shared machine it says how much the figures can be trusted.
    loadAverage: loadavg()[0],
    tools: {
      pg_dump: versionOf('pg_dump', ['--version']),
      mariadb_dump: versionOf('mariadb-dump', ['--version']),
      mydumper: versionOf('mydumper', ['--version']),
    },
  };
}

function readText(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function versionOf(tool, args) {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim().split('\n')[0] : null;
}
