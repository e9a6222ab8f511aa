/**
 * Producer state per partition (src/server/producers): Kafka 4's sequence and epoch checks, duplicate
 * answers with the original offsets, transactions (LSO, aborted list), and the state rebuilt after a
 * restart from snapshots and from the log alone (as after SIGKILL), so dedup survives.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol/errors.js';
import { encodeEndTxnMarkerBatch } from '../../src/protocol/records/control.js';
import { encodeRecordBatch } from '../../src/protocol/records/records.js';
import { openStorage, type PartitionLog, type Storage } from '../../src/storage/index.js';
import { producerState } from '../../src/server/producers/manager.js';
import { decodeSnapshot, encodeSnapshot, listSnapshots, writeSnapshot } from '../../src/server/producers/snapshot.js';
import { crc32c } from '../../src/protocol/records/crc32c.js';
import { ProducerIdManager } from '../../src/server/producers/producer-ids.js';

const dirs: string[] = [];
const stores: Storage[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) {
    try {
      s.close();
    } catch {
      /* closed */
    }
  }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'brook-producers-'));
  dirs.push(d);
  return d;
}

function open(dataDir?: string): { store: Storage; log: PartitionLog } {
  const store = dataDir === undefined ? openStorage({ memory: true }) : openStorage({ dataDir });
  stores.push(store);
  if (store.topic('t') === undefined) store.createTopic('t', { partitions: 1 });
  const log = store.partition('t', 0)!;
  producerState(log);
  return { store, log };
}

function batch(pid: number, epoch: number, seq: number, n = 2, transactional = false): Buffer {
  return encodeRecordBatch({
    producerId: pid,
    producerEpoch: epoch,
    baseSequence: seq,
    isTransactional: transactional,
    records: Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`v${seq + i}`), timestamp: Date.now() })),
  });
}

function marker(pid: number, epoch: number, commit: boolean): Buffer {
  return encodeEndTxnMarkerBatch({ baseOffset: 0, timestamp: Date.now(), partitionLeaderEpoch: 0, producerId: pid, producerEpoch: epoch, commit, coordinatorEpoch: 0 });
}

