#!/usr/bin/env node
// Throughput of the FastCDC chunker of @dbbackup/dedup-store on one core, on dump-like text (PK-ordered INSERT
// rows). Uses the BUILT package: run `pnpm turbo run build --filter @dbbackup/dedup-store...` first. Prints a
// markdown table on stdout; MB/s is of the input (1 MB = 10^6 bytes). The machines are shared and noisy, so each row
// is run a few times and the best kept.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../dist/index.js');
if (!existsSync(dist)) {
  console.error(
    'chunker-bench: packages/dedup-store/dist is missing; run `pnpm turbo run build --filter @dbbackup/dedup-store...` first',
  );
  process.exit(2);
}
const { BoundaryFinder, chunkStream, createGearTable, DEFAULT_CHUNKER_PARAMETERS, PLAIN_GEAR_SEED } = await import(
  pathToFileURL(dist).href
);

const DATA_BYTES = 256e6;
const PIECE = 1024 * 1024; // what file and pipe reads typically hand us
const RUNS = 3;

/** INSERT rows of an orders-like table in primary-key order: ids, foreign keys, hex, timestamps, words, amounts. */
function generateDumpText(bytes) {
  const buffer = Buffer.allocUnsafe(bytes);
  const words =
    'order shipped delivered returned customer support refund invoice payment pending berlin paris tokyo express standard gift'.split(
      ' ',
    );
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  let offset = 0;
  for (let id = 1; offset < bytes; id++) {
    const line = `INSERT INTO orders VALUES (${id}, ${Math.floor(random() * 100000)}, '${Math.floor(random() * 0xffffffff).toString(16)}', '2026-0${1 + (id % 9)}-1${id % 10} 1${id % 10}:2${id % 7}:00', '${words[Math.floor(random() * words.length)]} ${words[Math.floor(random() * words.length)]}', ${(random() * 1000).toFixed(2)});\n`;
    offset += buffer.write(line, offset);
  }
  return buffer;
}

function best(run) {
  let fastest = Number.POSITIVE_INFINITY;
  let result;
  for (let attempt = 0; attempt < RUNS; attempt++) {
    const started = process.hrtime.bigint();
    result = run();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    fastest = Math.min(fastest, seconds);
  }
  return { seconds: fastest, result };
}

async function bestAsync(run) {
  let fastest = Number.POSITIVE_INFINITY;
  let result;
  for (let attempt = 0; attempt < RUNS; attempt++) {
    const started = process.hrtime.bigint();
    result = await run();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    fastest = Math.min(fastest, seconds);
  }
  return { seconds: fastest, result };
}

const data = generateDumpText(DATA_BYTES);
const gear = createGearTable(PLAIN_GEAR_SEED);
const rows = [];

for (const [label, parameters] of [
  ['64 KiB avg', { minSize: 16384, averageSize: 65536, maxSize: 262144, normalization: 2 }],
  ['128 KiB avg (default)', DEFAULT_CHUNKER_PARAMETERS],
  ['256 KiB avg', { minSize: 65536, averageSize: 262144, maxSize: 1048576, normalization: 2 }],
]) {
  // Cut-point search alone, over 1 MiB pieces (the loop the store runs per input buffer).
  const scan = best(() => {
    const finder = new BoundaryFinder(parameters, gear);
    let chunks = 0;
    for (let start = 0; start < data.length; start += PIECE) {
      const end = Math.min(start + PIECE, data.length);
      let position = start;
      while (position < end) {
        const cut = finder.scan(data, position, end);
        if (cut < 0) break;
        chunks++;
        position = cut;
      }
    }
    return chunks + (finder.pendingLength > 0 ? 1 : 0);
  });
  rows.push([`${label}: cut-point search`, scan.seconds, scan.result]);
  // The streaming chunker over a Readable, yielding one Buffer per chunk (what a backup consumes).
  const stream = await bestAsync(async () => {
    const pieces = [];
    for (let start = 0; start < data.length; start += PIECE) pieces.push(data.subarray(start, start + PIECE));
    let chunks = 0;
    for await (const chunk of chunkStream(Readable.from(pieces), parameters, gear)) chunks += chunk.length > 0 ? 1 : 0;
    return chunks;
  });
  rows.push([`${label}: chunkStream (Readable → Buffers)`, stream.seconds, stream.result]);
}

console.log(`FastCDC chunker, ${DATA_BYTES / 1e6} MB of dump-like text, one core, best of ${RUNS}\n`);
console.log('| what | MB/s | chunks | mean chunk |');
console.log('|---|---:|---:|---:|');
for (const [label, seconds, chunks] of rows) {
  console.log(
    `| ${label} | ${(DATA_BYTES / 1e6 / seconds).toFixed(0)} | ${chunks} | ${(DATA_BYTES / chunks / 1024).toFixed(0)} KiB |`,
  );
}
