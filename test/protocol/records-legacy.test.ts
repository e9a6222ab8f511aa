import { describe, expect, it } from 'vitest';
import { CompressionType, TimestampType } from '../../src/protocol/records/batch-header.js';
import { CorruptRecordError, UnsupportedCompressionTypeError } from '../../src/protocol/records/errors.js';
import { messageSetToRecordBatches, recordBatchesToMessageSet } from '../../src/protocol/records/legacy/convert.js';
import { crc32 } from '../../src/protocol/records/legacy/crc32.js';
import { readLegacyEntry, writeLegacyEntry, legacyEntrySize } from '../../src/protocol/records/legacy/message.js';
import { decodeMessageSet, encodeMessageSet, writeEntries } from '../../src/protocol/records/legacy/message-set.js';
import { codecFor } from '../../src/protocol/records/compression/index.js';
import { xxhash32 } from '../../src/protocol/records/compression/xxhash32.js';
import { decodeRecordBatch, decodeRecordBatches, encodeRecordBatch } from '../../src/protocol/records/records.js';
import { kjsCompressMessages, kjsDecodeMessageSet, kjsMessageSet, registerKafkajsCodecs } from './records-kafkajs-interop.js';

const T0 = 1_600_000_000_000;
const LEGACY_CODECS = [CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4];
const sample = [
  { key: 'k0', value: 'v0', timestamp: T0 },
  { key: null, value: 'v1', timestamp: T0 + 3 },
  { key: 'k2', value: null, timestamp: T0 + 1 },
  { key: 'k3', value: Buffer.alloc(5000, 'q'), timestamp: T0 + 2 },
];
const str = (b: Buffer | null): string | null => (b === null ? null : b.toString());

function expectCorrupt(fn: () => unknown): CorruptRecordError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CorruptRecordError);
    return err as CorruptRecordError;
  }
  throw new Error('expected CorruptRecordError');
}

describe('CRC-32', () => {
  it('matches the IEEE check value', () => {
    expect(crc32(Buffer.from('123456789'), 0, 9)).toBe(0xcbf43926);
  });
});

