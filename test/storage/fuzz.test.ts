/**
 * Seeded mutation fuzzing of the produce path: random byte flips, cuts, splices and length rewrites
 * of valid multi-batch inputs. Append must never throw; a refused input leaves the log unchanged; an
 * accepted one is read back whole, with valid CRCs and contiguous offsets.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { batchLastOffset, batchSize, checkBatch } from '../../src/protocol/records/batch-header.js';
import type { Storage } from '../../src/storage/index.js';
import { type Backend, makeStore, readAllBatches, tempDir } from './helpers.js';
import { makeSizedBatch } from './make-batch.js';

function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

function mutate(input: Buffer, r: (n: number) => number): Buffer {
  const b = Buffer.from(input);
  switch (r(5)) {
    case 0: // flip bytes anywhere (headers included)
      for (let i = 0, n = 1 + r(4); i < n; i++) b[r(b.length)]! ^= 1 << r(8);
      return b;
    case 1: // cut the tail
      return b.subarray(0, r(b.length));
    case 2: // rewrite a batch length field with something odd
      b.writeInt32BE([0, 1, 48, 49, -1, 0x7fffffff, b.length, r(200)][r(8)]!, 8);
      return b;
    case 3: // splice random bytes into the middle
      return Buffer.concat([b.subarray(0, r(b.length)), Buffer.from(Array.from({ length: 1 + r(80) }, () => r(256))), b.subarray(r(b.length))]);
    default: // a valid input
      return b;
  }
}

describe.each(['memory', 'disk'] as Backend[])('produce fuzzing (%s)', (backend) => {
  let dir: string | undefined;
  let store: Storage;
  afterEach(() => {
    store.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('never throws, and never changes the log on a refused input', () => {
    dir = backend === 'memory' ? undefined : tempDir();
    store = makeStore(backend, dir, backend === 'disk' ? { tailCacheBytes: 0 } : {});
    store.createTopic('t', { partitions: 1, configs: { 'max.message.bytes': '6000', 'segment.bytes': '50000' } });
    const log = store.partition('t', 0)!;
    const r = rng(0xf00d);
    const iterations = backend === 'memory' ? 3000 : 600;
    let accepted = 0;
    for (let i = 0; i < iterations; i++) {
      const n = 1 + r(3);
      const input = Buffer.concat(Array.from({ length: n }, (_, j) => makeSizedBatch(100 + r(3000), 1 + r(4), i * 4 + j + 1)));
      const candidate = mutate(input, r);
      const before = [log.logEndOffset, log.sizeInBytes()];
      let result;
      expect(() => (result = log.append(candidate))).not.toThrow();
      if (result!.ok) {
        accepted++;
        expect(log.logEndOffset).toBeGreaterThan(before[0]!);
      } else {
        expect([log.logEndOffset, log.sizeInBytes()]).toEqual(before);
      }
    }
    expect(accepted).toBeGreaterThan(iterations / 10);
    // Everything stored is whole, valid and contiguous.
    let next = 0;
    for (const b of readAllBatches(log, 0, 20_000)) {
      expect(checkBatch(b, 0, b.length)).toBeUndefined();
      expect(batchSize(b, 0)).toBe(b.length);
      expect(Number(b.readBigInt64BE(0))).toBe(next);
      next = batchLastOffset(b, 0) + 1;
    }
    expect(next).toBe(log.logEndOffset);
  });
});
