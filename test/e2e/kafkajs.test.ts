/**
 * kafkajs against a real Brook broker (public API, memory storage): admin createTopics with 4
 * partitions, 100,000 keyed messages with headers produced in batches, offsets by end and by timestamp,
 * describeConfigs, describeCluster, deleteTopics. The produced data is read back with kcat (kafkajs
 * cannot consume without a consumer group), keys, headers and partitions included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionTypes, ConfigResourceTypes, Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import type { Broker } from '../../src/server/broker.js';
import { byPartition, kcatConsumeAll, testBroker } from './helpers.js';

const TOPIC = 'e2e-kafkajs';
const PARTITIONS = 4;
const BATCHES = 100;
const PER_BATCH = 1000;
const TOTAL = BATCHES * PER_BATCH;
/** Message i carries timestamp T0 + i ms (increasing inside each batch), so offsets by timestamp are predictable. */
const T0 = Date.UTC(2026, 0, 1);

let broker: Broker;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
/** Which partition kafkajs's default partitioner picks for each message index. */
const partitionOf: number[] = [];

beforeAll(async () => {
  broker = await testBroker({ config: { 'auto.create.topics.enable': false } });
  kafka = new Kafka({ clientId: 'e2e-kafkajs', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await producer?.disconnect().catch(() => {});
  await admin?.disconnect().catch(() => {});
  await broker?.close();
});

function key(i: number): string {
  return `key-${i}`;
}

describe('kafkajs end to end', () => {
  it('creates a topic with 4 partitions and a config', async () => {
    const created = await admin.createTopics({
      topics: [{ topic: TOPIC, numPartitions: PARTITIONS, configEntries: [{ name: 'retention.ms', value: '86400000' }] }],
      waitForLeaders: true,
    });
    expect(created).toBe(true);
    expect(await admin.listTopics()).toContain(TOPIC);
    const { topics } = await admin.fetchTopicMetadata({ topics: [TOPIC] });
    expect(topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3]);
    for (const p of topics[0]!.partitions) expect(p.leader).toBe(broker.context.nodeId);
    // Creating it again is TOPIC_ALREADY_EXISTS, which kafkajs reports as `false`.
    expect(await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] })).toBe(false);
  });

  it('produces 100,000 keyed messages with headers in batches of 1,000 (acks=-1)', async () => {
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: PARTITIONS }, (_, p) => ({
      partitionId: p,
      leader: 0,
      replicas: [0],
      isr: [0],
      offlineReplicas: [],
      partitionErrorCode: 0,
    }));
    for (let b = 0; b < BATCHES; b++) {
      const messages = Array.from({ length: PER_BATCH }, (_, j) => {
        const i = b * PER_BATCH + j;
        const message = { key: key(i), value: `value-${i}`, headers: { seq: String(i), batch: String(b) }, timestamp: String(T0 + i) };
        partitionOf[i] = partitioner({ topic: TOPIC, partitionMetadata, message });
        return message;
      });
      const meta = await producer.send({ topic: TOPIC, acks: -1, messages });
      for (const m of meta) expect(m.errorCode).toBe(0);
    }
    expect(partitionOf.length).toBe(TOTAL);
  });

  it('reports each partition’s end offset (fetchTopicOffsets)', async () => {
    const counts = countsPerPartition(() => true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(TOTAL);
    const offsets = await admin.fetchTopicOffsets(TOPIC);
    const got = offsets.sort((a, b) => a.partition - b.partition).map((o) => ({ partition: o.partition, high: o.high, low: o.low }));
    expect(got).toEqual(counts.map((n, p) => ({ partition: p, high: String(n), low: '0' })));
  });

  it('finds offsets by timestamp (fetchTopicOffsetsByTimestamp)', async () => {
    const expectAt = async (ts: number, expected: number[]) => {
      const offsets = await admin.fetchTopicOffsetsByTimestamp(TOPIC, ts);
      const got = offsets.sort((a, b) => a.partition - b.partition).map((o) => Number(o.offset));
      expect(got, `offsets for timestamp ${ts}`).toEqual(expected);
    };
    // Before everything: offset 0 everywhere.
    await expectAt(T0 - 1, [0, 0, 0, 0]);
    // Exactly message 50,000's timestamp (the first of a batch): the messages before it, per partition.
    await expectAt(T0 + 50_000, countsPerPartition((i) => i < 50_000));
    // Inside a batch: the broker must look at record timestamps, not only at batch boundaries.
    await expectAt(T0 + 50_500, countsPerPartition((i) => i < 50_500));
    await expectAt(T0 + 99_999, countsPerPartition((i) => i < 99_999));
    // After everything: Kafka answers -1, which kafkajs replaces by the end offset.
    await expectAt(T0 + TOTAL + 5000, countsPerPartition(() => true));
  });

  it('stored every message in the partition the client chose, with its key, value and headers', async () => {
    const messages = await kcatConsumeAll(broker.bootstrap, TOPIC);
    expect(messages.length).toBe(TOTAL);
    const parts = byPartition(messages);
    const expected = new Map<number, number[]>();
    for (let i = 0; i < TOTAL; i++) {
      const list = expected.get(partitionOf[i]!) ?? [];
      list.push(i);
      expected.set(partitionOf[i]!, list);
    }
    for (const [p, indexes] of expected) {
      const got = parts.get(p) ?? [];
      expect(got.length, `partition ${p}`).toBe(indexes.length);
      for (let n = 0; n < indexes.length; n++) {
        const i = indexes[n]!;
        const m = got[n]!;
        if (m.offset !== n || m.key !== key(i) || m.payload !== `value-${i}` || m.ts !== T0 + i) {
          expect({ offset: m.offset, key: m.key, payload: m.payload, ts: m.ts }).toEqual({
            offset: n,
            key: key(i),
            payload: `value-${i}`,
            ts: T0 + i,
          });
        }
        if (m.headers?.join(',') !== `seq,${i},batch,${Math.floor(i / PER_BATCH)}`) {
          expect(m.headers).toEqual(['seq', String(i), 'batch', String(Math.floor(i / PER_BATCH))]);
        }
      }
    }
  });

  it('describes the topic’s configs (describeConfigs)', async () => {
    const { resources } = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: TOPIC, configNames: ['retention.ms', 'cleanup.policy'] }],
      includeSynonyms: false,
    });
    expect(resources).toHaveLength(1);
    expect(resources[0]!.errorCode).toBe(0);
    const entries = Object.fromEntries(resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
    expect(entries).toEqual({ 'retention.ms': '86400000', 'cleanup.policy': 'delete' });
  });

  it('describes the cluster (describeCluster)', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toEqual([{ nodeId: broker.context.nodeId, host: '127.0.0.1', port: broker.port }]);
    expect(cluster.controller).toBe(broker.context.nodeId);
    expect(cluster.clusterId).toBe(broker.context.clusterId);
  });

  it('answers admin mistakes with Kafka’s error codes', async () => {
    const createError = async (topic: object): Promise<string[]> => {
      try {
        await admin.createTopics({ topics: [topic as { topic: string }] });
        return [];
      } catch (err) {
        return ((err as { errors?: Array<{ type: string }> }).errors ?? []).map((e) => e.type);
      }
    };
    expect(await createError({ topic: 'e2e-rf', numPartitions: 1, replicationFactor: 3 })).toEqual(['INVALID_REPLICATION_FACTOR']);
    expect(await createError({ topic: 'e2e-p0', numPartitions: 0 })).toEqual(['INVALID_PARTITIONS']);
    expect(await createError({ topic: 'bad name!', numPartitions: 1 })).toEqual(['INVALID_TOPIC_EXCEPTION']);
    expect(
      await createError({ topic: 'e2e-cfg', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'nonsense' }] }),
    ).toEqual(['INVALID_CONFIG']);
    expect(await admin.listTopics()).toEqual([TOPIC]);
    await expect(
      admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'e2e-missing' }], includeSynonyms: false }),
    ).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });

  it('rejects a message above max.message.bytes (MESSAGE_TOO_LARGE) and takes gzip batches', async () => {
    await expect(producer.send({ topic: TOPIC, messages: [{ key: 'big', value: Buffer.alloc(1_100_000) }] })).rejects.toMatchObject({
      type: 'MESSAGE_TOO_LARGE',
    });
    const before = await admin.fetchTopicOffsets(TOPIC);
    const meta = await producer.send({
      topic: TOPIC,
      compression: CompressionTypes.GZIP,
      messages: [{ key: 'gz', value: 'zipped', partition: 2 }],
    });
    expect(meta).toMatchObject([{ partition: 2, errorCode: 0, baseOffset: before.find((o) => o.partition === 2)!.high }]);
  });

  it('serialises 5 producers appending to one partition at once: dense offsets, nothing lost or doubled', async () => {
    const topic = 'e2e-kafkajs-concurrent';
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const producers = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const p = kafka.producer();
        await p.connect();
        return p;
      }),
    );
    try {
      await Promise.all(
        producers.map(async (p, n) => {
          for (let i = 0; i < 40; i++) {
            await p.send({ topic, acks: -1, messages: Array.from({ length: 25 }, (_, j) => ({ value: `${n}-${i}-${j}` })) });
          }
        }),
      );
    } finally {
      await Promise.all(producers.map((p) => p.disconnect()));
    }
    const messages = await kcatConsumeAll(broker.bootstrap, topic);
    expect(messages.map((m) => m.offset)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(new Set(messages.map((m) => m.payload)).size).toBe(5000);
    // Each producer's own messages stay in the order it sent them.
    for (let n = 0; n < 5; n++) {
      const own = messages.map((m) => m.payload!).filter((v) => v.startsWith(`${n}-`));
      expect(own).toEqual(Array.from({ length: 1000 }, (_, k) => `${n}-${Math.floor(k / 25)}-${k % 25}`));
    }
    await admin.deleteTopics({ topics: [topic] });
  });

  it('deletes the topic (deleteTopics)', async () => {
    await admin.deleteTopics({ topics: [TOPIC], timeout: 5000 });
    expect(await admin.listTopics()).not.toContain(TOPIC);
    await expect(admin.fetchTopicOffsets(TOPIC)).rejects.toThrow(/does not host this topic-partition|not exist|unknown/i);
  });
});

/** Messages per partition among the indexes `include` accepts. */
function countsPerPartition(include: (i: number) => boolean): number[] {
  const counts = new Array<number>(PARTITIONS).fill(0);
  for (let i = 0; i < TOTAL; i++) if (include(i)) counts[partitionOf[i]!]!++;
  return counts;
}