describe('legacy message sets', () => {
  for (const magic of [0, 1] as const) {
    for (const compression of LEGACY_CODECS) {
      it(`round-trips magic ${magic}, compression ${compression}`, () => {
        const buf = encodeMessageSet({ magic, compression, baseOffset: 100, messages: sample });
        const messages = decodeMessageSet(buf);
        expect(messages.map((m) => m.offset)).toEqual([100, 101, 102, 103]);
        expect(messages.map((m) => str(m.key))).toEqual(['k0', null, 'k2', 'k3']);
        expect(messages.map((m) => m.value?.length ?? null)).toEqual([2, 2, null, 5000]);
        expect(messages.map((m) => m.timestamp)).toEqual(magic === 1 ? sample.map((s) => s.timestamp) : [-1, -1, -1, -1]);
        expect(messages.every((m) => m.magic === magic && m.compression === 0)).toBe(true);
        if (compression !== CompressionType.None) {
          const wrapper = readLegacyEntry(buf, 0);
          expect(wrapper.offset).toBe(103); // the wrapper carries the last inner offset
          expect(wrapper.key).toBeNull();
          expect(wrapper.compression).toBe(compression);
          const inner = codecFor(compression).decompress(wrapper.value!, undefined, magic);
          // Inner offsets: relative for magic 1, absolute for magic 0.
          expect(readLegacyEntry(inner, 0).offset).toBe(magic === 1 ? 0 : 100);
          if (magic === 1) expect(wrapper.timestamp).toBe(T0 + 3);
          if (compression === CompressionType.Lz4 && magic === 0) {
            // Kafka's magic-0 lz4 header checksum covers the frame magic too (KAFKA-3160).
            expect(wrapper.value![6]).toBe((xxhash32(wrapper.value!, 0, 6) >>> 8) & 0xff);
          }
        }
      });
    }
  }

  it('applies a LogAppendTime wrapper timestamp to the inner messages (magic 1)', () => {
    const buf = encodeMessageSet({
      magic: 1,
      compression: CompressionType.Gzip,
      timestampType: TimestampType.LogAppendTime,
      logAppendTime: T0 + 999,
      messages: sample,
    });
    const messages = decodeMessageSet(buf);
    expect(messages.map((m) => m.timestamp)).toEqual([T0 + 999, T0 + 999, T0 + 999, T0 + 999]);
    expect(messages.every((m) => m.timestampType === TimestampType.LogAppendTime)).toBe(true);
  });

  it('takes inner offsets as they are when a magic-1 wrapper says offset 0 (librdkafka, kafkajs)', () => {
    const inner = encodeMessageSet({ magic: 1, baseOffset: 0, messages: sample.slice(0, 3) });
    const wrapper = writeEntries([
      { offset: 0, magic: 1, attributes: CompressionType.Gzip, timestamp: T0, key: null, value: codecFor(1).compress(inner) },
    ]);
    expect(decodeMessageSet(wrapper).map((m) => m.offset)).toEqual([0, 1, 2]);
  });

  describe('invalid input', () => {
    const plain = encodeMessageSet({ magic: 1, messages: sample });
    const wrap = (magic: 0 | 1, compression: number, value: Buffer | null, offset = 10) =>
      writeEntries([{ offset, magic, attributes: compression, timestamp: T0, key: null, value }]);

    it('rejects a bad CRC, truncation and impossible sizes', () => {
      const flipped = Buffer.from(plain);
      flipped[30]! ^= 1;
      expect(expectCorrupt(() => decodeMessageSet(flipped)).message).toMatch(/crc/);
      expectCorrupt(() => decodeMessageSet(plain.subarray(0, plain.length - 1)));
      const small = Buffer.from(plain);
      small.writeInt32BE(5, 8);
      expectCorrupt(() => decodeMessageSet(small));
      const badKey = Buffer.alloc(legacyEntrySize(1, Buffer.from('k'), Buffer.from('v')));
      writeLegacyEntry(badKey, 0, { offset: 0, magic: 1, attributes: 0, timestamp: 0, key: Buffer.from('k'), value: Buffer.from('v') });
      badKey.writeInt32BE(1000, 26); // key length beyond the message
      expectCorrupt(() => decodeMessageSet(badKey, { verifyCrc: false }));
    });

    it('rejects what Kafka’s deep iterator rejects', () => {
      const nested = encodeMessageSet({ magic: 1, compression: CompressionType.Gzip, messages: sample });
      expect(expectCorrupt(() => decodeMessageSet(wrap(1, 1, codecFor(1).compress(nested)))).message).toMatch(/must not be compressed/);
      expectCorrupt(() => decodeMessageSet(wrap(1, CompressionType.Zstd, codecFor(4).compress(plain))));
      expectCorrupt(() => decodeMessageSet(wrap(1, 6, plain)));
      expectCorrupt(() => decodeMessageSet(wrap(1, 1, null)));
      expectCorrupt(() => decodeMessageSet(wrap(1, 1, codecFor(1).compress(Buffer.alloc(0)))));
      const v0inner = encodeMessageSet({ magic: 0, messages: sample });
      expect(expectCorrupt(() => decodeMessageSet(wrap(1, 1, codecFor(1).compress(v0inner)))).message).toMatch(/magic/);
      const rel = encodeMessageSet({ magic: 1, baseOffset: 0, messages: sample }); // last inner offset 3
      expect(expectCorrupt(() => decodeMessageSet(wrap(1, 1, codecFor(1).compress(rel), 2))).message).toMatch(/wrapper offset/);
      expectCorrupt(() => decodeMessageSet(wrap(1, 1, Buffer.from('not gzip at all'))));
    });
  });
});

