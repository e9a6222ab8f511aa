/**
 * The produce slow path as a unit (src/server/produce): which batches stay opaque, recompression to
 * the topic codec for every (source, target) pair with every header field preserved, Kafka's full
 * validation (inner offsets, record count, keys on compacted topics) with per-record errors, and
 * corrupt compressed payloads answered with CORRUPT_MESSAGE, never a throw.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol/errors.js';
import {
  CompressionType,
  RECORDS_OFFSET,
  RECORD_COUNT_OFFSET,
  batchCompression,
  batchSize,
  writeBatchCrc,
} from '../../src/protocol/records/batch-header.js';
import { codecFor } from '../../src/protocol/records/compression/index.js';
import { decodeRecordBatch, encodeRecordBatch, type RecordBatchInput } from '../../src/protocol/records/records.js';
import { openStorage } from '../../src/storage/index.js';
import { KEEP_PRODUCER_CODEC, writePolicyFrom, type WritePolicy } from '../../src/server/produce/policy.js';
import { prepareBatches, type ProduceRejection } from '../../src/server/produce/prepare.js';

const require_snappy = () => createRequire(import.meta.url)('snappy') as { compressSync(b: Buffer): Buffer };
const CODECS = [CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];
const T0 = 1_700_000_000_000;

const policy = (over: Partial<WritePolicy> = {}): WritePolicy => ({
  targetCompression: KEEP_PRODUCER_CODEC,
  compressionLevel: undefined,
  compacted: false,
  fullValidation: false,
  ...over,
});

function batch(compression: number, over: Partial<RecordBatchInput> = {}): Buffer {
  return encodeRecordBatch({
    compression: compression as CompressionType,
    producerId: 4242,
    producerEpoch: 7,
    baseSequence: 100,
    isTransactional: true,
    records: Array.from({ length: 20 }, (_, i) => ({
      key: i % 3 === 0 ? null : `key-${i}`,
      value: i === 5 ? null : `value-${i}-`.repeat(1 + (i % 4)),
      timestamp: T0 + i * 10,
      headers: i % 2 === 0 ? [{ key: 'h', value: `hv-${i}` }, { key: 'null', value: null }] : [],
    })),
    ...over,
  });
}

function isRejection(r: Buffer | ProduceRejection): r is ProduceRejection {
  return !Buffer.isBuffer(r);
}

/** A batch whose payload is `payload` under codec id `codec`, with a valid CRC (a buggy producer). */
function withPayload(codec: number, payload: Buffer, recordCount = 1): Buffer {
  const b = Buffer.concat([batch(CompressionType.None).subarray(0, RECORDS_OFFSET), payload]);
  b.writeInt32BE(b.length - 12, 8);
  b.writeInt16BE((b.readInt16BE(21) & ~7) | codec, 21);
  b.writeInt32BE(recordCount - 1, 23);
  b.writeInt32BE(recordCount, RECORD_COUNT_OFFSET);
  writeBatchCrc(b, 0);
  return b;
}

