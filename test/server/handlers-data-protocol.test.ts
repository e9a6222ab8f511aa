/**
 * Protocol corners of the data-path handlers that no installed client exercises on demand: incremental
 * fetch sessions step by step, old versions (Produce v0-2 message sets, Fetch v0-3 down-conversion,
 * ListOffsets v0), special ListOffsets timestamps, OffsetForLeaderEpoch, Metadata by topic id and
 * internal topics. Requests are encoded and responses decoded with Brook's codec, against a broker
 * started through the public API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api as produceApi, type ProduceRequest } from '../../src/protocol/messages/00-produce.js';
import { api as fetchApi, type FetchRequest } from '../../src/protocol/messages/01-fetch.js';
import { api as listOffsetsApi } from '../../src/protocol/messages/02-list-offsets.js';
import { api as metadataApi } from '../../src/protocol/messages/03-metadata.js';
import { api as epochApi } from '../../src/protocol/messages/23-offset-for-leader-epoch.js';
import { defaultValue } from '../../src/protocol/codec.js';
import { encodeRecordBatch, decodeRecordBatches } from '../../src/protocol/records/records.js';
import { CompressionType } from '../../src/protocol/records/batch-header.js';
import { encodeMessageSet, decodeMessageSet } from '../../src/protocol/records/legacy/message-set.js';
import { RawClient } from './helpers.js';
import { Rpc } from './rpc.js';
import { startTestBroker, type TestBroker } from './handlers-data-helpers.js';


function fetchRequest(version: number, over: Partial<FetchRequest>): FetchRequest {
  return { ...defaultValue(fetchApi.request, version), maxWaitMs: 0, minBytes: 0, maxBytes: 50 << 20, sessionEpoch: -1, ...over };
}

function fetchPartition(partition: number, fetchOffset: number, partitionMaxBytes = 1 << 20) {
  return {
    partition,
    currentLeaderEpoch: -1,
    fetchOffset: BigInt(fetchOffset),
    lastFetchedEpoch: -1,
    logStartOffset: -1n,
    partitionMaxBytes,
    replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA',
    highWatermark: 9223372036854775807n,
  };
}

function produceBody(topic: string, partition: number, records: Buffer, acks = 1): ProduceRequest {
  return {
    transactionalId: null,
    acks,
    timeoutMs: 1000,
    topicData: [{ name: topic, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitionData: [{ index: partition, records }] }],
  };
}

function batch(values: string[], timestamp = Date.now()): Buffer {
  return encodeRecordBatch({ baseOffset: 0, records: values.map((v, i) => ({ value: v, timestamp: timestamp + i })) });
}

let tb: TestBroker;
let rpc: Rpc;

beforeAll(async () => {
  tb = await startTestBroker('memory', { 'num.partitions': 2, 'max.incremental.fetch.session.cache.slots': 2 });
  rpc = new Rpc(await RawClient.connect(tb.port), 'proto-test');
});

afterAll(async () => {
  rpc?.client.destroy();
  await tb?.close();
});

async function metadata(topics: string[]) {
  return rpc.call(metadataApi, 12, {
    topics: topics.map((name) => ({ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name })),
    allowAutoTopicCreation: true,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  });
}

describe('Metadata', () => {
  it('describes auto-created topics with ids, and finds them again by id (v12)', async () => {
    const md = await metadata(['md-topic']);
    const t = md.topics[0]!;
    expect(t.errorCode).toBe(0);
    expect(t.partitions.map((p) => [p.partitionIndex, p.leaderId, p.leaderEpoch, p.replicaNodes, p.isrNodes])).toEqual([
      [0, 0, 0, [0], [0]],
      [1, 0, 0, [0], [0]],
    ]);
    expect(t.topicAuthorizedOperations).toBe(-2147483648);
    expect(md.brokers).toEqual([{ nodeId: 0, host: '127.0.0.1', port: tb.port, rack: null }]);
    expect(md.controllerId).toBe(0);

    const byId = await rpc.call(metadataApi, 12, {
      topics: [{ topicId: t.topicId, name: null }, { topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', name: null }],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    expect(byId.topics.map((x) => [x.errorCode, x.name])).toEqual([
      [0, 'md-topic'],
      [100, null],
    ]);
  });

  it('rejects illegal names with INVALID_TOPIC_EXCEPTION and hides internal topics from the full listing', async () => {
    const bad = await metadata(['bad name!', 'x'.repeat(250), 'bad name!']);
    expect(bad.topics.map((t) => t.errorCode)).toEqual([17, 17]); // a topic named twice is answered once
    const { Topics } = await import('../../src/server/topics/topics.js');
    expect(Topics.of(tb.broker.context).ensureInternalTopic('__consumer_offsets').errorCode).toBe(0);
    const internal = await metadata(['__consumer_offsets']);
    expect(internal.topics[0]!.isInternal).toBe(true);
    expect(internal.topics[0]!.partitions).toHaveLength(50);
    const all = await rpc.call(metadataApi, 12, {
      topics: null,
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    const names = all.topics.map((t) => t.name);
    expect(names).toContain('md-topic');
    expect(names).not.toContain('__consumer_offsets');
  });

  it('v0: an empty topic list means every topic; v4+ allow_auto_topic_creation=false creates nothing', async () => {
    const v0 = await rpc.call(metadataApi, 0, { ...defaultValue(metadataApi.request, 0), topics: [] });
    expect(v0.topics.map((t) => t.name)).toContain('md-topic');
    const v4 = await rpc.call(metadataApi, 4, {
      ...defaultValue(metadataApi.request, 4),
      topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'not-created' }],
      allowAutoTopicCreation: false,
    });
    expect(v4.topics[0]!.errorCode).toBe(3);
    expect(tb.broker.storage.topic('not-created')).toBeUndefined();
  });
});

describe('Produce', () => {
  it('answers INVALID_REQUIRED_ACKS, UNKNOWN_TOPIC_OR_PARTITION, CORRUPT_MESSAGE and one-batch-per-partition', async () => {
    await metadata(['produce-errors']);
    const acks = await rpc.call(produceApi, 9, produceBody('produce-errors', 0, batch(['a']), 2));
    expect(acks.responses[0]!.partitionResponses[0]!.errorCode).toBe(21);
    const unknown = await rpc.call(produceApi, 9, produceBody('produce-errors', 9, batch(['a'])));
    expect(unknown.responses[0]!.partitionResponses[0]!.errorCode).toBe(3);
    const corrupt = batch(['a']);
    corrupt[corrupt.length - 1]! ^= 0xff;
    const bad = await rpc.call(produceApi, 9, produceBody('produce-errors', 0, corrupt));
    expect(bad.responses[0]!.partitionResponses[0]!.errorCode).toBe(2);
    const two = await rpc.call(produceApi, 9, produceBody('produce-errors', 0, Buffer.concat([batch(['a']), batch(['b'])])));
    expect(two.responses[0]!.partitionResponses[0]!.errorCode).toBe(87);
    expect(two.responses[0]!.partitionResponses[0]!.errorMessage).toMatch(/exactly one record batch/);
    const internal = await rpc.call(produceApi, 9, produceBody('__consumer_offsets', 0, batch(['a'])));
    expect(internal.responses[0]!.partitionResponses[0]!.errorCode).toBe(17);
    const ok = await rpc.call(produceApi, 9, produceBody('produce-errors', 0, batch(['a', 'b'])));
    expect(ok.responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0n, logAppendTimeMs: -1n, logStartOffset: 0n });
  });

  it('acks=all on a topic with min.insync.replicas=2 gets NOT_ENOUGH_REPLICAS (one broker); acks=1 still works', async () => {
    const { Topics } = await import('../../src/server/topics/topics.js');
    expect(Topics.of(tb.broker.context).create('min-isr', 1, { 'min.insync.replicas': '2' }).errorCode).toBe(0);
    const all = await rpc.call(produceApi, 9, produceBody('min-isr', 0, batch(['a']), -1));
    expect(all.responses[0]!.partitionResponses[0]!.errorCode).toBe(19);
    const one = await rpc.call(produceApi, 9, produceBody('min-isr', 0, batch(['a']), 1));
    expect(one.responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
  });

  it('v13 names topics by id: UNKNOWN_TOPIC_ID for an unknown one', async () => {
    const id = (await metadata(['produce-by-id'])).topics[0]!.topicId;
    const body = (topicId: string): ProduceRequest => ({
      transactionalId: null,
      acks: -1,
      timeoutMs: 1000,
      topicData: [{ name: '', topicId, partitionData: [{ index: 1, records: batch(['x']) }] }],
    });
    const ok = await rpc.call(produceApi, 13, body(id));
    expect(ok.responses[0]!.topicId).toBe(id);
    expect(ok.responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
    const unknown = await rpc.call(produceApi, 13, body('AAAAAAAAAAAAAAAAAAAAAQ'));
    expect(unknown.responses[0]!.partitionResponses[0]!.errorCode).toBe(100);
  });

  it('v0-2 message sets are converted up; Fetch v0-3 converts them back down, v4+ returns the v2 batch', async () => {
    await metadata(['legacy']);
    const ts = Date.now();
    for (const [version, magic] of [
      [0, 0],
      [2, 1],
    ] as const) {
      const set = encodeMessageSet({
        magic,
        compression: CompressionType.None,
        messages: [
          { offset: 0, key: Buffer.from('k'), value: Buffer.from(`v${version}-a`), timestamp: ts },
          { offset: 1, key: null, value: Buffer.from(`v${version}-b`), timestamp: ts },
        ],
      });
      const res = await rpc.call(produceApi, version, produceBody('legacy', 0, set));
      expect(res.responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
    }
    const garbage = await rpc.call(produceApi, 1, produceBody('legacy', 0, Buffer.from('definitely not a message set')));
    expect(garbage.responses[0]!.partitionResponses[0]!.errorCode).toBe(2);

    const fetchAt = (version: number) =>
      rpc.call(fetchApi, version, fetchRequest(version, { topics: [{ topic: 'legacy', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [fetchPartition(0, 0)] }] }));
    for (const [version, magic] of [
      [0, 0],
      [3, 1],
    ] as const) {
      const p = (await fetchAt(version)).responses[0]!.partitions[0]!;
      expect(p.errorCode).toBe(0);
      const msgs = decodeMessageSet(p.records as Buffer);
      expect(msgs.map((m) => [m.magic, m.offset, m.value?.toString()])).toEqual([
        [magic, 0, 'v0-a'],
        [magic, 1, 'v0-b'],
        [magic, 2, 'v2-a'],
        [magic, 3, 'v2-b'],
      ]);
    }
    // From the middle of an uncompressed batch: the earlier records are left out, as Kafka does.
    const mid = await rpc.call(fetchApi, 2, fetchRequest(2, { topics: [{ topic: 'legacy', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [fetchPartition(0, 3)] }] }));
    expect(decodeMessageSet(mid.responses[0]!.partitions[0]!.records as Buffer).map((m) => m.offset)).toEqual([3]);
    // v0-2 limits are hard: a first message above partition_max_bytes comes back cut at the limit.
    const cut = await rpc.call(fetchApi, 1, fetchRequest(1, { topics: [{ topic: 'legacy', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [fetchPartition(0, 0, 20)] }] }));
    expect((cut.responses[0]!.partitions[0]!.records as Buffer).length).toBe(20);
    const v4 = (await fetchAt(4)).responses[0]!.partitions[0]!;
    const batches = decodeRecordBatches(v4.records as Buffer);
    expect(batches.flatMap((b) => b.records.map((r) => r.value?.toString()))).toEqual(['v0-a', 'v0-b', 'v2-a', 'v2-b']);
  });
});

describe('Fetch', () => {
  it('zstd batches reach only clients that can read them (v10+); older ones get UNSUPPORTED_COMPRESSION_TYPE', async () => {
    await metadata(['zstd-topic']);
    const zstd = encodeRecordBatch({ baseOffset: 0, compression: CompressionType.Zstd, records: [{ value: 'z', timestamp: Date.now() }] });
    expect((await rpc.call(produceApi, 6, produceBody('zstd-topic', 0, Buffer.from(zstd)))).responses[0]!.partitionResponses[0]!.errorCode).toBe(76);
    expect((await rpc.call(produceApi, 9, produceBody('zstd-topic', 0, zstd))).responses[0]!.partitionResponses[0]!.errorCode).toBe(0);
    const at = (version: number) =>
      rpc
        .call(fetchApi, version, fetchRequest(version, { topics: [{ topic: 'zstd-topic', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [fetchPartition(0, 0)] }] }))
        .then((r) => r.responses[0]!.partitions[0]!);
    expect((await at(3)).errorCode).toBe(76);
    expect((await at(9)).errorCode).toBe(76);
    const v10 = await at(10);
    expect(v10.errorCode).toBe(0);
    expect(decodeRecordBatches(v10.records as Buffer)[0]!.records[0]!.value?.toString()).toBe('z');
  });

  it('read_committed answers an empty aborted-transactions list, read_uncommitted null; max_bytes bounds the response', async () => {
    await metadata(['bounded']);
    for (let i = 0; i < 5; i++) await rpc.call(produceApi, 9, produceBody('bounded', 0, batch([`m${i}`.repeat(100)])));
    const one = batch(['m0'.repeat(100)]).length;
    const read = (isolationLevel: number, maxBytes: number) =>
      rpc.call(
        fetchApi,
        11,
        fetchRequest(11, { isolationLevel, maxBytes, topics: [{ topic: 'bounded', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [fetchPartition(0, 0), fetchPartition(1, 0)] }] }),
      );
    const committed = (await read(1, 1 << 20)).responses[0]!.partitions;
    expect(committed[0]!.abortedTransactions).toEqual([]);
    expect(committed[0]!.lastStableOffset).toBe(5n);
    const uncommitted = (await read(0, 2 * one + 10)).responses[0]!.partitions[0]!;
    expect(uncommitted.abortedTransactions).toBeNull();
    expect(decodeRecordBatches(uncommitted.records as Buffer)).toHaveLength(2);
    // Below one batch: still one whole batch for the first partition with data (KIP-74).
    expect(decodeRecordBatches((await read(0, 1)).responses[0]!.partitions[0]!.records as Buffer)).toHaveLength(1);
  });
});

describe('ListOffsets and OffsetForLeaderEpoch', () => {
  it('answers the special timestamps as a non-tiered Kafka log does, v0 in the old form', async () => {
    await metadata(['offsets']);
    const base = Date.now() - 10_000;
    await rpc.call(produceApi, 9, produceBody('offsets', 0, batch(['a', 'b', 'c'], base)));
    await rpc.call(produceApi, 9, produceBody('offsets', 0, batch(['d', 'e'], base - 5000)));
    const ask = (version: number, timestamp: number, isolationLevel = 0) =>
      rpc
        .call(listOffsetsApi, version, {
          ...defaultValue(listOffsetsApi.request, version),
          replicaId: -1,
          isolationLevel,
          topics: [{ name: 'offsets', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: BigInt(timestamp), maxNumOffsets: version === 0 ? 5 : 1 }] }],
        })
        .then((r) => r.topics[0]!.partitions[0]!);
    expect(await ask(11, -2)).toMatchObject({ errorCode: 0, offset: 0n, timestamp: -1n, leaderEpoch: 0 });
    expect(await ask(11, -1)).toMatchObject({ errorCode: 0, offset: 5n, leaderEpoch: 0 });
    expect(await ask(11, -1, 1)).toMatchObject({ errorCode: 0, offset: 5n });
    expect(await ask(11, -3)).toMatchObject({ errorCode: 0, offset: 2n, timestamp: BigInt(base + 2) });
    expect(await ask(11, -4)).toMatchObject({ errorCode: 0, offset: 0n });
    expect(await ask(11, -5)).toMatchObject({ errorCode: 0, offset: -1n, timestamp: -1n });
    expect(await ask(11, base + 1)).toMatchObject({ errorCode: 0, offset: 1n, timestamp: BigInt(base + 1) });
    expect(await ask(11, base + 10_000)).toMatchObject({ errorCode: 0, offset: -1n, timestamp: -1n, leaderEpoch: -1 });
    expect((await ask(6, -3)).errorCode).toBe(35); // MAX_TIMESTAMP needs v7
    expect(await ask(3, -1)).toMatchObject({ errorCode: 0, offset: 5n, leaderEpoch: -1 });
    expect((await ask(0, -1)).oldStyleOffsets).toEqual([5n, 0n]);
    expect((await ask(0, -2)).oldStyleOffsets).toEqual([0n]);
  });

  it('OffsetForLeaderEpoch: epoch 0 ends at the log end; undefined and future epochs are -1/-1', async () => {
    const res = await rpc.call(epochApi, 4, {
      replicaId: -1,
      topics: [
        {
          topic: 'offsets',
          partitions: [
            { partition: 0, currentLeaderEpoch: 0, leaderEpoch: 0 },
            { partition: 0, currentLeaderEpoch: -1, leaderEpoch: -1 },
            { partition: 0, currentLeaderEpoch: -1, leaderEpoch: 3 },
            { partition: 0, currentLeaderEpoch: 5, leaderEpoch: 0 },
            { partition: 7, currentLeaderEpoch: -1, leaderEpoch: 0 },
          ],
        },
      ],
    });
    expect(res.topics[0]!.partitions.map((p) => [p.errorCode, p.leaderEpoch, p.endOffset])).toEqual([
      [0, 0, 5n],
      [0, -1, -1n],
      [0, -1, -1n],
      [75, -1, -1n],
      [3, -1, -1n],
    ]);
  });
});

describe('Fetch sessions (KIP-227)', () => {
  it('full fetch creates a session; incremental fetches carry only news; forgotten partitions leave; errors as Kafka', async () => {
    const id = (await metadata(['sessions'])).topics[0]!.topicId;
    await rpc.call(produceApi, 9, produceBody('sessions', 0, batch(['a'])));
    await rpc.call(produceApi, 9, produceBody('sessions', 1, batch(['b'])));
    const topic = (partitions: ReturnType<typeof fetchPartition>[]) => [{ topic: '', topicId: id, partitions }];
    const call = (over: Partial<FetchRequest>) => rpc.call(fetchApi, 13, fetchRequest(13, over));

    const full = await call({ sessionId: 0, sessionEpoch: 0, topics: topic([fetchPartition(0, 0), fetchPartition(1, 0)]) });
    expect(full.errorCode).toBe(0);
    expect(full.sessionId).not.toBe(0);
    expect(full.responses[0]!.partitions.map((p) => p.partitionIndex)).toEqual([0, 1]);
    const sessionId = full.sessionId;

    // Nothing changed for partition 1; partition 0 moves on to offset 1 (the end): no news at all.
    const quiet = await call({ sessionId, sessionEpoch: 1, topics: topic([fetchPartition(0, 1)]) });
    expect(quiet.errorCode).toBe(0);
    expect(quiet.sessionId).toBe(sessionId);
    // Partition 1 is still cached at offset 0, so it is re-sent (it has records); partition 0 has none.
    expect(quiet.responses.flatMap((t) => t.partitions.map((p) => p.partitionIndex))).toEqual([1]);

    await rpc.call(produceApi, 9, produceBody('sessions', 0, batch(['c'])));
    const news = await call({ sessionId, sessionEpoch: 2, topics: topic([fetchPartition(1, 1)]) });
    const parts = news.responses.flatMap((t) => t.partitions);
    expect(parts.map((p) => [p.partitionIndex, p.highWatermark])).toEqual([[0, 2n]]);

    // Wrong epoch, unknown session.
    expect((await call({ sessionId, sessionEpoch: 7, topics: [] })).errorCode).toBe(71);
    expect((await call({ sessionId: sessionId + 1, sessionEpoch: 1, topics: [] })).errorCode).toBe(70);

    // Forget partition 0: partition 1 stays (nothing new for it), partition 0 is no longer fetched.
    const forgot = await call({
      sessionId,
      sessionEpoch: 3,
      topics: [],
      forgottenTopicsData: [{ topic: '', topicId: id, partitions: [0] }],
    });
    expect(forgot.errorCode).toBe(0);
    expect(forgot.responses).toEqual([]);
    await rpc.call(produceApi, 9, produceBody('sessions', 0, batch(['d'])));
    const after = await call({ sessionId, sessionEpoch: 4, topics: [] });
    expect(after.responses).toEqual([]);

    // A session named by id cannot continue with names (v12).
    const mixed = await rpc.call(fetchApi, 12, fetchRequest(12, { sessionId, sessionEpoch: 5, topics: [] }));
    expect(mixed.errorCode).toBe(106);

    // Epoch -1 closes it: a sessionless full fetch, and the id is gone.
    const closed = await call({ sessionId, sessionEpoch: -1, topics: topic([fetchPartition(0, 0)]) });
    expect(closed.sessionId).toBe(0);
    expect((await call({ sessionId, sessionEpoch: 5, topics: [] })).errorCode).toBe(70);
  });

  it('the cache holds max.incremental.fetch.session.cache.slots sessions; a larger new one evicts the smallest', async () => {
    const id = (await metadata(['sessions'])).topics[0]!.topicId;
    const open = (partitions: number[]) =>
      rpc
        .call(fetchApi, 13, fetchRequest(13, { sessionId: 0, sessionEpoch: 0, topics: [{ topic: '', topicId: id, partitions: partitions.map((p) => fetchPartition(p, 0)) }] }))
        .then((r) => r.sessionId);
    const a = await open([0]);
    const b = await open([0]);
    expect(a).not.toBe(0);
    expect(b).not.toBe(0);
    expect(await open([1])).toBe(0); // full (2 slots), not larger than any: no session
    const c = await open([0, 1]); // larger: evicts a one-partition session
    expect(c).not.toBe(0);
    const alive = [];
    for (const s of [a, b]) {
      const r = await rpc.call(fetchApi, 13, fetchRequest(13, { sessionId: s, sessionEpoch: 1, topics: [] }));
      alive.push(r.errorCode === 0);
    }
    expect(alive.filter(Boolean)).toHaveLength(1);
  });

  it('answers a waiting fetch at once when the broker shuts down', async () => {
    const own = await startTestBroker('memory');
    const client = new Rpc(await RawClient.connect(own.port), 'proto-test');
    await client.call(metadataApi, 12, {
      topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'idle' }],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    const started = Date.now();
    const pending = client.call(
      fetchApi,
      11,
      fetchRequest(11, { maxWaitMs: 20_000, minBytes: 1, topics: [{ topic: 'idle', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [fetchPartition(0, 0)] }] }),
    );
    await new Promise((r) => setTimeout(r, 100));
    await own.close();
    const res = await pending;
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(res.responses[0]!.partitions[0]!.errorCode).toBe(0);
    client.client.destroy();
  });
});
