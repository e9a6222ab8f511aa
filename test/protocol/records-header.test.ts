import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { crc32c, crc32cJs, crc32cImplementation } from '../../src/protocol/records/crc32c.js';
import {
  readBatchHeader,
  batchBaseOffset,
  batchSize,
  batchMagic,
  batchRecordCount,
  batchLastOffset,
  batchTimestampType,
  batchMaxTimestamp,
  batchPartitionLeaderEpoch,
  setBatchBaseOffset,
  setBatchPartitionLeaderEpoch,
  setBatchLogAppendTime,
  verifyBatchCrc,
  writeBatchCrc,
  checkBatch,
  batchRecordCountConsistent,
  readInt64,
  writeInt64,
  TimestampType,
  RECORD_BATCH_HEADER_SIZE,
  CRC_OFFSET,
  MAGIC_OFFSET,
  RECORD_COUNT_OFFSET,
} from '../../src/protocol/records/batch-header.js';
import { makeBatch } from '../storage/make-batch.js';

const require = createRequire(import.meta.url);

describe('crc32c', () => {
  it('matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32cJs(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32cImplementation).toBe('native');
  });
  it('chains over chunks and agrees with the JS fallback', () => {
    const data = Buffer.alloc(10_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 0xff;
    const whole = crc32c(data);
    expect(crc32c(data.subarray(5000), crc32c(data.subarray(0, 5000)))).toBe(whole);
    expect(crc32cJs(data)).toBe(whole);
    expect(crc32cJs(data.subarray(1234), crc32cJs(data.subarray(0, 1234)))).toBe(whole);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });
});