describe('sequence checks', () => {
  it('answers a duplicate with the original offsets and appends nothing', () => {
    const { log } = open();
    expect(log.append(batch(1, 0, 0))).toMatchObject({ ok: true, baseOffset: 0 });
    expect(log.append(batch(1, 0, 2))).toMatchObject({ ok: true, baseOffset: 2 });
    expect(log.append(batch(1, 0, 0))).toMatchObject({ ok: true, baseOffset: 0, lastOffset: 1 });
    expect(log.append(batch(1, 0, 2))).toMatchObject({ ok: true, baseOffset: 2 });
    expect(log.logEndOffset).toBe(4);
  });

  it('remembers the last five batches only', () => {
    const { log } = open();
    for (let s = 0; s < 12; s += 2) log.append(batch(1, 0, s));
    // seq 0 fell out of the window: it is out of order now, not a duplicate.
    expect(log.append(batch(1, 0, 0))).toMatchObject({ ok: false, errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(log.append(batch(1, 0, 2))).toMatchObject({ ok: true, baseOffset: 2 });
  });

  it('rejects gaps, old epochs, and a new epoch not starting at 0', () => {
    const { log } = open();
    log.append(batch(1, 3, 0));
    expect(log.append(batch(1, 3, 5))).toMatchObject({ ok: false, errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(log.append(batch(1, 2, 2))).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_PRODUCER_EPOCH });
    expect(log.append(batch(1, 4, 7))).toMatchObject({ ok: false, errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(log.append(batch(1, 4, 0))).toMatchObject({ ok: true, baseOffset: 2 });
    expect(log.logEndOffset).toBe(4);
  });

  it('accepts an unknown producer at any sequence (KIP-360) and wraps at 2^31-1', () => {
    const { log } = open();
    expect(log.append(batch(9, 0, 0x7fffffff - 1))).toMatchObject({ ok: true });
    expect(log.append(batch(9, 0, 0))).toMatchObject({ ok: true });
  });

  it('leaves non-idempotent batches alone', () => {
    const { log } = open();
    const plain = () => encodeRecordBatch({ records: [{ key: null, value: Buffer.from('x'), timestamp: Date.now() }] });
    expect(log.append(plain())).toMatchObject({ ok: true, baseOffset: 0 });
    expect(log.append(plain())).toMatchObject({ ok: true, baseOffset: 1 });
  });
});

describe('transactions in a partition', () => {
  it('holds the LSO at the first open transaction and lists aborted ones', () => {
    const { log } = open();
    const state = producerState(log);
    log.append(batch(1, 0, 0)); // 0-1 idempotent
    log.append(batch(2, 0, 0, 2, true)); // 2-3 txn of 2
    log.append(batch(3, 0, 0, 1, true)); // 4 txn of 3
    expect(state.lastStableOffset(log.highWatermark)).toBe(2);
    expect(log.append(marker(2, 0, false), { origin: 'coordinator' })).toMatchObject({ ok: true, baseOffset: 5 });
    expect(state.lastStableOffset(log.highWatermark)).toBe(4);
    log.append(marker(3, 0, true), { origin: 'coordinator' });
    expect(state.lastStableOffset(log.highWatermark)).toBe(7);
    expect(state.abortedBetween(0, 7)).toEqual([{ producerId: 2, firstOffset: 2, lastOffset: 5 }]);
    expect(state.abortedBetween(6, 7)).toEqual([]);
  });

  it('a marker with a bumped epoch fences the old epoch', () => {
    const { log } = open();
    log.append(batch(2, 0, 0, 2, true));
    log.append(marker(2, 1, false), { origin: 'coordinator' });
    expect(log.append(batch(2, 0, 2, 1, true))).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_PRODUCER_EPOCH });
  });
});

describe('recovery', () => {
  it('rebuilds dedup and open transactions from the log alone (no snapshot, as after a crash)', () => {
    const dir = tempDir();
    const first = open(dir);
    first.log.append(batch(1, 0, 0));
    first.log.append(batch(1, 0, 2));
    first.log.append(batch(2, 0, 0, 3, true));
    first.log.append(batch(4, 0, 0, 1, true));
    first.log.append(marker(4, 0, false), { origin: 'coordinator' });
    first.store.close();
    expect(listSnapshots(path.join(dir, 't-0'))).toEqual([]);
    const again = open(dir);
    expect(again.log.append(batch(1, 0, 2))).toMatchObject({ ok: true, baseOffset: 2 });
    expect(again.log.logEndOffset).toBe(9);
    const state = producerState(again.log);
    expect(state.lastStableOffset(again.log.highWatermark)).toBe(4);
    expect(state.abortedBetween(0, 100)).toEqual([{ producerId: 4, firstOffset: 7, lastOffset: 8 }]);
  });

  it('starts from the newest snapshot and replays what follows it', () => {
    const dir = tempDir();
    const first = open(dir);
    first.log.append(batch(1, 0, 0));
    writeSnapshot(path.join(dir, 't-0'), first.log.logEndOffset, producerState(first.log));
    first.log.append(batch(1, 0, 2));
    first.store.close();
    expect(listSnapshots(path.join(dir, 't-0'))).toEqual([2]);
    const again = open(dir);
    expect(again.log.append(batch(1, 0, 0))).toMatchObject({ ok: true, baseOffset: 0 });
    expect(again.log.append(batch(1, 0, 2))).toMatchObject({ ok: true, baseOffset: 2 });
    expect(again.log.append(batch(1, 0, 4))).toMatchObject({ ok: true, baseOffset: 4 });
  });

  it('ignores a snapshot above the log end (truncated log) and a corrupt one', () => {
    const dir = tempDir();
    const first = open(dir);
    first.log.append(batch(1, 0, 0));
    const pdir = path.join(dir, 't-0');
    writeSnapshot(pdir, 50, producerState(first.log));
    fs.writeFileSync(path.join(pdir, '00000000000000000001.snapshot'), 'garbage');
    first.store.close();
    const again = open(dir);
    expect(listSnapshots(pdir)).toEqual([1]);
    expect(again.log.append(batch(1, 0, 0))).toMatchObject({ ok: true, baseOffset: 0 });
  });
});

describe('producer ids', () => {
  it('never repeats an id after a restart', () => {
    const dir = tempDir();
    const a = new ProducerIdManager(dir);
    const first = [a.generate(), a.generate(), a.generate()];
    const b = new ProducerIdManager(dir);
    const next = b.generate();
    expect(first).toEqual([0, 1, 2]);
    expect(next).toBeGreaterThan(2);
  });
});

describe('aborted transactions lookup', () => {
  it('finds those overlapping a range among many', () => {
    const { log } = open();
    const state = producerState(log);
    // 200 aborted transactions of producer i: one record at 2i, its marker at 2i+1.
    for (let i = 0; i < 200; i++) {
      log.append(batch(1000 + i, 0, 0, 1, true));
      log.append(marker(1000 + i, 0, false), { origin: 'coordinator' });
    }
    expect(state.abortedBetween(100, 104).map((a) => a.producerId)).toEqual([1050, 1051]);
    expect(state.abortedBetween(399, 400).map((a) => a.producerId)).toEqual([1199]);
    expect(state.abortedBetween(400, 500)).toEqual([]);
    expect(state.abortedBetween(0, 400)).toHaveLength(200);
  });
});

describe('snapshots on segment roll', () => {
  it('writes <base offset>.snapshot when a segment rolls, holding the state before it', () => {
    const dir = tempDir();
    const store = openStorage({ dataDir: dir, defaults: { 'segment.bytes': '2000' } });
    stores.push(store);
    store.createTopic('t', { partitions: 1 });
    const log = store.partition('t', 0)!;
    producerState(log);
    let seq = 0;
    while ((log as unknown as { segmentCount: number }).segmentCount < 3) {
      expect(log.append(batch(5, 0, seq, 5))).toMatchObject({ ok: true });
      seq += 5;
    }
    const pdir = path.join(dir, 't-0');
    const snaps = listSnapshots(pdir);
    const bases = (log as unknown as { segmentBaseOffsets(): number[] }).segmentBaseOffsets();
    expect(snaps).toEqual(bases.slice(1));
    store.close();
    // Reopen: the newest snapshot plus a replay of the last segment rebuilds dedup.
    const again = open(dir);
    expect(again.log.append(batch(5, 0, seq - 5, 5))).toMatchObject({ ok: true, baseOffset: seq - 5 });
    expect(again.log.logEndOffset).toBe(seq);
  });
});

describe('markers', () => {
  it('refuses a marker older than the producer epoch', () => {
    const { log } = open();
    log.append(batch(3, 2, 0, 1, true));
    expect(log.append(marker(3, 1, true), { origin: 'coordinator' })).toMatchObject({ ok: false, errorCode: ErrorCode.INVALID_PRODUCER_EPOCH });
    expect(log.append(marker(3, 2, true), { origin: 'coordinator' })).toMatchObject({ ok: true });
  });
});

describe('.txnindex (Kafka TransactionIndex files)', () => {
  it('records aborts per segment in Kafka layout and restores them with a snapshot past them', () => {
    const dir = tempDir();
    const first = open(dir);
    first.log.append(batch(1, 0, 0, 3, true)); // 0-2
    first.log.append(batch(2, 0, 0, 1, true)); // 3 (stays open)
    first.log.append(marker(1, 0, false), { origin: 'coordinator' }); // 4
    const pdir = path.join(dir, 't-0');
    const idx = fs.readFileSync(path.join(pdir, '00000000000000000000.txnindex'));
    expect(idx.length).toBe(34);
    expect(idx.readInt16BE(0)).toBe(0);
    expect([idx.readBigInt64BE(2), idx.readBigInt64BE(10), idx.readBigInt64BE(18), idx.readBigInt64BE(26)]).toEqual([1n, 0n, 4n, 3n]);
    // A snapshot past the abort: after the restart the abort can only come from the index.
    writeSnapshot(pdir, first.log.logEndOffset, producerState(first.log));
    first.store.close();
    const again = open(dir);
    const state = producerState(again.log);
    expect(state.abortedBetween(0, 10)).toEqual([{ producerId: 1, firstOffset: 0, lastOffset: 4 }]);
    expect(state.lastStableOffset(again.log.highWatermark)).toBe(3);
  });

  it('drops entries past the log end (a cut log) and restores one the index missed', () => {
    const dir = tempDir();
    const first = open(dir);
    first.log.append(batch(1, 0, 0, 2, true));
    first.log.append(marker(1, 0, false), { origin: 'coordinator' }); // 2
    first.store.close();
    const pdir = path.join(dir, 't-0');
    const file = path.join(pdir, '00000000000000000000.txnindex');
    const good = fs.readFileSync(file);
    // A stale entry for offsets the log does not have, then lose the real one: the replay (no snapshot)
    // must bring it back, and the stale one must go.
    const stale = Buffer.from(good);
    stale.writeBigInt64BE(900n, 18);
    fs.writeFileSync(file, stale);
    const again = open(dir);
    expect(producerState(again.log).abortedBetween(0, 1000)).toEqual([{ producerId: 1, firstOffset: 0, lastOffset: 2 }]);
    expect(fs.readFileSync(file)).toEqual(good);
  });
});

describe('snapshot format (Kafka ProducerSnapshot v1)', () => {
  it('writes version, CRC-32C, count and 46-byte entries with the last batch of each producer', () => {
    const { log } = open();
    log.append(batch(7, 2, 10, 4, true)); // offsets 0-3, seqs 10-13, open transaction
    const buf = encodeSnapshot(producerState(log));
    expect(buf.length).toBe(2 + 4 + 4 + 46);
    expect(buf.readInt16BE(0)).toBe(1);
    expect(buf.readUInt32BE(2)).toBe(crc32c(buf.subarray(6)));
    expect(buf.readInt32BE(6)).toBe(1);
    const e = 10;
    expect(buf.readBigInt64BE(e)).toBe(7n); // producer id
    expect(buf.readInt16BE(e + 8)).toBe(2); // epoch
    expect(buf.readInt32BE(e + 10)).toBe(13); // last sequence
    expect(buf.readBigInt64BE(e + 14)).toBe(3n); // last offset
    expect(buf.readInt32BE(e + 22)).toBe(3); // offset delta
    expect(buf.readInt32BE(e + 34)).toBe(-1); // coordinator epoch
    expect(buf.readBigInt64BE(e + 38)).toBe(0n); // current transaction's first offset
    const back = decodeSnapshot(buf)!;
    expect(back.producers.get(7)).toMatchObject({ epoch: 2, currentTxnFirstOffset: 0, batches: [{ firstSeq: 10, lastSeq: 13, firstOffset: 0, lastOffset: 3 }] });
    buf[20] ^= 1;
    expect(decodeSnapshot(buf)).toBeUndefined();
  });
});
