/**
 * Storage throughput, each figure beside a raw baseline measured in the same run on the same bytes:
 *   append: PartitionLog.append (validate headers + CRC-32C, patch offsets, one writeSync, indexes)
 *           vs a raw `fs.writeSync` loop of the same buffers to a plain file;
 *   read:   sequential PartitionLog.read (1 MiB fetches, from the segment files: tail cache off,
 *           buffers released after use as the server does after the socket write)
 *           vs a raw `fs.readSync` loop of 1 MiB chunks into one buffer over the same segment file.
 *
 *   node --import tsx bench/storage.ts [--mb 256] [--rounds 3] [--dir /tmp]
 *
 * Rounds alternate baseline and storage and the median is reported. Data goes to the page cache
 * (no fsync: the default flush policy), as in Kafka.
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
const TOTAL_MB = Number(arg('mb', '256'));
const ROUNDS = Number(arg('rounds', '3'));
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

function rawWrite(dir: string, bufs: Buffer[], count: number): bigint {
  const file = path.join(dir, 'raw.bin');
  const fd = fs.openSync(file, 'w');
  let pos = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const b = bufs[i % bufs.length]!;
    fs.writeSync(fd, b, 0, b.length, pos);
    pos += b.length;
  }
  const t = process.hrtime.bigint() - t0;
  fs.closeSync(fd);
  fs.rmSync(file);
  return t;
}

function storageAppend(dir: string, bufs: Buffer[], count: number): { ns: bigint; dataDir: string } {
  const dataDir = fs.mkdtempSync(path.join(dir, 'store-'));
  const store = openStorage({ dataDir, tailCacheBytes: 0 });
  store.createTopic('bench', { partitions: 1, configs: { 'max.message.bytes': String(2 * 1024 * 1024) } });
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
    const last = r.chunks[r.chunks.length - 1]!;
    // Next offset: from the last batch header of the last chunk (walk its batches).
    let p = 0;
    let next = offset;
    while (p < last.length) {
      next = Number(last.readBigInt64BE(p)) + last.readInt32BE(p + 23) + 1;
      p += 12 + last.readInt32BE(p + 8);
    }
    offset = next;
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
console.log(`storage bench: ${TOTAL_MB} MB per case, ${ROUNDS} rounds (median), node ${process.version}, dir ${root}`);
console.log('');
console.log('case           raw write MB/s   append MB/s   append batches/s   ratio');
const readRows: string[] = [];
try {
  for (const c of cases) {
    const bufs = batchSet(c);
    const count = Math.max(1, Math.floor((TOTAL_MB * 1e6) / bufs[0]!.length));
    const bytes = count * bufs[0]!.length;
    const raw: number[] = [];
    const app: number[] = [];
    const rr: number[] = [];
    const sr: number[] = [];
    // Warm-up (JIT, page cache allocation).
    rawWrite(root, bufs, Math.min(count, 64));
    fs.rmSync(storageAppend(root, bufs, Math.min(count, 64)).dataDir, { recursive: true });
    for (let r = 0; r < ROUNDS; r++) {
      raw.push(mbps(bytes, rawWrite(root, bufs, count)));
      const { ns, dataDir } = storageAppend(root, bufs, count);
      app.push(mbps(bytes, ns));
      if (c.batchBytes === 16 * 1024) {
        const a = rawRead(dataDir);
        rr.push(mbps(a.bytes, a.ns));
        const b = storageRead(dataDir);
        sr.push(mbps(b.bytes, b.ns));
      }
      fs.rmSync(dataDir, { recursive: true });
    }
    const w = median(raw);
    const a = median(app);
    console.log(
      `${c.label.padEnd(14)} ${w.toFixed(0).padStart(14)} ${a.toFixed(0).padStart(13)} ${((a * 1e6) / bufs[0]!.length).toFixed(0).padStart(18)}   ${((a / w) * 100).toFixed(0)}%`,
    );
    if (rr.length > 0) {
      const x = median(rr);
      const y = median(sr);
      readRows.push(`${c.label.padEnd(14)} ${x.toFixed(0).padStart(13)} ${y.toFixed(0).padStart(13)}   ${((y / x) * 100).toFixed(0)}%`);
    }
  }
  console.log('');
  console.log('sequential read (1 MiB fetches, segment files, page cache)');
  console.log('batches        raw read MB/s     read MB/s   ratio');
  for (const row of readRows) console.log(row);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