describe('fast path', () => {
  it('returns the very same buffer when the topic keeps the producer codec', () => {
    for (const c of CODECS) {
      const b = batch(c);
      expect(prepareBatches(b, policy())).toBe(b);
    }
  });

  it('returns the same buffer when the batch already has the topic codec', () => {
    for (const c of CODECS) {
      const b = batch(c);
      expect(prepareBatches(b, policy({ targetCompression: c }))).toBe(b);
    }
  });

  it('refuses, without decoding, a payload that is not its codec stream (wrong codec id, garbage)', () => {
    const payload = batch(CompressionType.None).subarray(RECORDS_OFFSET);
    const cases: Array<[number, Buffer]> = [
      [CompressionType.Gzip, Buffer.from('not gzip at all, just text here')],
      [CompressionType.Gzip, codecFor(CompressionType.Zstd).compress(payload)],
      [CompressionType.Lz4, codecFor(CompressionType.Gzip).compress(payload)],
      [CompressionType.Zstd, codecFor(CompressionType.Lz4).compress(payload)],
      [CompressionType.Snappy, codecFor(CompressionType.Snappy).compress(payload).subarray(0, 12)],
      [CompressionType.Zstd, Buffer.alloc(0)],
    ];
    for (const [codec, body] of cases) {
      const r = prepareBatches(withPayload(codec, body), policy());
      expect(isRejection(r), `codec ${codec}`).toBe(true);
      expect((r as ProduceRejection).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
      expect((r as ProduceRejection).message).toMatch(/payload is/);
    }
  });

  it('accepts every codec stream form producers send (xerial and raw snappy, zstd, lz4, gzip) untouched', () => {
    const payload = batch(CompressionType.None).subarray(RECORDS_OFFSET);
    const raw = Buffer.from(require_snappy().compressSync(payload));
    for (const [codec, body] of [
      [CompressionType.Snappy, raw],
      [CompressionType.Snappy, codecFor(CompressionType.Snappy).compress(payload)],
      [CompressionType.Gzip, codecFor(CompressionType.Gzip).compress(payload)],
      [CompressionType.Lz4, codecFor(CompressionType.Lz4).compress(payload)],
      [CompressionType.Zstd, codecFor(CompressionType.Zstd).compress(payload)],
    ] as const) {
      const b = withPayload(codec, body);
      b.writeInt32BE(19, 23);
      b.writeInt32BE(20, RECORD_COUNT_OFFSET);
      writeBatchCrc(b, 0);
      expect(prepareBatches(b, policy()), `codec ${codec}`).toBe(b);
      expect(decodeRecordBatch(b).records).toHaveLength(20);
    }
  });

  it('stores as produced a payload that starts right but is cut (header mode decodes nothing)', () => {
    const good = codecFor(CompressionType.Gzip).compress(batch(CompressionType.None).subarray(RECORDS_OFFSET));
    const cut = withPayload(CompressionType.Gzip, good.subarray(0, good.length - 9));
    expect(prepareBatches(cut, policy())).toBe(cut);
    expect(isRejection(prepareBatches(cut, policy({ fullValidation: true })))).toBe(true);
  });
});

describe('recompression to the topic codec', () => {
  for (const source of CODECS) {
    for (const target of CODECS) {
      if (source === target) continue;
      it(`codec ${source} → ${target} keeps records and header fields`, () => {
        const input = batch(source);
        const before = decodeRecordBatch(input);
        const out = prepareBatches(Buffer.from(input), policy({ targetCompression: target }));
        expect(isRejection(out)).toBe(false);
        const after = decodeRecordBatch(out as Buffer);
        expect(batchSize(out as Buffer, 0)).toBe((out as Buffer).length);
        expect(after.compression).toBe(target);
        for (const f of ['producerId', 'producerEpoch', 'baseSequence', 'isTransactional', 'baseTimestamp', 'maxTimestamp', 'lastOffsetDelta', 'recordCount', 'timestampType', 'partitionLeaderEpoch', 'baseOffset'] as const) {
          expect(after[f], f).toEqual(before[f]);
        }
        expect(after.records).toEqual(before.records);
      });
    }
  }

  it('uses the configured level (gzip 1 vs 9 differ in size)', () => {
    const big = batch(CompressionType.None, {
      records: Array.from({ length: 500 }, (_, i) => ({ value: `{"id":${i},"name":"user-${i % 37}","ok":${i % 2 === 0}}`, timestamp: T0 })),
    });
    const one = prepareBatches(big, policy({ targetCompression: CompressionType.Gzip, compressionLevel: 1 })) as Buffer;
    const nine = prepareBatches(big, policy({ targetCompression: CompressionType.Gzip, compressionLevel: 9 })) as Buffer;
    expect(decodeRecordBatch(one).records).toEqual(decodeRecordBatch(nine).records);
    expect(one.length).toBeGreaterThan(nine.length);
  });

  it('leaves control batches alone', () => {
    const control = encodeRecordBatch({ isControl: true, records: [{ key: Buffer.from([0, 0, 0, 0]), value: Buffer.from([0, 0, 0, 0, 0, 0]) }] });
    expect(prepareBatches(control, policy({ targetCompression: CompressionType.Zstd }))).toBe(control);
  });

  it('recompresses each batch of a multi-batch (legacy-converted) input', () => {
    const two = Buffer.concat([batch(CompressionType.Gzip), batch(CompressionType.Snappy)]);
    const out = prepareBatches(two, policy({ targetCompression: CompressionType.Lz4 })) as Buffer;
    const first = decodeRecordBatch(out, 0);
    const second = decodeRecordBatch(out, first.sizeInBytes);
    expect([first.compression, second.compression]).toEqual([CompressionType.Lz4, CompressionType.Lz4]);
    expect(first.sizeInBytes + second.sizeInBytes).toBe(out.length);
  });

  it('is accepted by storage, which stores the topic codec', () => {
    const storage = openStorage({ memory: true });
    storage.createTopic('t', { partitions: 1 });
    const log = storage.partition('t', 0)!;
    const out = prepareBatches(batch(CompressionType.Gzip), policy({ targetCompression: CompressionType.Zstd })) as Buffer;
    const r = log.append(out);
    expect(r.ok).toBe(true);
    const read = log.read(0, 1 << 20);
    expect(batchCompression(read.chunks[0]!, 0)).toBe(CompressionType.Zstd);
    expect(decodeRecordBatch(read.chunks[0]!).records.map((x) => x.value?.toString())).toEqual(decodeRecordBatch(batch(CompressionType.Gzip)).records.map((x) => x.value?.toString()));
    storage.close();
  });
});

describe('full validation', () => {
  it('refuses keyless records on compacted topics, naming each record', () => {
    for (const c of CODECS) {
      const r = prepareBatches(batch(c), policy({ compacted: true }));
      expect(isRejection(r)).toBe(true);
      const rej = r as ProduceRejection;
      expect(rej.errorCode).toBe(ErrorCode.INVALID_RECORD);
      expect(rej.recordErrors?.map((e) => e.batchIndex)).toEqual([0, 3, 6, 9, 12, 15, 18]);
      expect(rej.recordErrors?.[0]?.batchIndexErrorMessage).toMatch(/Compacted topic cannot accept message without key/);
    }
  });

  it('accepts keyed records (and tombstones) on compacted topics, bytes unchanged', () => {
    const keyed = encodeRecordBatch({ compression: CompressionType.Lz4, records: [{ key: 'a', value: 'x' }, { key: 'b', value: null }] });
    expect(prepareBatches(keyed, policy({ compacted: true }))).toBe(keyed);
  });

  it('refuses non-incremental inner offsets with per-record errors', () => {
    for (const c of CODECS) {
      const b = encodeRecordBatch({
        compression: c as CompressionType,
        lastOffsetDelta: 2,
        records: [{ value: 'a', offsetDelta: 0 }, { value: 'b', offsetDelta: 2 }, { value: 'c', offsetDelta: 1 }],
      });
      const r = prepareBatches(b, policy({ fullValidation: true })) as ProduceRejection;
      expect(r.errorCode).toBe(ErrorCode.INVALID_RECORD);
      expect(r.recordErrors?.map((e) => e.batchIndex)).toEqual([1, 2]);
      expect(r.recordErrors?.[0]?.batchIndexErrorMessage).toMatch(/incremental offsets/);
    }
  });

  it('refuses a record count that does not match the records', () => {
    const b = encodeRecordBatch({ compression: CompressionType.Snappy, lastOffsetDelta: 2, records: [{ value: 'a' }, { value: 'b' }] });
    b.writeInt32BE(3, RECORD_COUNT_OFFSET);
    writeBatchCrc(b, 0);
    const r = prepareBatches(b, policy({ fullValidation: true })) as ProduceRejection;
    expect(r.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(r.message).toMatch(/Record count 3/);
  });

  it('checks each record timestamp against the CreateTime bounds: INVALID_TIMESTAMP naming the records', () => {
    const now = T0 + 1000;
    const b = encodeRecordBatch({
      compression: CompressionType.Gzip,
      records: [{ value: 'old', timestamp: T0 - 3_600_000 }, { value: 'ok', timestamp: now }, { value: 'future', timestamp: now + 7_200_000 }],
    });
    const timestamps = { now, beforeMaxMs: 60_000, afterMaxMs: 60_000 };
    const r = prepareBatches(b, policy({ fullValidation: true }), { timestamps }) as ProduceRejection;
    expect(r.errorCode).toBe(ErrorCode.INVALID_TIMESTAMP);
    expect(r.recordErrors?.map((e) => e.batchIndex)).toEqual([0, 2]);
    expect(prepareBatches(b, policy({ fullValidation: true }), { timestamps: { now, beforeMaxMs: Infinity, afterMaxMs: Infinity } })).toBe(b);
  });

  it('passes a sound batch through unchanged in full mode', () => {
    for (const c of CODECS) {
      const b = batch(c);
      expect(prepareBatches(b, policy({ fullValidation: true }))).toBe(b);
    }
  });
});

describe('corrupt compressed payloads', () => {
  const payload = Buffer.from(encodeRecordBatch({ records: [{ key: 'k', value: 'v'.repeat(300) }] }).subarray(RECORDS_OFFSET));
  const cases: Array<[string, Buffer]> = [];
  for (const c of CODECS.slice(1)) {
    const good = codecFor(c).compress(payload);
    cases.push([`codec ${c}: bad frame`, withPayload(c, Buffer.from('\x00\x01garbage that is no frame of anything'))]);
    cases.push([`codec ${c}: truncated`, withPayload(c, good.subarray(0, Math.max(1, good.length - 7)))]);
    cases.push([`codec ${c}: flipped bytes`, withPayload(c, Buffer.from(good.map((x, i) => (i > 8 && i % 3 === 0 ? x ^ 0x5a : x))))]);
  }
  // Right bytes, wrong codec id: gzip bytes labelled lz4, lz4 bytes labelled zstd.
  cases.push(['gzip bytes labelled lz4', withPayload(CompressionType.Lz4, codecFor(CompressionType.Gzip).compress(payload))]);
  cases.push(['lz4 bytes labelled zstd', withPayload(CompressionType.Zstd, codecFor(CompressionType.Lz4).compress(payload))]);
  cases.push(['uncompressed records labelled snappy', withPayload(CompressionType.Snappy, payload)]);

  for (const [name, bad] of cases) {
    it(`${name}: CORRUPT_MESSAGE or INVALID_RECORD on every slow path, no throw`, () => {
      const other = bad.readInt16BE(21) % 8 === CompressionType.Zstd ? CompressionType.Gzip : CompressionType.Zstd;
      for (const p of [policy({ fullValidation: true }), policy({ compacted: true }), policy({ targetCompression: CompressionType.None }), policy({ targetCompression: other })]) {
        const r = prepareBatches(Buffer.from(bad), p);
        // A bad payload may still decode by chance (snappy has no checksum): then it must be re-checked records.
        if (isRejection(r)) expect([ErrorCode.CORRUPT_MESSAGE, ErrorCode.INVALID_RECORD]).toContain(r.errorCode);
        else decodeRecordBatch(r);
      }
    });
  }

  it('an undefined codec id (5-7) is left to storage, which answers CORRUPT_MESSAGE', () => {
    const storage = openStorage({ memory: true });
    storage.createTopic('t', { partitions: 1 });
    for (const id of [5, 6, 7]) {
      const bad = withPayload(id, payload);
      const r = prepareBatches(bad, policy({ targetCompression: CompressionType.Gzip }));
      expect(r).toBe(bad);
      const appended = storage.partition('t', 0)!.append(r as Buffer);
      expect(appended.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    }
    storage.close();
  });

  it('a bad CRC is left to storage (CORRUPT_MESSAGE), never decompressed', () => {
    const b = batch(CompressionType.Gzip);
    b[b.length - 3]! ^= 0xff;
    expect(prepareBatches(b, policy({ targetCompression: CompressionType.Zstd }))).toBe(b);
  });
});

describe('policy from topic configs', () => {
  const from = (configs: Record<string, string>, compacted = false) => writePolicyFrom((n) => configs[n], compacted);
  it('maps compression.type and the codec levels', () => {
    expect(from({}).targetCompression).toBe(KEEP_PRODUCER_CODEC);
    expect(from({ 'compression.type': 'producer' }).targetCompression).toBe(KEEP_PRODUCER_CODEC);
    expect(from({ 'compression.type': 'uncompressed' }).targetCompression).toBe(CompressionType.None);
    expect(from({ 'compression.type': 'zstd', 'compression.zstd.level': '9' })).toMatchObject({ targetCompression: CompressionType.Zstd, compressionLevel: 9 });
    expect(from({ 'compression.type': 'gzip', 'compression.gzip.level': '-1' }).compressionLevel).toBeUndefined();
    expect(from({ 'compression.type': 'gzip', 'compression.gzip.level': '2' }).compressionLevel).toBe(2);
    expect(from({ 'compression.type': 'snappy', 'compression.zstd.level': '9' }).compressionLevel).toBeUndefined();
  });
});

describe('seeded mutation fuzz of the record walk', () => {
  it('never throws; what it accepts, the full record decoder accepts too', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const base = batch(CompressionType.None);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const b = Buffer.from(base);
      const flips = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < flips; f++) b[RECORDS_OFFSET + Math.floor(rand() * (b.length - RECORDS_OFFSET))] = Math.floor(rand() * 256);
      writeBatchCrc(b, 0);
      for (const c of [CompressionType.None, CompressionType.Lz4]) {
        // The same mutated records, sent uncompressed or lz4-compressed.
        const input = c === CompressionType.None ? b : recompressed(b, c);
        const r = prepareBatches(input, policy({ fullValidation: true }));
        if (isRejection(r)) expect([ErrorCode.CORRUPT_MESSAGE, ErrorCode.INVALID_RECORD]).toContain(r.errorCode);
        else {
          accepted++;
          expect(() => decodeRecordBatch(r)).not.toThrow();
        }
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
});

function recompressed(b: Buffer, codec: number): Buffer {
  const body = codecFor(codec).compress(b.subarray(RECORDS_OFFSET));
  const out = Buffer.concat([b.subarray(0, RECORDS_OFFSET), body]);
  out.writeInt32BE(out.length - 12, 8);
  out.writeInt16BE((out.readInt16BE(21) & ~7) | codec, 21);
  writeBatchCrc(out, 0);
  return out;
}