describe('crc32c fallback', () => {
  it('uses the pure-JS implementation when the native package cannot load', () => {
    // A preload that makes `@node-rs/crc32` fail to load, as on a platform without a prebuilt binary.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brook-crc-'));
    const preload = path.join(dir, 'no-native.cjs');
    fs.writeFileSync(
      preload,
      "const M = require('module'); const load = M._load; M._load = function (req, ...rest) { if (req === '@node-rs/crc32') throw new Error('no binary'); return load.call(this, req, ...rest); };",
    );
    const modulePath = new URL('../../src/protocol/records/crc32c.ts', import.meta.url).href;
    const script = `import(${JSON.stringify(modulePath)}).then((m) => console.log(m.crc32cImplementation, m.crc32c(Buffer.from('123456789')).toString(16)))`;
    const r = spawnSync(process.execPath, ['--require', preload, '--import', 'tsx', '-e', script], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('js e3069283');
  });
});

describe('int64 helpers', () => {
  it('round-trips values across the 32-bit boundary and negatives', () => {
    const b = Buffer.alloc(8);
    for (const v of [0, 1, -1, 2 ** 32, 2 ** 32 - 1, -(2 ** 32), 1_700_000_000_123, Number.MAX_SAFE_INTEGER, -(2 ** 40) + 3]) {
      writeInt64(b, 0, v);
      expect(b.readBigInt64BE(0)).toBe(BigInt(v));
      expect(readInt64(b, 0)).toBe(v);
    }
  });
});

describe('batch header', () => {
  const values = [Buffer.from('a'), Buffer.from('bb'), Buffer.from('ccc')];

  it('reads the header of a batch encoded by kafkajs (foreign encoder)', async () => {
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
      RecordBatch: (a: object) => Promise<{ buffer: Buffer }>;
    };
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (a: object) => unknown;
    const records = values.map((v, i) => Record({ offsetDelta: i, timestampDelta: i, key: null, value: v }));
    const enc = await RecordBatch({
      firstOffset: 0,
      firstTimestamp: 1_700_000_000_000,
      maxTimestamp: 1_700_000_000_002,
      lastOffsetDelta: 2,
      producerId: -1,
      records,
    });
    const raw = enc.buffer;
    const h = readBatchHeader(raw, 0);
    expect(h.magic).toBe(2);
    expect(h.batchLength + 12).toBe(raw.length);
    expect(h.lastOffsetDelta).toBe(2);
    expect(h.baseTimestamp).toBe(1_700_000_000_000);
    expect(h.maxTimestamp).toBe(1_700_000_000_002);
    expect(h.producerId).toBe(-1);
    expect(verifyBatchCrc(raw, 0)).toBe(true);
    expect(checkBatch(raw, 0, raw.length)).toBeUndefined();
  });

  it('reads fields at an offset inside a larger buffer, without copying', () => {
    const batch = makeBatch(values, { baseTimestamp: 1000, timestampStep: 5, producerId: 77, producerEpoch: 3, baseSequence: 9 });
    const big = Buffer.concat([Buffer.alloc(13, 0xee), batch, Buffer.alloc(4)]);
    const h = readBatchHeader(big, 13);
    expect(h).toMatchObject({
      baseOffset: 0,
      magic: 2,
      recordCount: 3,
      lastOffsetDelta: 2,
      baseTimestamp: 1000,
      maxTimestamp: 1010,
      producerId: 77,
      producerEpoch: 3,
      baseSequence: 9,
    });
    expect(batchSize(big, 13)).toBe(batch.length);
    expect(batchMagic(big, 13)).toBe(2);
    expect(batchRecordCount(big, 13)).toBe(3);
    expect(verifyBatchCrc(big, 13)).toBe(true);
    expect(RECORD_BATCH_HEADER_SIZE).toBe(61);
  });

  it('patches baseOffset and leader epoch without breaking the CRC', () => {
    const b = makeBatch(values);
    setBatchBaseOffset(b, 0, 2 ** 40 + 5);
    setBatchPartitionLeaderEpoch(b, 0, 7);
    expect(batchBaseOffset(b, 0)).toBe(2 ** 40 + 5);
    expect(batchLastOffset(b, 0)).toBe(2 ** 40 + 7);
    expect(batchPartitionLeaderEpoch(b, 0)).toBe(7);
    expect(verifyBatchCrc(b, 0)).toBe(true);
  });

  it('stamps LogAppendTime and recomputes the CRC', () => {
    const b = makeBatch(values, { baseTimestamp: 1000 });
    const before = b.readUInt32BE(CRC_OFFSET);
    expect(batchTimestampType(b, 0)).toBe(TimestampType.CreateTime);
    setBatchLogAppendTime(b, 0, 1_800_000_000_000);
    expect(batchTimestampType(b, 0)).toBe(TimestampType.LogAppendTime);
    expect(batchMaxTimestamp(b, 0)).toBe(1_800_000_000_000);
    expect(b.readUInt32BE(CRC_OFFSET)).not.toBe(before);
    expect(verifyBatchCrc(b, 0)).toBe(true);
  });

  it('detects corruption, truncation, bad magic and bad lengths', () => {
    const good = makeBatch(values);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 2] ^= 0x40;
    expect(checkBatch(flipped, 0, flipped.length)).toBe('bad-crc');
    expect(checkBatch(flipped, 0, flipped.length, false)).toBeUndefined();

    expect(checkBatch(good, 0, good.length - 1)).toBe('truncated');
    expect(checkBatch(good, 0, 10)).toBe('truncated');

    const magic = Buffer.from(good);
    magic[MAGIC_OFFSET] = 1;
    expect(checkBatch(magic, 0, magic.length)).toBe('bad-magic');

    const short = Buffer.from(good);
    short.writeInt32BE(20, 8);
    expect(checkBatch(short, 0, short.length)).toBe('bad-length');

    // CRC helpers never throw on a corrupt length.
    expect(verifyBatchCrc(short, 0)).toBe(false);
    const long = Buffer.from(good);
    long.writeInt32BE(1 << 20, 8);
    expect(typeof verifyBatchCrc(long, 0)).toBe('boolean'); // clamped to the bytes present
    expect(checkBatch(long, 0, long.length)).toBe('truncated');

    const count = Buffer.from(good);
    count.writeInt32BE(5, RECORD_COUNT_OFFSET);
    writeBatchCrc(count, 0);
    expect(checkBatch(count, 0, count.length)).toBeUndefined();
    expect(batchRecordCountConsistent(count, 0)).toBe(false);
    expect(batchRecordCountConsistent(good, 0)).toBe(true);
  });
});