describe('kafkajs interop (legacy)', () => {
  registerKafkajsCodecs();
  const entries = sample.map((s) => ({ key: s.key, value: s.value, timestamp: s.timestamp }));

  for (const magic of [0, 1] as const) {
    it(`kafkajs encodes magic ${magic}, we decode (plain and gzip/snappy wrappers)`, async () => {
      const plain = kjsMessageSet({ messageVersion: magic, compression: 0, entries }).buffer;
      const decoded = decodeMessageSet(plain);
      expect(decoded.map((m) => str(m.key))).toEqual(['k0', null, 'k2', 'k3']);
      if (magic === 1) expect(decoded.map((m) => m.timestamp)).toEqual(sample.map((s) => s.timestamp));
      for (const compression of [CompressionType.Gzip, CompressionType.Snappy]) {
        // How kafkajs's Produce v0-v2 builds a compressed set: compress the inner set, wrap it.
        const innerSet = kjsMessageSet({ messageVersion: magic, compression, entries });
        const value = await kjsCompressMessages.Codecs[compression]!().compress(innerSet);
        const wrapped = kjsMessageSet({ messageVersion: magic, entries: [{ key: null, value, timestamp: T0, compression } as never] }).buffer;
        const messages = decodeMessageSet(wrapped);
        expect(messages.map((m) => m.offset)).toEqual([0, 1, 2, 3]);
        expect(messages.map((m) => m.value?.length ?? null)).toEqual([2, 2, null, 5000]);
      }
    });

    it(`we encode magic ${magic}, kafkajs decodes (gzip wrapper with our offsets)`, async () => {
      for (const compression of [CompressionType.None, CompressionType.Gzip, CompressionType.Snappy]) {
        const buf = encodeMessageSet({ magic, compression, baseOffset: 500, messages: sample });
        const messages = await kjsDecodeMessageSet(buf);
        expect(messages.map((m) => String(m.offset))).toEqual(['500', '501', '502', '503']);
        expect(messages.map((m) => str(m.key))).toEqual(['k0', null, 'k2', 'k3']);
        if (magic === 1) expect(messages.map((m) => m.timestamp)).toEqual(sample.map((s) => String(s.timestamp)));
      }
    });
  }
});

