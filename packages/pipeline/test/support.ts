import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable, type Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A readable that emits `data` cut into pieces of the given sizes, cycling through them. */
export function chunkedReadable(data: Buffer, sizes: number[]): Readable {
  function* pieces(): Generator<Buffer> {
    let offset = 0;
    let turn = 0;
    while (offset < data.length) {
      const size = sizes[turn++ % sizes.length]!;
      yield data.subarray(offset, offset + size);
      offset += size;
    }
  }
  return Readable.from(pieces(), { objectMode: false });
}

/** Runs `data` (in chunks of `sizes`) through the transforms and returns everything that came out. */
export async function runThrough(data: Buffer, sizes: number[], ...stages: Transform[]): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline([
    chunkedReadable(data, sizes),
    ...stages,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  ]);
  return Buffer.concat(out);
}

/** Text that compresses like a table dump: lines with counters, hex, timestamps and repeated words. */
export function dumpLikeText(bytes: number, seed = 1): Buffer {
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', '\\N'];
  const lines: string[] = [];
  let length = 0;
  let state = seed;
  for (let row = 0; length < bytes; row++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const line = `${row}\t${state.toString(16)}\t2024-03-${String((state % 28) + 1).padStart(2, '0')} 12:00:00\t${words[state % 10]}\n`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

export function randomData(bytes: number): Buffer {
  return randomBytes(bytes);
}

export function hasBinary(name: string): boolean {
  return spawnSync('which', [name], { stdio: 'ignore' }).status === 0;
}

/** Feeds `input` to a command's stdin and returns its stdout; rejects on a non-zero exit. */
export function runCommand(command: string, args: string[], input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
    });
    child.stdin.end(input);
  });
}
