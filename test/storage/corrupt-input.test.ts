/**
 * Invalid produce input is refused with the error code a Kafka producer expects, and the log is left
 * exactly as it was (same end offset, same bytes, same file size).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ATTRIBUTES_OFFSET,
  BATCH_LENGTH_OFFSET,
  CONTROL_FLAG_MASK,
  MAGIC_OFFSET,
  RECORD_COUNT_OFFSET,
  writeBatchCrc,
} from '../../src/protocol/records/batch-header.js';
import type { AppendResult, PartitionLog, Storage } from '../../src/storage/index.js';
import { type Backend, makeStore, readAllBatches, tempDir } from './helpers.js';
import { makeBatch, makeSizedBatch } from './make-batch.js';

const CORRUPT_MESSAGE = 2;
const MESSAGE_TOO_LARGE = 10;
const RECORD_LIST_TOO_LARGE = 18;
const INVALID_TIMESTAMP = 32;
const INVALID_RECORD = 87;

function mutate(b: Buffer, fn: (c: Buffer) => void, fixCrc = false): Buffer {
  const c = Buffer.from(b);
  fn(c);
  if (fixCrc) writeBatchCrc(c, 0);
  return c;
}

describe.each(['disk', 'memory'] as Backend[])('corrupt produce input (%s)', (backend) => {
  let dir: string | undefined;
  let store: Storage;
  let log: PartitionLog;
  let snapshot: () => unknown;

  beforeEach(() => {
    dir = backend === 'memory' ? undefined : tempDir();
    store = makeStore(backend, dir);
    store.createTopic('t', {
      partitions: 1,
      configs: { 'max.message.bytes': '20000', 'segment.bytes': '100000', 'message.timestamp.before.max.ms': '3600000' },
    });
    log = store.partition('t', 0)!;
    for (let i = 0; i < 5; i++) log.append(makeSizedBatch(1000, 2, i + 1, { baseTimestamp: Date.now() }));
    snapshot = () => ({
      leo: log.logEndOffset,
      size: log.sizeInBytes(),
      bytes: Buffer.concat(readAllBatches(log)).toString('hex'),
      file: dir ? fs.statSync(path.join(dir, 't-0', '00000000000000000000.log')).size : 0,
    });
  });
  afterEach(() => {
    store.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const good = (): Buffer => makeSizedBatch(800, 3, 42, { baseTimestamp: Date.now() });

  const cases: Array<[string, () => Buffer, number, number?]> = [
    ['a flipped record byte (CRC mismatch)', () => mutate(good(), (c) => (c[c.length - 3]! ^= 0x01)), CORRUPT_MESSAGE, 0],
    ['a bad CRC in the second batch of a request', () => Buffer.concat([good(), mutate(good(), (c) => (c[70]! ^= 0xff))]), CORRUPT_MESSAGE, 1],
    ['a batch cut short', () => good().subarray(0, 500), CORRUPT_MESSAGE, 0],
    ['a header cut short', () => good().subarray(0, 30), CORRUPT_MESSAGE, 0],
    ['batchLength below the header size', () => mutate(good(), (c) => c.writeInt32BE(30, BATCH_LENGTH_OFFSET)), CORRUPT_MESSAGE, 0],
    ['batchLength beyond the bytes sent', () => mutate(good(), (c) => c.writeInt32BE(c.length, BATCH_LENGTH_OFFSET)), CORRUPT_MESSAGE, 0],
    ['a negative batchLength', () => mutate(good(), (c) => c.writeInt32BE(-5, BATCH_LENGTH_OFFSET)), CORRUPT_MESSAGE, 0],
    ['trailing bytes after the last batch', () => Buffer.concat([good(), Buffer.alloc(7, 1)]), CORRUPT_MESSAGE, 1],
    ['magic 1 (legacy)', () => mutate(good(), (c) => (c[MAGIC_OFFSET] = 1)), INVALID_RECORD, 0],
    ['magic 0 (legacy)', () => mutate(good(), (c) => (c[MAGIC_OFFSET] = 0)), INVALID_RECORD, 0],
    ['magic 3 (unknown)', () => mutate(good(), (c) => (c[MAGIC_OFFSET] = 3)), CORRUPT_MESSAGE, 0],
    ['an unknown compression id', () => mutate(good(), (c) => c.writeInt16BE(6, ATTRIBUTES_OFFSET), true), CORRUPT_MESSAGE, 0],
    ['recordCount not lastOffsetDelta + 1', () => mutate(good(), (c) => c.writeInt32BE(7, RECORD_COUNT_OFFSET), true), INVALID_RECORD, 0],
    ['a control batch from a client', () => mutate(good(), (c) => c.writeInt16BE(CONTROL_FLAG_MASK, ATTRIBUTES_OFFSET), true), INVALID_RECORD, 0],
    ['no batches at all', () => Buffer.alloc(0), INVALID_RECORD, -1],
    ['a batch over max.message.bytes', () => makeSizedBatch(25_000, 1, 3, { baseTimestamp: Date.now() }), MESSAGE_TOO_LARGE, 0],
    ['a second batch over max.message.bytes', () => Buffer.concat([good(), makeSizedBatch(25_000, 1, 3)]), MESSAGE_TOO_LARGE, 1],
    ['a request larger than a segment', () => Buffer.concat(Array.from({ length: 7 }, () => makeSizedBatch(15_000, 1, 4))), RECORD_LIST_TOO_LARGE, -1],
    ['a CreateTime two hours old', () => makeBatch([Buffer.from('old')], { baseTimestamp: Date.now() - 7_200_000 }), INVALID_TIMESTAMP, 0],
  ];

  it.each(cases)('refuses %s and leaves the log untouched', (_name, input, code, batchIndex) => {
    const before = snapshot();
    const r: AppendResult = log.append(input());
    expect(r.ok).toBe(false);
    expect(r.errorCode).toBe(code);
    if (!r.ok) {
      expect(r.errorMessage.length).toBeGreaterThan(0);
      expect(r.batchIndex).toBe(batchIndex);
      expect(r.logStartOffset).toBe(0);
    }
    expect(snapshot()).toEqual(before);
    // The log still takes good batches at the next offset.
    expect(log.append(good())).toMatchObject({ ok: true, baseOffset: 10 });
  });

  it('lets the transaction coordinator write control batches', () => {
    const marker = mutate(good(), (c) => c.writeInt16BE(CONTROL_FLAG_MASK, ATTRIBUTES_OFFSET), true);
    expect(log.append(marker, { origin: 'coordinator' })).toMatchObject({ ok: true, baseOffset: 10 });
  });
});