describe('conversion', () => {
  for (const magic of [0, 1] as const) {
    for (const compression of LEGACY_CODECS) {
      it(`message set magic ${magic} (compression ${compression}) → one v2 batch`, () => {
        const set = Buffer.concat([
          encodeMessageSet({ magic, compression, baseOffset: 40, messages: sample.slice(0, 2) }),
          encodeMessageSet({ magic, compression, baseOffset: 42, messages: sample.slice(2) }),
        ]);
        const batches = decodeRecordBatches(messageSetToRecordBatches(set, { preserveOffsets: true }));
        expect(batches).toHaveLength(1);
        const batch = batches[0]!;
        expect(batch.compression).toBe(compression);
        expect(batch.producerId).toBe(-1);
        expect(batch.records.map((r) => r.offset)).toEqual([40, 41, 42, 43]);
        expect(batch.records.map((r) => str(r.key))).toEqual(['k0', null, 'k2', 'k3']);
        expect(batch.records.map((r) => r.value?.length ?? null)).toEqual([2, 2, null, 5000]);
        expect(batch.records.map((r) => r.timestamp)).toEqual(magic === 1 ? sample.map((s) => s.timestamp) : [-1, -1, -1, -1]);
        expect(batch.maxTimestamp).toBe(magic === 1 ? T0 + 3 : -1);
        // Default: offsets restart at 0 (the broker assigns them on append).
        expect(decodeRecordBatch(messageSetToRecordBatches(set)).records.map((r) => r.offset)).toEqual([0, 1, 2, 3]);
      });
    }
  }

  it('empty message set → empty buffer', () => {
    expect(messageSetToRecordBatches(Buffer.alloc(0)).length).toBe(0);
  });

  const log = Buffer.concat([
    encodeRecordBatch({ baseOffset: 0, records: sample.slice(0, 2).map((s) => ({ ...s, headers: [{ key: 'h', value: 'x' }] })) }),
    encodeRecordBatch({ baseOffset: 2, isControl: true, isTransactional: true, records: [{ key: Buffer.from([0, 0, 0, 1]), value: Buffer.alloc(6) }] }),
    encodeRecordBatch({ baseOffset: 3, compression: CompressionType.Gzip, records: sample.slice(2) }),
    encodeRecordBatch({ baseOffset: 5, compression: CompressionType.Lz4, timestampType: TimestampType.LogAppendTime, maxTimestamp: T0 + 50, records: [{ key: 'L', value: 'lz' }] }),
  ]);

  for (const magic of [0, 1] as const) {
    it(`v2 batches → magic ${magic}: offsets, keys, values, timestamps kept; control batch skipped`, () => {
      const set = recordBatchesToMessageSet(log, magic, 1 << 20);
      const messages = decodeMessageSet(set);
      expect(messages.map((m) => m.offset)).toEqual([0, 1, 3, 4, 5]);
      expect(messages.map((m) => str(m.key))).toEqual(['k0', null, 'k2', 'k3', 'L']);
      expect(messages.map((m) => m.value?.length ?? null)).toEqual([2, 2, null, 5000, 2]);
      expect(messages.map((m) => m.timestamp)).toEqual(magic === 1 ? [T0, T0 + 3, T0 + 1, T0 + 2, T0 + 50] : [-1, -1, -1, -1, -1]);
      expect(messages.every((m) => m.magic === magic)).toBe(true);
      if (magic === 1) expect(messages[4]!.timestampType).toBe(TimestampType.LogAppendTime);
      // Compressed batches stay compressed: two plain messages, then a gzip and an lz4 wrapper.
      const shallow = [];
      for (let pos = 0; pos < set.length; ) {
        const m = readLegacyEntry(set, pos);
        shallow.push(m.compression);
        pos += 12 + set.readInt32BE(pos + 8);
      }
      expect(shallow).toEqual([0, 0, CompressionType.Gzip, CompressionType.Lz4]);
      // And back up again.
      const up = decodeRecordBatch(messageSetToRecordBatches(set, { preserveOffsets: true }));
      expect(up.records.map((r) => r.offset)).toEqual([0, 1, 3, 4, 5]);
      expect(up.records.map((r) => str(r.key))).toEqual(['k0', null, 'k2', 'k3', 'L']);
    });
  }

  it('honours maxBytes with whole messages only', () => {
    const full = recordBatchesToMessageSet(log, 1, 1 << 20);
    const firstSize = 12 + full.readInt32BE(8);
    expect(recordBatchesToMessageSet(log, 1, firstSize - 1).length).toBe(0);
    const one = recordBatchesToMessageSet(log, 1, firstSize);
    expect(decodeMessageSet(one).map((m) => m.offset)).toEqual([0]);
    const almost = recordBatchesToMessageSet(log, 1, full.length - 1);
    expect(almost.length).toBeLessThan(full.length);
    expect(decodeMessageSet(almost).map((m) => m.offset)).toEqual([0, 1, 3, 4]); // the lz4 wrapper did not fit
    expect(decodeMessageSet(recordBatchesToMessageSet(log, 1, 10, { minOneMessage: true })).map((m) => m.offset)).toEqual([0]);
  });

  it('leaves out records below the fetch offset in uncompressed batches only (Kafka)', () => {
    expect(decodeMessageSet(recordBatchesToMessageSet(log, 1, 1 << 20, { firstOffset: 1 })).map((m) => m.offset)).toEqual([1, 3, 4, 5]);
    // The gzip batch (offsets 3-4) goes whole even when the fetch starts at 4.
    expect(decodeMessageSet(recordBatchesToMessageSet(log, 1, 1 << 20, { firstOffset: 4 })).map((m) => m.offset)).toEqual([3, 4, 5]);
  });

  it('ignores a partial last batch and passes legacy entries through', () => {
    const legacy = encodeMessageSet({ magic: 1, baseOffset: 7, messages: [{ key: 'old', value: 'x', timestamp: T0 }] });
    const mixed = Buffer.concat([log, legacy, log.subarray(0, 30)]);
    const messages = decodeMessageSet(recordBatchesToMessageSet(mixed, 1, 1 << 20));
    expect(messages.map((m) => m.offset)).toEqual([0, 1, 3, 4, 5, 7]);
    const to0 = decodeMessageSet(recordBatchesToMessageSet(mixed, 0, 1 << 20));
    expect(to0.map((m) => [m.offset, m.magic, m.timestamp])).toContainEqual([7, 0, -1]);
  });

  it('refuses zstd for old consumers (UNSUPPORTED_COMPRESSION_TYPE)', () => {
    const zstd = encodeRecordBatch({ compression: CompressionType.Zstd, records: [{ value: 'z' }] });
    try {
      recordBatchesToMessageSet(zstd, 1, 1 << 20);
      throw new Error('expected an error');
    } catch (err) {
      expect(err).toBeInstanceOf(UnsupportedCompressionTypeError);
      expect((err as UnsupportedCompressionTypeError).errorCode).toBe(76);
    }
  });
});
