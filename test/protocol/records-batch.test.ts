import { describe, expect, it } from 'vitest';
import {
  CompressionType,
  TimestampType,
  writeBatchCrc,
  ATTRIBUTES_OFFSET,
  RECORD_BATCH_HEADER_SIZE,
} from '../../src/protocol/records/batch-header.js';
import { CorruptRecordError, UnknownCompressionError } from '../../src/protocol/records/errors.js';
import {
  decodeRecordBatch,
  decodeRecordBatches,
  encodeRecordBatch,
  iterateRecordBatches,
  type RecordBatchInput,
} from '../../src/protocol/records/records.js';
import { kjsDecodeBatch, kjsRecord, kjsRecordBatch, Long, registerKafkajsCodecs } from './records-kafkajs-interop.js';

const CODECS = [CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];
const T0 = 1_700_000_000_000;

function sampleInput(compression: CompressionType): RecordBatchInput {
  return {
    baseOffset: 1234,
    partitionLeaderEpoch: 7,
    producerId: 9_007_199_254,
    producerEpoch: 3,
    baseSequence: 42,
    isTransactional: true,
    compression,
    records: [
      { key: 'k0', value: 'v0', timestamp: T0, headers: [{ key: 'h', value: 'x' }, { key: 'h', value: null }] },
      { key: null, value: Buffer.alloc(0), timestamp: T0 + 5 },
      { key: Buffer.from([0, 1, 2]), value: null, timestamp: T0 - 3, headers: [{ key: 'ü', value: Buffer.from('ä') }] },
      { key: 'big', value: Buffer.alloc(100_000, 'a'), timestamp: T0 + 1 },
    ],
  };
}

