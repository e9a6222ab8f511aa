/**
 * The produce slow path over the wire, against a broker started through the public API, with requests
 * encoded by Brook's codec (no installed client sends corrupt compressed payloads on demand):
 *   - corrupt compressed payloads (bad frame, truncated frame, wrong codec id, bit flips) answer
 *     CORRUPT_MESSAGE or INVALID_RECORD on the fast path (CRC) and on every slow path (recompression,
 *     compacted topic, brook.produce.validation=full), and the broker keeps serving;
 *   - keyless records on a compacted topic: INVALID_RECORD with per-record errors in v8+;
 *   - legacy (v0-2) message sets reach the slow path too: recompressed to the topic codec.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api as produceApi, type ProduceRequest } from '../../src/protocol/messages/00-produce.js';
import { ErrorCode } from '../../src/protocol/errors.js';
import { CompressionType, RECORDS_OFFSET, RECORD_COUNT_OFFSET, batchCompression, writeBatchCrc } from '../../src/protocol/records/batch-header.js';
import { codecFor } from '../../src/protocol/records/compression/index.js';
import { encodeRecordBatch, decodeRecordBatch } from '../../src/protocol/records/records.js';
import { encodeMessageSet } from '../../src/protocol/records/legacy/message-set.js';
import { RawClient } from './helpers.js';
import { Rpc } from './rpc.js';
import { startTestBroker, type TestBroker } from './handlers-data-helpers.js';


function produceBody(topic: string, records: Buffer): ProduceRequest {
  return {
    transactionalId: null,
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: topic, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitionData: [{ index: 0, records }] }],
  };
}

const payload = encodeRecordBatch({ records: [{ key: 'k', value: 'v'.repeat(400) }] }).subarray(RECORDS_OFFSET);

/** A CRC-valid batch whose payload is `body` under codec id `codec` (a buggy producer, not line noise). */
function withPayload(codec: number, body: Buffer): Buffer {
  const b = Buffer.concat([encodeRecordBatch({ records: [{ key: 'k', value: 'x' }] }).subarray(0, RECORDS_OFFSET), body]);
  b.writeInt32BE(b.length - 12, 8);
  b.writeInt16BE(codec, 21);
  b.writeInt32BE(0, 23);
  b.writeInt32BE(1, RECORD_COUNT_OFFSET);
  writeBatchCrc(b, 0);
  return b;
}

function corruptCases(): Array<[string, Buffer]> {
  const cases: Array<[string, Buffer]> = [];
  for (const c of [CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd]) {
    const good = codecFor(c).compress(payload);
    cases.push([`codec ${c} bad frame`, withPayload(c, Buffer.from('this is not a compressed frame of any kind'))]);
    cases.push([`codec ${c} truncated frame`, withPayload(c, good.subarray(0, good.length >> 1))]);
  }
  cases.push(['gzip bytes labelled zstd', withPayload(CompressionType.Zstd, codecFor(CompressionType.Gzip).compress(payload))]);
  cases.push(['zstd bytes labelled lz4', withPayload(CompressionType.Lz4, codecFor(CompressionType.Zstd).compress(payload))]);
  return cases;
}

let tb: TestBroker;
let full: TestBroker;
let rpc: Rpc;
let rpcFull: Rpc;

beforeAll(async () => {
  tb = await startTestBroker('memory');
  full = await startTestBroker('memory', { 'brook.produce.validation': 'full' });
  const storage = tb.broker.context.storage;
  storage.createTopic('fast', { partitions: 1 });
  storage.createTopic('to-zstd', { partitions: 1, configs: { 'compression.type': 'zstd' } });
  storage.createTopic('to-none', { partitions: 1, configs: { 'compression.type': 'uncompressed' } });
  storage.createTopic('compacted', { partitions: 1, configs: { 'cleanup.policy': 'compact' } });
  storage.createTopic('to-none-small', { partitions: 1, configs: { 'compression.type': 'uncompressed', 'max.message.bytes': '4096' } });
  full.broker.context.storage.createTopic('fast', { partitions: 1 });
  rpc = new Rpc(await RawClient.connect(tb.port), 'slow-path-test');
  rpcFull = new Rpc(await RawClient.connect(full.port), 'slow-path-test');
});

afterAll(async () => {
  rpc?.client.destroy();
  rpcFull?.client.destroy();
  await tb?.close();
  await full?.close();
});

