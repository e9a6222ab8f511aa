/**
 * Crash test harness (used by crash.test.ts and scripts/crash-soak.ts).
 *
 * Each round: a child process (crash-child.ts) opens the store and appends batches as fast as it can,
 * printing `ack <seed> <baseOffset>` after each append returns; the parent SIGKILLs it at a random
 * moment, optionally tampers with the tail of the active segment (garbage appended, or bytes cut
 * off: a torn write), then reopens the store and checks:
 *   - every batch in the log is exactly the batch generated for its seed (batch k has seed k), with
 *     contiguous offsets from 0, and the log holds no partial bytes;
 *   - every acknowledged batch is there at the offset the child was told (unless tampering cut it);
 *   - appending continues at the log end offset.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { batchLastOffsetDelta, setBatchBaseOffset, setBatchPartitionLeaderEpoch } from '../../src/protocol/records/batch-header.js';
import { openStorage } from '../../src/storage/index.js';
import { readAllBatches } from './helpers.js';
import { makeBatch } from './make-batch.js';

export const CRASH_TOPIC = 'crash';
export const CRASH_TOPIC_CONFIGS = { 'segment.bytes': '262144', 'index.interval.bytes': '1024' };

const POOL = (() => {
  const b = Buffer.allocUnsafe(64 * 1024);
  let x = 0x9e3779b9;
  for (let i = 0; i < b.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
})();

/** The batch appended as the `seed`-th batch of the log (deterministic: 1-3 records, 20 B to ~3 KiB). */
export function crashBatch(seed: number): Buffer {
  const count = 1 + (seed % 3);
  const values: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const len = 20 + ((seed * 7919 + i * 104729) % 1000);
    const start = (seed * 2654435761 + i * 40503) % (POOL.length - len);
    values.push(POOL.subarray(start, start + len));
  }
  return makeBatch(values, { baseTimestamp: 1_700_000_000_000 + seed, timestampStep: 1 });
}

export type Tamper = 'none' | 'garbage' | 'truncate';

export interface RoundReport {
  readonly acked: number;
  readonly batchesAfter: number;
  readonly tamper: Tamper;
  readonly lostToTamper: number;
}

interface Ack {
  readonly seed: number;
  readonly baseOffset: number;
}

const childPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crash-child.ts');

