/**
 * Storage throughput, each figure beside a raw baseline measured in the same run on the same bytes:
 *   append: PartitionLog.append (validate headers + CRC-32C, patch offsets, one writeSync, indexes,
 *           tail cache), default settings, vs a raw `fs.writeSync` loop of the same buffers;
 *   read:   sequential PartitionLog.read (1 MiB fetches from the segment file: tail cache off,
 *           buffers released after use as the server does after the socket write)
 *           vs a raw `fs.readSync` loop of 1 MiB chunks into one buffer over the same segment file;
 *   fsync:  16 KiB appends with flush.messages=1 vs writeSync + fdatasyncSync per batch.
 *
 *   node --import tsx bench/storage.ts [--mb 64] [--rounds 7] [--dir /tmp]
 *
 * Each round runs baseline and storage back to back on the same bytes (alternating the order); the
 * ratios are medians of per-round ratios. Two ratios are printed: by wall time, and by the process's
 * CPU time (user + system), which stays meaningful when other processes share the CPUs (all loops
 * here are synchronous and single-threaded, so on an idle machine the two agree). Data goes to the
 * page cache (no fsync: the default flush policy), as in Kafka.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStorage } from '../src/storage/index.js';
import { makeSizedBatch } from '../test/storage/make-batch.js';

const args = process.argv.slice(2);
const arg = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : def;
};
const TOTAL_MB = Number(arg('mb', '64'));
const ROUNDS = Number(arg('rounds', '7'));
const BASE = arg('dir', os.tmpdir());

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall and CPU seconds spent in `fn`. */
interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

function timed(fn: () => void): Timing {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 };
}

interface Case {
  label: string;
  batchBytes: number;
  records: number;
}

const cases: Case[] = [
  { label: '1 KiB', batchBytes: 1024, records: 10 },
  { label: '16 KiB', batchBytes: 16 * 1024, records: 16 },
  { label: '1 MiB', batchBytes: 1024 * 1024, records: 64 },
];

/** Distinct batch buffers to cycle through (append takes ownership and patches headers in place). */
function batchSet(c: Case): Buffer[] {
  const n = Math.max(4, Math.min(256, Math.floor((64 * 1024 * 1024) / c.batchBytes)));
  return Array.from({ length: n }, (_, i) => makeSizedBatch(c.batchBytes, c.records, i + 1, { baseTimestamp: Date.now() }));
}

function rawWrite(dir: string, bufs: Buffer[], count: number, sync = false): Timing {
  const file = path.join(dir, 'raw.bin');
  const fd = fs.openSync(file, 'w');
  const t = timed(() => {
    let pos = 0;
    for (let i = 0; i < count; i++) {
      const b = bufs[i % bufs.length]!;
      fs.writeSync(fd, b, 0, b.length, pos);
      if (sync) fs.fdatasyncSync(fd);
      pos += b.length;
    }
  });
  fs.closeSync(fd);
  fs.rmSync(file);
  return t;
}

function storageAppend(dir: string, bufs: Buffer[], count: number, sync = false): { t: Timing; dataDir: string } {
  const dataDir = fs.mkdtempSync(path.join(dir, 'store-'));
  const store = openStorage({ dataDir }); // default settings, tail cache included
  const configs: Record<string, string> = { 'max.message.bytes': String(2 * 1024 * 1024) };
  if (sync) configs['flush.messages'] = '1';
  store.createTopic('bench', { partitions: 1, configs });
  const log = store.partition('bench', 0)!;
  const t = timed(() => {
    for (let i = 0; i < count; i++) {
      const r = log.append(bufs[i % bufs.length]!);
      if (!r.ok) throw new Error(`append failed: ${r.errorMessage}`);
    }
  });
  store.close();
  return { t, dataDir };
}

function storageRead(dataDir: string): { t: Timing; bytes: number } {
  const store = openStorage({ dataDir, tailCacheBytes: 0 });
  const log = store.partition('bench', 0)!;
  let bytes = 0;
  const hw = log.highWatermark;
  const t = timed(() => {
    let offset = 0;
    while (offset < hw) {
      const r = log.read(offset, 1024 * 1024);
      if (r.bytes === 0) throw new Error(`empty read at ${offset}`);
      bytes += r.bytes;
      offset = r.nextOffset;
      r.release(); // what the server does in the socket write callback
    }
  });
  store.close();
  return { t, bytes };
}

function rawRead(dataDir: string): { t: Timing; bytes: number } {
  const file = path.join(dataDir, 'bench-0', '00000000000000000000.log');
  const fd = fs.openSync(file, 'r');
  const size = fs.fstatSync(fd).size;
  const buf = Buffer.allocUnsafeSlow(1024 * 1024);
  const t = timed(() => {
    let pos = 0;
    while (pos < size) pos += fs.readSync(fd, buf, 0, buf.length, pos);
  });
  fs.closeSync(fd);
  return { t, bytes: size };
}

