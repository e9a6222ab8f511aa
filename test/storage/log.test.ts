/**
 * Append / read / ListOffsets behaviour, run against every backend: the disk log with its tail cache,
 * the disk log reading only from segment files, and the memory log.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  batchBaseOffset,
  batchLastOffset,
  batchMaxTimestamp,
  batchPartitionLeaderEpoch,
  batchTimestampType,
  setBatchBaseOffset,
  setBatchPartitionLeaderEpoch,
  TimestampType,
  verifyBatchCrc,
} from '../../src/protocol/records/batch-header.js';
import type { Storage } from '../../src/storage/index.js';
import { compressBatch, makeBatch, makeSizedBatch } from './make-batch.js';
import { type Backend, makeStore, readAllBatches, tempDir } from './helpers.js';

const backends: Backend[] = ['disk', 'disk-no-tail', 'memory'];

/** What a stored batch must equal: the input with offsets and leader epoch 0 patched in. */
function expectedStored(input: Buffer, baseOffset: number): Buffer {
  const b = Buffer.from(input);
  setBatchBaseOffset(b, 0, baseOffset);
  setBatchPartitionLeaderEpoch(b, 0, 0);
  return b;
}

describe.each(backends)('partition log (%s)', (backend) => {
  let dir: string | undefined;
  let store: Storage;

  beforeEach(() => {
    dir = backend === 'memory' ? undefined : tempDir();
    store = makeStore(backend, dir);
  });
  afterEach(() => {
    store.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('assigns contiguous offsets and returns the stored bytes exactly', () => {
    store.createTopic('t', { partitions: 1, configs: { 'index.interval.bytes': '100' } });
    const log = store.partition('t', 0)!;
    const inputs: Buffer[] = [];
    let expectedOffset = 0;
    for (let i = 0; i < 50; i++) {
      const count = 1 + (i % 5);
      const batch = makeSizedBatch(200 + ((i * 397) % 3000), count, i + 1);
      inputs.push(Buffer.from(batch));
      const r = log.append(batch);
      expect(r.errorCode).toBe(0);
      if (!r.ok) return;
      expect(r.baseOffset).toBe(expectedOffset);
      expect(r.lastOffset).toBe(expectedOffset + count - 1);
      expect(r.logAppendTime).toBe(-1);
      expect(r.logStartOffset).toBe(0);
      expectedOffset += count;
    }
    expect(log.logEndOffset).toBe(expectedOffset);
    expect(log.highWatermark).toBe(expectedOffset);
    const stored = readAllBatches(log, 0, 5000);
    expect(stored.length).toBe(50);
    let offset = 0;
    stored.forEach((b, i) => {
      expect(b.equals(expectedStored(inputs[i]!, offset))).toBe(true);
      expect(verifyBatchCrc(b, 0)).toBe(true);
      offset = batchLastOffset(b, 0) + 1;
    });
  });

  it('writes several batches of one request together and reads from any offset inside them', () => {
    store.createTopic('t', { partitions: 1, configs: { 'index.interval.bytes': '4096' } });
    const log = store.partition('t', 0)!;
    // Batches that straddle index intervals: sizes around and above 4096.
    const sizes = [900, 4000, 4200, 8000, 100, 5000, 70, 12000, 3000, 4097];
    const batches = sizes.map((s, i) => makeSizedBatch(s, 3, i + 7));
    const r = log.append(Buffer.concat(batches));
    expect(r.errorCode).toBe(0);
    expect(log.logEndOffset).toBe(30);
    for (let offset = 0; offset < 30; offset++) {
      const read = log.read(offset, 1);
      expect(read.errorCode).toBe(0);
      const all = Buffer.concat(read.chunks);
      // The batch containing the offset, whole (KIP-74: even though maxBytes is 1).
      expect(batchBaseOffset(all, 0)).toBe(Math.floor(offset / 3) * 3);
      expect(all.length).toBe(batches[Math.floor(offset / 3)]!.length);
    }
  });

  it('limits reads to maxBytes in whole batches, and returns one oversized batch only as the first', () => {
    store.createTopic('t', { partitions: 1 });
    const log = store.partition('t', 0)!;
    const sizes = [1000, 1000, 1000, 5000, 1000];
    for (const [i, s] of sizes.entries()) log.append(makeSizedBatch(s, 1, i + 1));
    const lens = readAllBatches(log).map((b) => b.length);
    const r1 = log.read(0, lens[0]! + lens[1]! + 10);
    expect(r1.bytes).toBe(lens[0]! + lens[1]!);
    expect(r1.nextOffset).toBe(2);
    const r2 = log.read(2, 2000);
    expect(r2.bytes).toBe(lens[2]!); // batch 3 (5000 B) does not fit after batch 2
    const r3 = log.read(3, 2000);
    expect(r3.bytes).toBe(lens[3]!); // first batch is returned whole
    expect(r3.nextOffset).toBe(4);
    const r4 = log.read(3, 2000, { minOneBatch: false });
    expect(r4.bytes).toBe(0);
    expect(r4.nextOffset).toBe(3);
    const r5 = log.read(0, 1 << 20, { maxOffset: 2 });
    expect(r5.bytes).toBe(lens[0]! + lens[1]!);
  });

  it('serves large reads from any batch, at any file alignment, as whole batches', () => {
    store.createTopic('t', { partitions: 1 });
    const log = store.partition('t', 0)!;
    for (let i = 0; i < 120; i++) log.append(makeSizedBatch(500 + ((i * 7919) % 9000), 1 + (i % 4), i + 1));
    const all = readAllBatches(log);
    const whole = Buffer.concat(all);
    const starts: number[] = [];
    let p = 0;
    for (const b of all) {
      starts.push(p);
      p += b.length;
    }
    for (let i = 0; i < all.length; i += 7) {
      const offset = batchBaseOffset(all[i]!, 0) + (i % 3 === 0 ? 0 : batchLastOffset(all[i]!, 0) - batchBaseOffset(all[i]!, 0));
      const r = log.read(offset, 150_000);
      const got = Buffer.concat(r.chunks);
      // Whole batches only, starting with the one holding the offset, as many as fit in 150 000 bytes.
      let end = starts[i]!;
      for (let j = i; j < all.length && end + all[j]!.length - starts[i]! <= 150_000; j++) end += all[j]!.length;
      expect(got.equals(whole.subarray(starts[i]!, end))).toBe(true);
      r.release();
    }
  });

  it('answers reads at and beyond the end, and below the start', () => {
    store.createTopic('t', { partitions: 1 });
    const log = store.partition('t', 0)!;
    expect(log.read(0, 100)).toMatchObject({ errorCode: 0, bytes: 0, highWatermark: 0 });
    log.append(makeSizedBatch(500, 4, 1));
    expect(log.read(4, 100)).toMatchObject({ errorCode: 0, bytes: 0, highWatermark: 4 });
    expect(log.read(5, 100).errorCode).toBe(1); // OFFSET_OUT_OF_RANGE
    expect(log.read(-1, 100).errorCode).toBe(1);
    expect(log.read(Number.NaN, 100).errorCode).toBe(1);
    expect(log.read(1.5, 100).errorCode).toBe(1);
    expect(log.read(0, -7, { minOneBatch: false }).bytes).toBe(0);
    expect(log.read(0, -7).chunks.length).toBe(1); // KIP-74: still one whole batch
  });

  it('DeleteRecords advances the log start offset', () => {
    store.createTopic('t', { partitions: 1 });
    const log = store.partition('t', 0)!;
    for (let i = 0; i < 10; i++) log.append(makeSizedBatch(300, 2, i + 1));
    expect(log.deleteRecordsBefore(7)).toEqual({ errorCode: 0, lowWatermark: 7 });
    expect(log.earliestOffset()).toBe(7);
    expect(log.read(6, 100).errorCode).toBe(1);
    const r = log.read(7, 100);
    expect(batchBaseOffset(Buffer.concat(r.chunks), 0)).toBe(6); // the batch containing offset 7
    expect(log.deleteRecordsBefore(3).lowWatermark).toBe(7); // never moves back
    expect(log.deleteRecordsBefore(21).errorCode).toBe(1);
    const a = log.append(makeSizedBatch(300, 1, 99));
    expect(a).toMatchObject({ errorCode: 0, baseOffset: 20, logStartOffset: 7 });
    expect(log.deleteRecordsBefore(-1)).toEqual({ errorCode: 0, lowWatermark: 21 }); // -1: the high watermark
    expect(log.read(21, 100)).toMatchObject({ errorCode: 0, bytes: 0 });
  });

  it('ListOffsets: earliest, latest, by timestamp (record level) and max timestamp', () => {
    store.createTopic('t', { partitions: 1, configs: { 'index.interval.bytes': '200' } });
    const log = store.partition('t', 0)!;
    expect(log.offsetForTimestamp(0)).toBeUndefined();
    expect(log.maxTimestampOffset()).toBeUndefined();
    // 20 batches of 5 records; record j of batch i has timestamp 1000 + i*100 + j*10.
    for (let i = 0; i < 20; i++) {
      const values = Array.from({ length: 5 }, (_, j) => Buffer.alloc(60, i * 5 + j));
      log.append(makeBatch(values, { baseTimestamp: 1000 + i * 100, timestampStep: 10 }));
    }
    // One batch with an earlier max timestamp, and then the max in the middle of a later batch.
    log.append(makeBatch([Buffer.from('x')], { baseTimestamp: 500 }));
    log.append(makeBatch([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')], { baseTimestamp: 9000, timestampStep: 500 }));
    expect(log.earliestOffset()).toBe(0);
    expect(log.latestOffset()).toBe(104);
    expect(log.offsetForTimestamp(0)).toMatchObject({ offset: 0, timestamp: 1000 });
    expect(log.offsetForTimestamp(1000)).toMatchObject({ offset: 0, timestamp: 1000 });
    expect(log.offsetForTimestamp(1001)).toMatchObject({ offset: 1, timestamp: 1010 });
    expect(log.offsetForTimestamp(1735)).toMatchObject({ offset: 39, timestamp: 1740 });
    expect(log.offsetForTimestamp(1741)).toMatchObject({ offset: 40, timestamp: 1800 });
    expect(log.offsetForTimestamp(2940)).toMatchObject({ offset: 99, timestamp: 2940 });
    expect(log.offsetForTimestamp(2941)).toMatchObject({ offset: 101, timestamp: 9000 });
    expect(log.offsetForTimestamp(9001)).toMatchObject({ offset: 102, timestamp: 9500 });
    expect(log.offsetForTimestamp(10001)).toBeUndefined();
    expect(log.maxTimestampOffset()).toMatchObject({ offset: 103, timestamp: 10000, leaderEpoch: 0 });
    log.deleteRecordsBefore(42);
    expect(log.offsetForTimestamp(0)).toMatchObject({ offset: 42 });
  });

  it('finds record-level offsets by timestamp inside compressed batches', () => {
    store.createTopic('t', { partitions: 1 });
    const log = store.partition('t', 0)!;
    for (const codec of [1, 2, 3, 4]) {
      const values = Array.from({ length: 6 }, (_, j) => Buffer.alloc(100, codec * 10 + j));
      const ok = log.append(compressBatch(makeBatch(values, { baseTimestamp: codec * 1000, timestampStep: 10 }), codec));
      expect(ok.ok).toBe(true);
    }
    // gzip batch: offsets 0-5 at 1000..1050; zstd batch: offsets 18-23 at 4000..4050.
    expect(log.offsetForTimestamp(1025)).toMatchObject({ offset: 3, timestamp: 1030 });
    expect(log.offsetForTimestamp(2001)).toMatchObject({ offset: 7, timestamp: 2010 });
    expect(log.offsetForTimestamp(3049)).toMatchObject({ offset: 17, timestamp: 3050 });
    expect(log.offsetForTimestamp(4011)).toMatchObject({ offset: 20, timestamp: 4020 });
    expect(log.maxTimestampOffset()).toMatchObject({ offset: 23, timestamp: 4050 });
  });

  it('stamps LogAppendTime into the batch and recomputes its CRC', () => {
    store.createTopic('t', { partitions: 1, configs: { 'message.timestamp.type': 'LogAppendTime' } });
    const log = store.partition('t', 0)!;
    const r = log.append(makeSizedBatch(400, 3, 5), { now: 1_900_000_000_000, leaderEpoch: 4 });
    expect(r).toMatchObject({ errorCode: 0, logAppendTime: 1_900_000_000_000 });
    const b = Buffer.concat(log.read(0, 1000).chunks);
    expect(batchTimestampType(b, 0)).toBe(TimestampType.LogAppendTime);
    expect(batchMaxTimestamp(b, 0)).toBe(1_900_000_000_000);
    expect(batchPartitionLeaderEpoch(b, 0)).toBe(4);
    expect(verifyBatchCrc(b, 0)).toBe(true);
    expect(log.offsetForTimestamp(1_899_000_000_000)).toMatchObject({ offset: 0, timestamp: 1_900_000_000_000 });
  });

  it('wakes listeners after each append', () => {
    store.createTopic('t', { partitions: 2 });
    const log = store.partition('t', 1)!;
    const seen: string[] = [];
    const off1 = log.onAppend((l) => seen.push(`log ${l.logEndOffset}`));
    const off2 = store.onAppend((l) => seen.push(`store ${l.topic}-${l.partition}`));
    log.append(makeSizedBatch(100, 2, 1));
    store.partition('t', 0)!.append(makeSizedBatch(100, 1, 2));
    off1();
    off2();
    log.append(makeSizedBatch(100, 1, 3));
    expect(seen).toEqual(['log 2', 'store t-1', 'store t-0']);
  });

  it('runs the producer-state interceptor around appends', () => {
    store.createTopic('t', { partitions: 1 });
    const log = store.partition('t', 0)!;
    const seen: number[] = [];
    log.setAppendInterceptor({
      beforeAppend: (_l, records, firstOffset) =>
        records.readInt32BE(57) === 2
          ? { ok: false, errorCode: 45, errorMessage: 'out of order', batchIndex: 0, logStartOffset: 0 }
          : (seen.push(firstOffset), undefined),
      afterAppend: (_l, records, result) => seen.push(batchBaseOffset(records, 0), result.lastOffset),
    });
    expect(log.append(makeSizedBatch(200, 3, 1)).ok).toBe(true);
    expect(log.append(makeSizedBatch(200, 2, 2))).toMatchObject({ ok: false, errorCode: 45 });
    expect(log.logEndOffset).toBe(3);
    log.setAppendInterceptor(undefined);
    expect(log.append(makeSizedBatch(200, 2, 2)).ok).toBe(true);
    expect(seen).toEqual([0, 0, 2]);
  });
});