/** Runs the child until it has acknowledged something, then SIGKILLs it after `killAfterMs`. */
function runChild(dir: string, startSeed: number, killAfterMs: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childPath, dir, String(startSeed)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let pending = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const m = /^ack (\d+) (\d+)$/.exec(line);
        if (m) acks.push({ seed: Number(m[1]), baseOffset: Number(m[2]) });
        if (timer === undefined && m) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}/${signal}: ${stderr}`));
      else resolve(acks);
    });
  });
}

/** Byte size of each whole batch at the start of a segment file (to predict what a cut keeps). */
function wholeBatchesWithin(file: string, limit: number): number {
  const buf = fs.readFileSync(file);
  let pos = 0;
  let n = 0;
  while (pos + 12 <= limit) {
    const size = 12 + buf.readInt32BE(pos + 8);
    if (pos + size > limit) break;
    pos += size;
    n++;
  }
  return n;
}

function tamperActiveSegment(dir: string, tamper: Tamper, rnd: () => number): { keptInActive: number | undefined } {
  if (tamper === 'none') return { keptInActive: undefined };
  const logDir = path.join(dir, `${CRASH_TOPIC}-0`);
  const active = fs.readdirSync(logDir).filter((f) => f.endsWith('.log')).sort().at(-1)!;
  const file = path.join(logDir, active);
  const size = fs.statSync(file).size;
  if (tamper === 'garbage') {
    const n = 1 + Math.floor(rnd() * 4000);
    const junk = Buffer.alloc(n, rnd() < 0.3 ? 0 : 0x5a);
    if (junk[0] !== 0) for (let i = 0; i < n; i++) junk[i] = Math.floor(rnd() * 256);
    fs.appendFileSync(file, junk);
    return { keptInActive: undefined };
  }
  const cut = Math.min(size, 1 + Math.floor(rnd() * 3000));
  const kept = wholeBatchesWithin(file, size - cut);
  fs.truncateSync(file, size - cut);
  return { keptInActive: kept };
}

/** Opens the store, checks it, appends one more batch; returns the number of batches now in the log. */
export function verifyStore(dir: string, acks: readonly Ack[], expectBatches: number | undefined): number {
  const store = openStorage({ dataDir: dir });
  try {
    const log = store.partition(CRASH_TOPIC, 0);
    if (log === undefined) throw new Error('topic lost');
    const batches = readAllBatches(log, 0, 256 * 1024);
    let offset = 0;
    const offsets: number[] = [];
    let bytes = 0;
    batches.forEach((b, i) => {
      const expected = crashBatch(i + 1);
      setBatchBaseOffset(expected, 0, offset);
      setBatchPartitionLeaderEpoch(expected, 0, 0);
      if (!b.equals(expected)) throw new Error(`batch ${i + 1} at offset ${offset} differs from what was appended`);
      offsets.push(offset);
      offset += batchLastOffsetDelta(b, 0) + 1;
      bytes += b.length;
    });
    if (log.logEndOffset !== offset) throw new Error(`log end offset ${log.logEndOffset}, batches end at ${offset}`);
    if (log.sizeInBytes() !== bytes) throw new Error(`log holds ${log.sizeInBytes()} bytes, whole batches ${bytes}: partial data visible`);
    if (expectBatches !== undefined && batches.length !== expectBatches) {
      throw new Error(`expected ${expectBatches} batches after the cut, found ${batches.length}`);
    }
    for (const a of acks) {
      if (expectBatches !== undefined && a.seed > expectBatches) continue; // cut away by the tamper step
      if (a.seed > batches.length) throw new Error(`acknowledged batch ${a.seed} is missing (log has ${batches.length})`);
      if (offsets[a.seed - 1] !== a.baseOffset) throw new Error(`batch ${a.seed} acknowledged at ${a.baseOffset}, found at ${offsets[a.seed - 1]}`);
    }
    const next = crashBatch(batches.length + 1);
    const r = log.append(next);
    if (!r.ok || r.baseOffset !== offset) throw new Error(`append after recovery: ${JSON.stringify(r)}`);
    return batches.length + 1;
  } finally {
    store.close();
  }
}

/** Runs `rounds` crash rounds in `dir`; tampering alternates when `tamper` is set. */
export async function runCrashRounds(
  dir: string,
  rounds: number,
  options: { tamper?: boolean; seed?: number; log?: (r: RoundReport) => void } = {},
): Promise<RoundReport[]> {
  let state = (options.seed ?? 12345) >>> 0 || 1;
  const rnd = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const setup = openStorage({ dataDir: dir });
  if (setup.topic(CRASH_TOPIC) === undefined) setup.createTopic(CRASH_TOPIC, { partitions: 1, configs: CRASH_TOPIC_CONFIGS });
  const existing = setup.partition(CRASH_TOPIC, 0)!;
  let batches = existing.logEndOffset === 0 ? 0 : readAllBatches(existing).length;
  setup.close();
  const reports: RoundReport[] = [];
  for (let round = 0; round < rounds; round++) {
    const acks = await runChild(dir, batches + 1, Math.floor(rnd() * 120));
    const tamper: Tamper = options.tamper ? (round % 2 === 0 ? 'garbage' : 'truncate') : 'none';
    const { keptInActive } = tamperActiveSegment(dir, tamper, rnd);
    let expect: number | undefined;
    if (keptInActive !== undefined) {
      // Batches in earlier segments plus the whole batches left in the active one.
      const logDir = path.join(dir, `${CRASH_TOPIC}-0`);
      const segs = fs.readdirSync(logDir).filter((f) => f.endsWith('.log')).sort();
      let earlier = 0;
      for (const s of segs.slice(0, -1)) earlier += wholeBatchesWithin(path.join(logDir, s), fs.statSync(path.join(logDir, s)).size);
      expect = earlier + keptInActive;
    }
    const before = acks.length === 0 ? batches : Math.max(batches, acks[acks.length - 1]!.seed);
    const after = verifyStore(dir, acks, expect);
    const report: RoundReport = { acked: acks.length, batchesAfter: after, tamper, lostToTamper: expect === undefined ? 0 : Math.max(0, before - expect) };
    options.log?.(report);
    reports.push(report);
    batches = after;
  }
  return reports;
}
