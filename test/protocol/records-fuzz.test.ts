/**
 * Mutation fuzzing of every record decoder: damaged input must either decode or raise the typed
 * error (CorruptRecordError, or UnsupportedCompressionTypeError for a down-conversion of zstd);
 * never a RangeError, TypeError or a crash. Seeded, so a failure reproduces. Longer runs:
 * FUZZ_ITERATIONS=100000 npx vitest run test/protocol/records-fuzz.test.ts
 */
import { describe, expect, it } from 'vitest';
import { CompressionType } from '../../src/protocol/records/batch-header.js';
import { codecFor } from '../../src/protocol/records/compression/index.js';
import { CorruptRecordError, UnsupportedCompressionTypeError } from '../../src/protocol/records/errors.js';
import { messageSetToRecordBatches, recordBatchesToMessageSet } from '../../src/protocol/records/legacy/convert.js';
import { decodeMessageSet, encodeMessageSet } from '../../src/protocol/records/legacy/message-set.js';
import { decodeRecordBatches, encodeRecordBatch } from '../../src/protocol/records/records.js';

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 1500);

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

function mutate(input: Buffer, rand: () => number): Buffer {
  const out = Buffer.from(input);
  const kind = Math.floor(rand() * 4);
  if (kind === 0) return out.subarray(0, Math.floor(rand() * out.length)); // truncate
  if (kind === 1) {
    const at = Math.floor(rand() * out.length);
    return Buffer.concat([out.subarray(0, at), Buffer.from([Math.floor(rand() * 256)]), out.subarray(at)]);
  }
  const flips = 1 + Math.floor(rand() * (kind === 2 ? 1 : 8));
  for (let i = 0; i < flips; i++) out[Math.floor(rand() * out.length)] = Math.floor(rand() * 256);
  return out;
}

function fuzz(name: string, base: Buffer, decode: (b: Buffer) => unknown, seed: number): void {
  const rand = prng(seed);
  for (let i = 0; i < ITERATIONS; i++) {
    const input = mutate(base, rand);
    try {
      decode(input);
    } catch (err) {
      if (err instanceof CorruptRecordError || err instanceof UnsupportedCompressionTypeError) continue;
      throw new Error(`${name}: iteration ${i} threw ${String(err)} for ${input.toString('hex').slice(0, 400)}`);
    }
  }
}

const records = [
  { key: 'alpha', value: 'one', headers: [{ key: 'h', value: 'x' }] },
  { key: null, value: Buffer.alloc(300, 'b') },
  { key: 'gamma', value: null },
];

describe('fuzzing decoders with damaged input', () => {
  for (const compression of [0, 1, 2, 3, 4] as CompressionType[]) {
    const batch = Buffer.concat([
      encodeRecordBatch({ compression, records }),
      encodeRecordBatch({ baseOffset: 3, compression, records: records.slice(1) }),
    ]);
    it(`v2 batches, compression ${compression} (CRC checked and unchecked)`, () => {
      fuzz('batch', batch, (b) => decodeRecordBatches(b), 1 + compression);
      fuzz('batch-nocrc', batch, (b) => decodeRecordBatches(b, { verifyCrc: false }), 11 + compression);
      fuzz('down-convert', batch, (b) => recordBatchesToMessageSet(b, 1, 1 << 20), 21 + compression);
    });
  }

  for (const magic of [0, 1] as const) {
    for (const compression of [0, 1, 2, 3] as CompressionType[]) {
      const set = encodeMessageSet({ magic, compression, messages: records });
      it(`legacy magic ${magic}, compression ${compression}`, () => {
        fuzz('legacy', set, (b) => decodeMessageSet(b, { verifyCrc: false }), 31 + magic * 10 + compression);
        fuzz('up-convert', set, (b) => messageSetToRecordBatches(b, { verifyCrc: false }), 41 + magic * 10 + compression);
      });
    }
  }

  for (const type of [1, 2, 3, 4] as CompressionType[]) {
    const codec = codecFor(type);
    const packed = codec.compress(Buffer.from(JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ i, v: i % 7 })))));
    it(`${codec.name} decompression`, () => {
      fuzz(codec.name, packed, (b) => codec.decompress(b, 1 << 20), 61 + type);
    });
  }

  it('the fuzzer itself reaches both outcomes', () => {
    const base = encodeRecordBatch({ records });
    const rand = prng(99);
    let ok = 0;
    let bad = 0;
    for (let i = 0; i < 300; i++) {
      try {
        decodeRecordBatches(mutate(base, rand), { verifyCrc: false });
        ok++;
      } catch {
        bad++;
      }
    }
    expect(ok).toBeGreaterThan(0);
    expect(bad).toBeGreaterThan(0);
  });
});
