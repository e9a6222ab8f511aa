/**
 * Builds real record batches (magic 2, uncompressed) for storage tests, the crash child and the bench.
 * Records carry a value only (no key, no headers). Independent of src/protocol/records' encoder on
 * purpose, so storage tests do not depend on it.
 */
import { compress } from '../../src/protocol/records/compression/index.js';
import {
  ATTRIBUTES_OFFSET,
  BATCH_LENGTH_OFFSET,
  RECORD_BATCH_HEADER_SIZE,
  LOG_OVERHEAD,
  writeBatchHeader,
  writeBatchCrc,
} from '../../src/protocol/records/batch-header.js';

function varintSize(v: number): number {
  let z = v >= 0 ? v * 2 : -v * 2 - 1; // zigzag
  let n = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    n++;
  }
  return n;
}

function writeVarint(b: Buffer, pos: number, v: number): number {
  let z = v >= 0 ? v * 2 : -v * 2 - 1;
  while (z >= 128) {
    b[pos++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  b[pos++] = z;
  return pos;
}

export interface MakeBatchOptions {
  baseOffset?: number;
  baseTimestamp?: number;
  /** Timestamp delta per record (default 0: all records share baseTimestamp). */
  timestampStep?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  attributes?: number;
  partitionLeaderEpoch?: number;
}

/** One batch holding `values` as records. */
export function makeBatch(values: Buffer[], opts: MakeBatchOptions = {}): Buffer {
  const baseTimestamp = opts.baseTimestamp ?? 1_700_000_000_000;
  const step = opts.timestampStep ?? 0;
  const bodies = values.map((v, i) => {
    const bodyLen = 1 + varintSize(i * step) + varintSize(i) + varintSize(-1) + varintSize(v.length) + v.length + varintSize(0);
    return { v, i, bodyLen, size: varintSize(bodyLen) + bodyLen };
  });
  const recordsSize = bodies.reduce((s, r) => s + r.size, 0);
  const total = RECORD_BATCH_HEADER_SIZE + recordsSize;
  const b = Buffer.allocUnsafe(total);
  const n = values.length;
  writeBatchHeader(b, 0, {
    baseOffset: opts.baseOffset ?? 0,
    batchLength: total - LOG_OVERHEAD,
    partitionLeaderEpoch: opts.partitionLeaderEpoch ?? -1,
    magic: 2,
    crc: 0,
    attributes: opts.attributes ?? 0,
    lastOffsetDelta: n - 1,
    baseTimestamp,
    maxTimestamp: baseTimestamp + Math.max(0, n - 1) * step,
    producerId: opts.producerId ?? -1,
    producerEpoch: opts.producerEpoch ?? -1,
    baseSequence: opts.baseSequence ?? -1,
    recordCount: n,
  });
  let pos = RECORD_BATCH_HEADER_SIZE;
  for (const r of bodies) {
    pos = writeVarint(b, pos, r.bodyLen);
    b[pos++] = 0; // record attributes
    pos = writeVarint(b, pos, r.i * step);
    pos = writeVarint(b, pos, r.i);
    pos = writeVarint(b, pos, -1); // null key
    pos = writeVarint(b, pos, r.v.length);
    r.v.copy(b, pos);
    pos += r.v.length;
    pos = writeVarint(b, pos, 0); // no headers
  }
  writeBatchCrc(b, 0);
  return b;
}

/** A batch of `count` records, at most `bytes` bytes in all (as close as the record framing allows), filled from `seed`. */
export function makeSizedBatch(bytes: number, count = 1, seed = 1, opts: MakeBatchOptions = {}): Buffer {
  let per = Math.max(0, Math.floor((bytes - RECORD_BATCH_HEADER_SIZE) / count) - 8);
  for (;;) {
    const values: Buffer[] = [];
    let x = seed >>> 0 || 1;
    for (let i = 0; i < count; i++) {
      const v = Buffer.allocUnsafe(per);
      for (let j = 0; j < per; j++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        v[j] = x & 0xff;
      }
      values.push(v);
    }
    const batch = makeBatch(values, opts);
    if (batch.length <= bytes || per === 0) return batch;
    per = Math.max(0, per - Math.ceil((batch.length - bytes) / count));
  }
}

/** The same batch with its records compressed by `codec` (1 gzip, 2 snappy, 3 lz4, 4 zstd). */
export function compressBatch(batch: Buffer, codec: number): Buffer {
  const body = compress(codec, batch.subarray(RECORD_BATCH_HEADER_SIZE));
  const out = Buffer.concat([batch.subarray(0, RECORD_BATCH_HEADER_SIZE), body]);
  out.writeInt32BE(out.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  out.writeInt16BE((out.readInt16BE(ATTRIBUTES_OFFSET) & ~0x07) | codec, ATTRIBUTES_OFFSET);
  writeBatchCrc(out, 0);
  return out;
}
