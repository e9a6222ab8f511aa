/**
 * Storage throughput, each figure beside a raw baseline measured in the same run on the same bytes:
 *   append: PartitionLog.append (validate headers + CRC-32C, patch offsets, one writeSync, indexes,
 *           tail cache), default settings
 *           vs a raw `fs.writeSync` loop of the same buffers to a plain file;
 *   read:   sequential PartitionLog.read (1 MiB fetches, from the segment files: tail cache off,
 *           buffers released after use as the server does after the socket write)
 *           vs a raw `fs.readSync` loop of 1 MiB chunks into one buffer over the same segment file;
 *   fsync:  16 KiB appends with flush.messages=1 vs writeSync + fdatasyncSync per batch.
 *
 *   node --import tsx bench/storage.ts [--mb 64] [--rounds 7] [--dir /tmp]
 *
 * Each round runs baseline and storage back to back on the same bytes (alternating the order), so a
 * noisy shared machine hits both alike; the ratio reported is the median of per-round ratios. Data
 * goes to the page cache (no fsync: the default flush policy), as in Kafka.
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
const mbps = (bytes: number, ns: bigint): number => bytes / 1e6 / (Number(ns) / 1e9);

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

function rawWrite(dir: string, bufs: Buffer[], count: number, sync = false): bigint {
  const file = path.join(dir, 'raw.bin');
  const fd = fs.openSync(file, 'w');
  let pos = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const b = bufs[i % bufs.length]!;
    fs.writeSync(fd, b, 0, b.length, pos);
    if (sync) fs.fdatasyncSync(fd);
    pos += b.length;
  }
  const t = process.hrtime.bigint() - t0;
  fs.closeSync(fd);
  fs.rmSync(file);
  return t;
}

function storageAppend(dir: string, bufs: Buffer[], count: number, sync = false): { ns: bigint; dataDir: string } {
  const dataDir = fs.mkdtempSync(path.join(dir, 'store-'));
  const store = openStorage({ dataDir }); // default settings, tail cache included
  const configs: Record<string, string> = { 'max.message.bytes': String(2 * 1024 * 1024) };
  if (sync) configs['flush.messages'] = '1';
  store.createTopic('bench', { partitions: 1, configs });
  const log = store.partition('bench', 0)!;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const r = log.append(bufs[i % bufs.length]!);
    if (!r.ok) throw new Error(`append failed: ${r.errorMessage}`);
  }
  const ns = process.hrtime.bigint() - t0;
  store.close();
  return { ns, dataDir };
}

function storageRead(dataDir: string): { ns: bigint; bytes: number } {
  const store = openStorage({ dataDir, tailCacheBytes: 0 });
  const log = store.partition('bench', 0)!;
  let offset = 0;
  let bytes = 0;
  const hw = log.highWatermark;
  const t0 = process.hrtime.bigint();
  while (offset < hw) {
    const r = log.read(offset, 1024 * 1024);
    if (r.bytes === 0) throw new Error(`empty read at ${offset}`);
    bytes += r.bytes;
    offset = r.nextOffset;
    r.release(); // what the server does in the socket write callback
  }
  const ns = process.hrtime.bigint() - t0;
  store.close();
  return { ns, bytes };
}

function rawRead(dataDir: string): { ns: bigint; bytes: number } {
  const file = path.join(dataDir, 'bench-0', '00000000000000000000.log');
  const fd = fs.openSync(file, 'r');
  const size = fs.fstatSync(fd).size;
  const buf = Buffer.allocUnsafeSlow(1024 * 1024);
  let pos = 0;
  const t0 = process.hrtime.bigint();
  while (pos < size) pos += fs.readSync(fd, buf, 0, buf.length, pos);
  const ns = process.hrtime.bigint() - t0;
  fs.closeSync(fd);
  return { ns, bytes: size };
}

const root = fs.mkdtempSync(path.join(BASE, 'brook-bench-'));
console.log(`storage bench: ${TOTAL_MB} MB per case and round, ${ROUNDS} rounds, node ${process.version}, dir ${root}`);
console.log('Each round measures the baseline and storage back to back (alternating which goes first);');
console.log('MB/s are medians over rounds, the ratio is the median of the per-round ratios.');
console.log('');
const appendRows: string[] = [];
const readRows: string[] = [];
const fmt = (x: number, w: number): string => x.toFixed(0).padStart(w);
try {
  for (const c of cases) {
    const bufs = batchSet(c);
    const count = Math.max(1, Math.floor((TOTAL_MB * 1e6) / bufs[0]!.length));
    const bytes = count * bufs[0]!.length;
    const raw: number[] = [];
    const app: number[] = [];
    const appRatio: number[] = [];
    const rr: number[] = [];
    const sr: number[] = [];
    const readRatio: number[] = [];
    // Warm-up (JIT, allocator, the read pool's buffers).
    rawWrite(root, bufs, Math.min(count, 64));
    const warm = storageAppend(root, bufs, Math.min(count, 256));
    storageRead(warm.dataDir);
    rawRead(warm.dataDir);
    fs.rmSync(warm.dataDir, { recursive: true });
    for (let r = 0; r < ROUNDS; r++) {
      let w: number;
      let a: number;
      let dataDir: string;
      if (r % 2 === 0) {
        w = mbps(bytes, rawWrite(root, bufs, count));
        const s = storageAppend(root, bufs, count);
        a = mbps(bytes, s.ns);
        dataDir = s.dataDir;
      } else {
        const s = storageAppend(root, bufs, count);
        a = mbps(bytes, s.ns);
        dataDir = s.dataDir;
        w = mbps(bytes, rawWrite(root, bufs, count));
      }
      raw.push(w);
      app.push(a);
      appRatio.push(a / w);
      // The first read of freshly written pages is slower for whoever goes first (page-cache
      // bookkeeping after writeback); read once untimed so both measure the same warm state.
      rawRead(dataDir);
      let x: number;
      let y: number;
      if (r % 2 === 0) {
        const q = rawRead(dataDir);
        x = mbps(q.bytes, q.ns);
        const t = storageRead(dataDir);
        y = mbps(t.bytes, t.ns);
      } else {
        const t = storageRead(dataDir);
        y = mbps(t.bytes, t.ns);
        const q = rawRead(dataDir);
        x = mbps(q.bytes, q.ns);
      }
      rr.push(x);
      sr.push(y);
      readRatio.push(y / x);
      fs.rmSync(dataDir, { recursive: true });
    }
    const a = median(app);
    appendRows.push(
      `${c.label.padEnd(14)} ${fmt(median(raw), 14)} ${fmt(a, 13)} ${fmt((a * 1e6) / bufs[0]!.length, 18)}   ${(median(appRatio) * 100).toFixed(0)}%`,
    );
    readRows.push(`${c.label.padEnd(14)} ${fmt(median(rr), 13)} ${fmt(median(sr), 13)}   ${(median(readRatio) * 100).toFixed(0)}%`);
  }
  // flush.messages=1: every append fsyncs before it returns; baseline writeSync + fdatasyncSync.
  {
    const c = cases[1]!;
    const bufs = batchSet(c);
    const count = Math.max(1, Math.floor((TOTAL_MB * 1e6) / 8 / bufs[0]!.length));
    const bytes = count * bufs[0]!.length;
    const raw: number[] = [];
    const app: number[] = [];
    const ratio: number[] = [];
    for (let r = 0; r < Math.min(ROUNDS, 3); r++) {
      const w = mbps(bytes, rawWrite(root, bufs, count, true));
      const s = storageAppend(root, bufs, count, true);
      const a = mbps(bytes, s.ns);
      fs.rmSync(s.dataDir, { recursive: true });
      raw.push(w);
      app.push(a);
      ratio.push(a / w);
    }
    const a = median(app);
    appendRows.push(
      `${(c.label + ' fsync').padEnd(14)} ${fmt(median(raw), 14)} ${fmt(a, 13)} ${fmt((a * 1e6) / bufs[0]!.length, 18)}   ${(median(ratio) * 100).toFixed(0)}%`,
    );
  }
  console.log('append         raw write MB/s   append MB/s   append batches/s   ratio');
  for (const row of appendRows) console.log(row);
  console.log('(fsync row: flush.messages=1 against a writeSync + fdatasyncSync loop)');
  console.log('');
  console.log('sequential read (1 MiB fetches from the segment file, page cache)');
  console.log('batches        raw read MB/s     read MB/s   ratio');
  for (const row of readRows) console.log(row);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