describe('encodeRecordBatch / decodeRecordBatch', () => {
  for (const compression of CODECS) {
    it(`round-trips every field, compression ${compression}`, () => {
      const buf = encodeRecordBatch(sampleInput(compression));
      const batch = decodeRecordBatch(buf);
      expect(batch.sizeInBytes).toBe(buf.length);
      expect(batch).toMatchObject({
        baseOffset: 1234,
        partitionLeaderEpoch: 7,
        magic: 2,
        compression,
        lastOffsetDelta: 3,
        baseTimestamp: T0,
        maxTimestamp: T0 + 5,
        producerId: 9_007_199_254,
        producerEpoch: 3,
        baseSequence: 42,
        recordCount: 4,
        isTransactional: true,
        isControl: false,
        timestampType: TimestampType.CreateTime,
        hasDeleteHorizon: false,
      });
      const r = batch.records;
      expect(r.map((x) => x.offset)).toEqual([1234, 1235, 1236, 1237]);
      expect(r.map((x) => x.timestamp)).toEqual([T0, T0 + 5, T0 - 3, T0 + 1]);
      expect(r[0]!.key!.toString()).toBe('k0');
      expect(r[0]!.value!.toString()).toBe('v0');
      expect(r[0]!.headers).toEqual([
        { key: 'h', value: Buffer.from('x') },
        { key: 'h', value: null },
      ]);
      expect(r[1]!.key).toBeNull();
      expect(r[1]!.value).toEqual(Buffer.alloc(0));
      expect(r[2]!.key).toEqual(Buffer.from([0, 1, 2]));
      expect(r[2]!.value).toBeNull();
      expect(r[2]!.headers).toEqual([{ key: 'ü', value: Buffer.from('ä') }]);
      expect(r[3]!.value!.equals(Buffer.alloc(100_000, 'a'))).toBe(true);
      if (compression !== CompressionType.None) expect(buf.length).toBeLessThan(10_000);
    });
  }

  it('writes defaults like a non-idempotent producer', () => {
    const batch = decodeRecordBatch(encodeRecordBatch({ records: [{ value: 'x', timestamp: T0 }] }));
    expect(batch).toMatchObject({
      baseOffset: 0,
      partitionLeaderEpoch: -1,
      producerId: -1,
      producerEpoch: -1,
      baseSequence: -1,
      isTransactional: false,
      compression: 0,
    });
  });

  it('keeps custom offset deltas, control and LogAppendTime batches, and the delete horizon', () => {
    const buf = encodeRecordBatch({
      baseOffset: 100,
      isControl: true,
      timestampType: TimestampType.LogAppendTime,
      maxTimestamp: T0 + 1000,
      deleteHorizonMs: T0 + 86_400_000,
      lastOffsetDelta: 9,
      records: [
        { key: 'a', value: 'x', offsetDelta: 2, timestamp: T0 },
        { key: 'b', value: 'y', offsetDelta: 7, timestamp: T0 + 1 },
      ],
    });
    const batch = decodeRecordBatch(buf);
    expect(batch.isControl).toBe(true);
    expect(batch.hasDeleteHorizon).toBe(true);
    expect(batch.baseTimestamp).toBe(T0 + 86_400_000);
    expect(batch.lastOffsetDelta).toBe(9);
    expect(batch.records.map((r) => r.offset)).toEqual([102, 107]);
    // LogAppendTime: every record reports the batch's max timestamp, as Kafka's reader does.
    expect(batch.records.map((r) => r.timestamp)).toEqual([T0 + 1000, T0 + 1000]);
    expect(batch.records.map((r) => r.timestampDelta)).toEqual([T0 - (T0 + 86_400_000), T0 + 1 - (T0 + 86_400_000)]);
  });

  it('encodes an empty batch (what compaction leaves to keep producer state)', () => {
    const batch = decodeRecordBatch(encodeRecordBatch({ baseOffset: 5, lastOffsetDelta: 3, producerId: 8, records: [] }));
    expect(batch.records).toEqual([]);
    expect(batch.recordCount).toBe(0);
    expect(batch.baseTimestamp).toBe(-1);
    expect(batch.maxTimestamp).toBe(-1);
    expect(batch.lastOffsetDelta).toBe(3);
  });

  it('iterates concatenated batches and handles a partial tail on request', () => {
    const parts = [0, 10, 20].map((base) =>
      encodeRecordBatch({ baseOffset: base, compression: base === 10 ? CompressionType.Lz4 : 0, records: [{ value: `v${base}` }, { value: 'w' }] }),
    );
    const all = Buffer.concat(parts);
    expect(decodeRecordBatches(all).map((b) => b.records.map((r) => r.offset))).toEqual([
      [0, 1],
      [10, 11],
      [20, 21],
    ]);
    const cut = all.subarray(0, all.length - 5);
    expect(() => decodeRecordBatches(cut)).toThrow(CorruptRecordError);
    expect([...iterateRecordBatches(cut, { allowTrailingPartial: true })].length).toBe(2);
  });
});