/** Per-round pairs of (baseline, storage) timings over the same bytes. */
class Pairs {
  private readonly base: Timing[] = [];
  private readonly mine: Timing[] = [];

  constructor(private readonly bytes: number) {}

  add(base: Timing, mine: Timing): void {
    this.base.push(base);
    this.mine.push(mine);
  }

  row(label: string, batchBytes: number | undefined): string {
    const mbps = (t: Timing): number => this.bytes / 1e6 / t.wall;
    const raw = median(this.base.map(mbps));
    const ours = median(this.mine.map(mbps));
    const wallRatio = median(this.base.map((b, i) => b.wall / this.mine[i]!.wall));
    const cpuRatio = median(this.base.map((b, i) => b.cpu / Math.max(1e-9, this.mine[i]!.cpu)));
    const perSec = batchBytes === undefined ? '' : ((ours * 1e6) / batchBytes).toFixed(0);
    return `${label.padEnd(14)} ${raw.toFixed(0).padStart(9)} ${ours.toFixed(0).padStart(9)} ${perSec.padStart(11)} ${(wallRatio * 100).toFixed(0).padStart(9)}% ${(cpuRatio * 100).toFixed(0).padStart(8)}%`;
  }
}

const root = fs.mkdtempSync(path.join(BASE, 'brook-bench-'));
console.log(`storage bench: ${TOTAL_MB} MB per case and round, ${ROUNDS} rounds, node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`);
console.log('MB/s: medians over rounds; ratios: medians of per-round storage/baseline, by wall and by CPU time.');
console.log('');
const header = 'case            base MB/s  ours MB/s  batches/s  ratio wall  ratio cpu';
const appendRows: string[] = [];
const readRows: string[] = [];
try {
  for (const c of cases) {
    const bufs = batchSet(c);
    const batchBytes = bufs[0]!.length;
    const count = Math.max(1, Math.floor((TOTAL_MB * 1e6) / batchBytes));
    const appends = new Pairs(count * batchBytes);
    let reads: Pairs | undefined;
    // Warm-up (JIT, allocator, the read pool's buffers).
    rawWrite(root, bufs, Math.min(count, 64));
    const warm = storageAppend(root, bufs, Math.min(count, 256));
    storageRead(warm.dataDir);
    rawRead(warm.dataDir);
    fs.rmSync(warm.dataDir, { recursive: true });
    for (let r = 0; r < ROUNDS; r++) {
      let w: Timing;
      let s: { t: Timing; dataDir: string };
      if (r % 2 === 0) {
        w = rawWrite(root, bufs, count);
        s = storageAppend(root, bufs, count);
      } else {
        s = storageAppend(root, bufs, count);
        w = rawWrite(root, bufs, count);
      }
      appends.add(w, s.t);
      // The first read of freshly written pages is slower for whoever goes first (page-cache
      // bookkeeping after writeback); read once untimed so both measure the same warm state.
      rawRead(s.dataDir);
      const x = r % 2 === 0 ? rawRead(s.dataDir) : undefined;
      const y = storageRead(s.dataDir);
      const z = x ?? rawRead(s.dataDir);
      reads ??= new Pairs(z.bytes);
      reads.add(z.t, y.t);
      fs.rmSync(s.dataDir, { recursive: true });
    }
    appendRows.push(appends.row(c.label, batchBytes));
    readRows.push(reads!.row(c.label, undefined));
  }
  // flush.messages=1: every append fsyncs before it returns; baseline writeSync + fdatasyncSync.
  // Time waiting for the disk is not CPU time: read the wall ratio here.
  {
    const c = cases[1]!;
    const bufs = batchSet(c);
    const count = Math.max(1, Math.floor((TOTAL_MB * 1e6) / 8 / bufs[0]!.length));
    const p = new Pairs(count * bufs[0]!.length);
    for (let r = 0; r < Math.min(ROUNDS, 3); r++) {
      const w = rawWrite(root, bufs, count, true);
      const s = storageAppend(root, bufs, count, true);
      fs.rmSync(s.dataDir, { recursive: true });
      p.add(w, s.t);
    }
    appendRows.push(p.row(`${c.label} fsync`, bufs[0]!.length));
  }
  console.log('append (baseline: writeSync loop; fsync row: writeSync + fdatasyncSync vs flush.messages=1)');
  console.log(header);
  for (const row of appendRows) console.log(row);
  console.log('');
  console.log('sequential read, 1 MiB fetches from the segment file in the page cache (baseline: readSync loop)');
  console.log(header.replace('batches/s', '         '));
  for (const row of readRows) console.log(row);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