const errorOf = async (r: Rpc, version: number, topic: string, records: Buffer) =>
  (await r.call(produceApi, version, produceBody(topic, records))).responses[0]!.partitionResponses[0]!;

describe('corrupt compressed payloads', () => {
  it('fast path: a flipped byte (CRC), a codec id of 5-7, a cut batch: CORRUPT_MESSAGE', async () => {
    const flipped = encodeRecordBatch({ compression: CompressionType.Lz4, records: [{ value: 'v'.repeat(300) }] });
    flipped[flipped.length - 5]! ^= 0x40;
    expect((await errorOf(rpc, 9, 'fast', flipped)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    for (const id of [5, 6, 7]) expect((await errorOf(rpc, 9, 'fast', withPayload(id, payload))).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    const good = encodeRecordBatch({ compression: CompressionType.Gzip, records: [{ value: 'v'.repeat(300) }] });
    expect((await errorOf(rpc, 9, 'fast', good.subarray(0, good.length - 10))).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('fast path: a payload that is not its codec stream (wrong codec id, garbage) is CORRUPT_MESSAGE without decoding', async () => {
    for (const [name, bad] of [
      ['gzip bytes labelled zstd', withPayload(CompressionType.Zstd, codecFor(CompressionType.Gzip).compress(payload))],
      ['zstd bytes labelled lz4', withPayload(CompressionType.Lz4, codecFor(CompressionType.Zstd).compress(payload))],
      ['lz4 bytes labelled gzip', withPayload(CompressionType.Gzip, codecFor(CompressionType.Lz4).compress(payload))],
      ['garbage labelled zstd', withPayload(CompressionType.Zstd, Buffer.from('this is not a compressed frame of any kind'))],
    ] as const) {
      const res = await errorOf(rpc, 9, 'fast', bad);
      expect(res.errorCode, name).toBe(ErrorCode.CORRUPT_MESSAGE);
      expect(res.errorMessage, name).toMatch(/payload is not/);
    }
    expect(tb.broker.context.storage.partition('fast', 0)!.logEndOffset).toBe(0);
  });

  for (const [name, bad] of corruptCases()) {
    it(`${name}: refused on every slow path, nothing stored`, async () => {
      // A zstd batch for a zstd topic is the fast path (stored as produced): not a slow path to test here.
      const paths = [[rpc, 'to-zstd'], [rpc, 'to-none'], [rpc, 'compacted'], [rpcFull, 'fast']] as const;
      for (const [r, topic] of paths.filter(([, t]) => !(t === 'to-zstd' && batchCompression(bad, 0) === CompressionType.Zstd))) {
        const res = await errorOf(r, 9, topic, Buffer.from(bad));
        expect([ErrorCode.CORRUPT_MESSAGE, ErrorCode.INVALID_RECORD], `${topic}: ${res.errorMessage}`).toContain(res.errorCode);
        expect(res.errorMessage).toBeTruthy();
      }
    });
  }

  it('the broker still serves: a good batch lands on every topic afterwards', async () => {
    for (const [r, topic, broker] of [[rpc, 'to-zstd', tb], [rpc, 'to-none', tb], [rpc, 'compacted', tb], [rpcFull, 'fast', full]] as const) {
      const res = await errorOf(r, 9, topic, encodeRecordBatch({ compression: CompressionType.Gzip, records: [{ key: 'k', value: 'ok' }] }));
      expect(res.errorCode, topic).toBe(0);
      expect(res.baseOffset, topic).toBe(0n); // nothing of the corrupt batches was stored
      expect(broker.broker.context.storage.partition(topic, 0)!.logEndOffset).toBe(1);
    }
  });
});

describe('size limits', () => {
  it('a small zstd batch that would be stored uncompressed above max.message.bytes: MESSAGE_TOO_LARGE', async () => {
    const big = encodeRecordBatch({ compression: CompressionType.Zstd, records: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'x'.repeat(500) })) });
    expect(big.length).toBeLessThan(4096);
    const res = await errorOf(rpc, 9, 'to-none-small', big);
    expect(res.errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    const small = encodeRecordBatch({ compression: CompressionType.Zstd, records: [{ key: 'k', value: 'fits' }] });
    expect((await errorOf(rpc, 9, 'to-none-small', small)).errorCode).toBe(0);
  });
});

describe('record errors', () => {
  it('compacted topic, keyless records: INVALID_RECORD naming each record (v9), the code alone before v8', async () => {
    const batch = () =>
      encodeRecordBatch({ compression: CompressionType.Snappy, records: [{ key: 'a', value: '1' }, { value: '2' }, { key: 'c', value: '3' }, { value: '4' }] });
    const v9 = await errorOf(rpc, 9, 'compacted', batch());
    expect(v9.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(v9.recordErrors.map((e) => e.batchIndex)).toEqual([1, 3]);
    expect(v9.recordErrors[0]!.batchIndexErrorMessage).toMatch(/Compacted topic cannot accept message without key in topic partition compacted-0/);
    expect(v9.errorMessage).toMatch(/without key/);
    const v3 = await errorOf(rpc, 3, 'compacted', batch());
    expect(v3.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(v3.recordErrors).toEqual([]);
  });

  it('full validation: non-incremental inner offsets are named per record', async () => {
    const b = encodeRecordBatch({ compression: CompressionType.Zstd, lastOffsetDelta: 2, records: [{ value: 'a', offsetDelta: 0 }, { value: 'b', offsetDelta: 2 }, { value: 'c', offsetDelta: 1 }] });
    const res = await errorOf(rpcFull, 9, 'fast', b);
    expect(res.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(res.recordErrors.map((e) => e.batchIndex)).toEqual([1, 2]);
    // The same batch passes the header-only fast path of the default broker (its records stay opaque).
    expect((await errorOf(rpc, 9, 'fast', b)).errorCode).toBe(0);
  });
});

describe('legacy message sets on the slow path', () => {
  it('a Produce v2 gzip message set lands in a zstd topic as a zstd batch with its messages', async () => {
    const ts = Date.now();
    const set = encodeMessageSet({
      magic: 1,
      compression: CompressionType.Gzip,
      messages: [
        { key: Buffer.from('k1'), value: Buffer.from('legacy one'), timestamp: ts },
        { key: Buffer.from('k2'), value: Buffer.from('legacy two'), timestamp: ts + 1 },
      ],
    });
    const res = await errorOf(rpc, 2, 'to-zstd', set);
    expect(res.errorCode).toBe(0);
    const log = tb.broker.context.storage.partition('to-zstd', 0)!;
    const read = log.read(Number(res.baseOffset), 1 << 20);
    expect(batchCompression(read.chunks[0]!, 0)).toBe(CompressionType.Zstd);
    const decoded = decodeRecordBatch(read.chunks[0]!);
    expect(decoded.records.map((r) => [r.key?.toString(), r.value?.toString(), r.timestamp])).toEqual([
      ['k1', 'legacy one', ts],
      ['k2', 'legacy two', ts + 1],
    ]);
  });

  it('a Produce v0 message set with a keyless message is refused by a compacted topic', async () => {
    const set = encodeMessageSet({ magic: 0, compression: CompressionType.Gzip, messages: [{ key: Buffer.from('k'), value: Buffer.from('a') }, { key: null, value: Buffer.from('b') }] });
    expect((await errorOf(rpc, 0, 'compacted', set)).errorCode).toBe(ErrorCode.INVALID_RECORD);
  });
});

describe('broker-level compression.type', () => {
  it('is the default of topics without their own; a topic override of producer keeps the producer codec', async () => {
    const b = await startTestBroker('memory', { 'compression.type': 'lz4' });
    const client = new Rpc(await RawClient.connect(b.port), 'slow-path-test');
    try {
      const storage = b.broker.context.storage;
      storage.createTopic('inherits', { partitions: 1 });
      storage.createTopic('keeps', { partitions: 1, configs: { 'compression.type': 'producer' } });
      const gzip = () => encodeRecordBatch({ compression: CompressionType.Gzip, records: [{ key: 'k', value: 'v'.repeat(200) }] });
      expect((await errorOf(client, 9, 'inherits', gzip())).errorCode).toBe(0);
      expect((await errorOf(client, 9, 'keeps', gzip())).errorCode).toBe(0);
      const codecOf = (topic: string) => batchCompression(storage.partition(topic, 0)!.read(0, 1 << 20).chunks[0]!, 0);
      expect(codecOf('inherits')).toBe(CompressionType.Lz4);
      expect(codecOf('keeps')).toBe(CompressionType.Gzip);
    } finally {
      client.client.destroy();
      await b.close();
    }
  });
});