describe('corrupt batches', () => {
  const good = encodeRecordBatch({ records: [{ key: 'a', value: 'b' }, { key: 'c', value: 'd' }] });

  function expectCorrupt(buf: Buffer, opts = {}): CorruptRecordError {
    try {
      decodeRecordBatch(buf, 0, opts);
    } catch (err) {
      expect(err).toBeInstanceOf(CorruptRecordError);
      return err as CorruptRecordError;
    }
    throw new Error('expected CorruptRecordError');
  }

  it('rejects a flipped byte (CRC), truncation and a wrong magic', () => {
    const flipped = Buffer.from(good);
    flipped[good.length - 2]! ^= 1;
    expect(expectCorrupt(flipped).message).toMatch(/CRC/);
    expectCorrupt(good.subarray(0, good.length - 1));
    expectCorrupt(good.subarray(0, 30));
    const magic1 = Buffer.from(good);
    magic1[16] = 1;
    expectCorrupt(magic1);
  });

  it('rejects record-level damage even with a valid CRC', () => {
    const tooMany = Buffer.from(good);
    tooMany.writeInt32BE(3, 57);
    writeBatchCrc(tooMany, 0);
    expect(expectCorrupt(tooMany).message).toMatch(/declares 3 records/);
    const tooFew = Buffer.from(good);
    tooFew.writeInt32BE(1, 57);
    writeBatchCrc(tooFew, 0);
    expect(expectCorrupt(tooFew).message).toMatch(/remain/);
    const badLen = Buffer.from(good);
    badLen[RECORD_BATCH_HEADER_SIZE] = 0x7f; // first record's length varint: far beyond the batch
    writeBatchCrc(badLen, 0);
    expectCorrupt(badLen);
    const negCount = Buffer.from(good);
    negCount.writeInt32BE(-1, 57);
    writeBatchCrc(negCount, 0);
    expectCorrupt(negCount);
  });

  it('rejects an unknown codec id and a payload the codec cannot read', () => {
    const wrongCodec = Buffer.from(good);
    wrongCodec.writeInt16BE(5, ATTRIBUTES_OFFSET);
    writeBatchCrc(wrongCodec, 0);
    expect(expectCorrupt(wrongCodec)).toBeInstanceOf(UnknownCompressionError);
    for (const codec of [1, 2, 3, 4]) {
      const lying = Buffer.from(good);
      lying.writeInt16BE(codec, ATTRIBUTES_OFFSET); // says compressed, holds plain records
      writeBatchCrc(lying, 0);
      expectCorrupt(lying);
    }
  });

  it('bounds decompression per batch', () => {
    const big = encodeRecordBatch({ compression: CompressionType.Zstd, records: [{ value: Buffer.alloc(4 << 20) }] });
    expectCorrupt(big, { maxDecompressedBytes: 1 << 20 });
    expect(decodeRecordBatch(big).records[0]!.value!.length).toBe(4 << 20);
  });
});

describe('kafkajs interop', () => {
  registerKafkajsCodecs();

  for (const compression of CODECS) {
    it(`kafkajs encodes, we decode (compression ${compression})`, async () => {
      const records = [
        kjsRecord({ offsetDelta: 0, timestampDelta: 0, key: 'key-0', value: 'value-0', headers: { a: 'x', b: 'y' } }),
        kjsRecord({ offsetDelta: 1, timestampDelta: 7, key: null, value: Buffer.alloc(20_000, 'z') }),
        kjsRecord({ offsetDelta: 2, timestampDelta: 9, key: 'k2', value: null }),
      ];
      const encoded = await kjsRecordBatch({
        compression,
        firstOffset: Long.fromValue(500),
        firstTimestamp: T0,
        maxTimestamp: T0 + 9,
        lastOffsetDelta: 2,
        producerId: Long.fromValue(77),
        producerEpoch: 2,
        firstSequence: 10,
        records,
      });
      const batch = decodeRecordBatch(encoded.buffer);
      expect(batch).toMatchObject({ baseOffset: 500, compression, producerId: 77, producerEpoch: 2, baseSequence: 10, recordCount: 3 });
      expect(batch.records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null])).toEqual([
        [500, T0, 'key-0'],
        [501, T0 + 7, null],
        [502, T0 + 9, 'k2'],
      ]);
      expect(batch.records[0]!.headers).toEqual([
        { key: 'a', value: Buffer.from('x') },
        { key: 'b', value: Buffer.from('y') },
      ]);
      expect(batch.records[1]!.value!.equals(Buffer.alloc(20_000, 'z'))).toBe(true);
      expect(batch.records[2]!.value).toBeNull();
    });

    it(`we encode, kafkajs decodes (compression ${compression})`, async () => {
      const buf = encodeRecordBatch(sampleInput(compression));
      const batch = await kjsDecodeBatch(buf);
      expect(batch.firstOffset).toBe('1234');
      expect(batch.inTransaction).toBe(true);
      expect(batch.producerId).toBe('9007199254');
      expect(batch.records.map((r) => r.offset)).toEqual(['1234', '1235', '1236', '1237']);
      expect(batch.records.map((r) => r.timestamp)).toEqual([T0, T0 + 5, T0 - 3, T0 + 1].map(String));
      expect(batch.records[0]!.key!.toString()).toBe('k0');
      expect(batch.records[0]!.headers.h).toEqual([Buffer.from('x'), null]);
      expect(batch.records[2]!.value).toBeNull();
      expect(batch.records[3]!.value!.length).toBe(100_000);
    });
  }

  it('our bytes equal kafkajs bytes for the same uncompressed batch', async () => {
    const encoded = await kjsRecordBatch({
      firstOffset: Long.fromValue(3),
      firstTimestamp: T0,
      maxTimestamp: T0 + 4,
      lastOffsetDelta: 1,
      partitionLeaderEpoch: 0,
      producerEpoch: 0,
      firstSequence: 0,
      records: [
        kjsRecord({ offsetDelta: 0, timestampDelta: 0, key: 'a', value: 'b', headers: { h: 'v' } }),
        kjsRecord({ offsetDelta: 1, timestampDelta: 4, key: 'c', value: 'd' }),
      ],
    });
    const ours = encodeRecordBatch({
      baseOffset: 3,
      partitionLeaderEpoch: 0,
      producerEpoch: 0,
      baseSequence: 0,
      records: [
        { key: 'a', value: 'b', timestamp: T0, headers: [{ key: 'h', value: 'v' }] },
        { key: 'c', value: 'd', timestamp: T0 + 4 },
      ],
    });
    expect(ours.toString('hex')).toBe(encoded.buffer.toString('hex'));
  });
});

describe('control records (transaction markers)', () => {
  it('encodes a commit marker batch the way Kafka lays it out, and reads it back', async () => {
    const { encodeEndTxnMarkerBatch, parseEndTxnMarker, parseControlRecordType, ControlRecordType } = await import(
      '../../src/protocol/records/control.js'
    );
    const buf = encodeEndTxnMarkerBatch({
      baseOffset: 77,
      timestamp: T0,
      partitionLeaderEpoch: 4,
      producerId: 1000,
      producerEpoch: 5,
      commit: true,
      coordinatorEpoch: 9,
    });
    // Kafka: RECORD_BATCH_OVERHEAD (61) + DefaultRecord.sizeInBytes(0, 0, 4, 6, no headers) = 17.
    expect(buf.length).toBe(61 + 17);
    const batch = decodeRecordBatch(buf);
    expect(batch).toMatchObject({ isControl: true, isTransactional: true, baseSequence: -1, producerId: 1000, producerEpoch: 5 });
    const record = batch.records[0]!;
    expect(record.offset).toBe(77);
    expect(record.key!.toString('hex')).toBe('00000001');
    expect(record.value!.toString('hex')).toBe('000000000009');
    expect(parseEndTxnMarker(record.key, record.value)).toEqual({ type: ControlRecordType.Commit, coordinatorEpoch: 9 });
    expect(() => parseControlRecordType(Buffer.from([0, 0, 1]))).toThrow(CorruptRecordError);
    expect(() => parseControlRecordType(Buffer.from([0xff, 0xff, 0, 1]))).toThrow(CorruptRecordError);
    expect(() => parseEndTxnMarker(record.key, Buffer.alloc(5))).toThrow(CorruptRecordError);
  });
});

describe('readRecordBatch (records on demand)', () => {
  it('checks the header up front and streams records one at a time', async () => {
    const { readRecordBatch } = await import('../../src/protocol/records/records.js');
    const many = encodeRecordBatch({
      baseOffset: 1000,
      compression: CompressionType.Zstd,
      records: Array.from({ length: 50_000 }, (_, i) => ({ key: null, value: i % 2 ? 'odd' : 'even', timestamp: T0 + i })),
    });
    const view = readRecordBatch(many);
    expect(view.recordCount).toBe(50_000);
    expect(view.compression).toBe(CompressionType.Zstd);
    let count = 0;
    let last = -1;
    for (const r of view.records()) {
      count++;
      last = r.offset;
    }
    expect([count, last]).toEqual([50_000, 50_999]);
    const first3 = [];
    for (const r of view.records()) {
      first3.push(r.value!.toString());
      if (first3.length === 3) break;
    }
    expect(first3).toEqual(['even', 'odd', 'even']);
    const bad = Buffer.from(many);
    bad[bad.length - 1]! ^= 1;
    expect(() => readRecordBatch(bad)).toThrow(CorruptRecordError); // CRC, before any record is read
  });
});
