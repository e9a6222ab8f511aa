/**
 * Admin APIs through kafkajs's admin client against a broker started with the public API: CreateTopics,
 * DeleteTopics, CreatePartitions, DeleteRecords, DescribeConfigs / AlterConfigs, DescribeCluster.
 */
import kafkajs, { type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker } from '../../src/index.js';
import type { Broker } from '../../src/server/broker.js';

const { Kafka, logLevel } = kafkajs;
const TOPIC = 2;
const BROKER = 4;

let broker: Broker;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  broker = await startBroker({ port: 0, host: '127.0.0.1', memory: true, logLevel: 'error', config: { 'num.partitions': 2 } });
  const kafka = new Kafka({ clientId: 'admin-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  admin = kafka.admin();
  producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
});

afterAll(async () => {
  await Promise.all([admin?.disconnect(), producer?.disconnect()]);
  await broker?.close();
});

/** kafkajs wraps the broker's error (in `cause`) once its retrier gives up (retries: 0 here). */
function unwrap(err: unknown): unknown {
  return (err as { cause?: unknown }).cause ?? err;
}

/** The `errors` of a kafkajs aggregate error, as plain { type, topic } objects. */
async function topicErrors(p: Promise<unknown>): Promise<Array<{ type: string; topic: string }>> {
  try {
    await p;
  } catch (err) {
    const e = unwrap(err);
    const errors = (e as { errors?: Array<{ type: string; topic: string }> }).errors;
    if (errors) return errors.map((x) => ({ type: x.type, topic: x.topic }));
    return [{ type: (e as { type?: string }).type ?? String(e), topic: '' }];
  }
  throw new Error('expected the call to fail');
}

describe('CreateTopics', () => {
  it('creates a topic with 4 partitions and configs, visible in metadata and persisted as overrides', async () => {
    const created = await admin.createTopics({
      topics: [
        {
          topic: 'orders',
          numPartitions: 4,
          configEntries: [
            { name: 'retention.ms', value: '3600000' },
            { name: 'cleanup.policy', value: 'compact' },
          ],
        },
      ],
    });
    expect(created).toBe(true);
    const meta = await admin.fetchTopicMetadata({ topics: ['orders'] });
    expect(meta.topics[0]!.partitions).toHaveLength(4);
    expect(broker.storage.topic('orders')!.configs).toEqual({ 'retention.ms': '3600000', 'cleanup.policy': 'compact' });
    expect(broker.storage.topicConfig('orders')!.retentionMs).toBe(3600000);
  });

  it('uses num.partitions when no count is given, and answers false for an existing topic', async () => {
    expect(await admin.createTopics({ topics: [{ topic: 'defaults' }] })).toBe(true);
    expect(broker.storage.topic('defaults')!.partitions).toBe(2);
    expect(await admin.createTopics({ topics: [{ topic: 'defaults', numPartitions: 3 }] })).toBe(false);
    expect(broker.storage.topic('defaults')!.partitions).toBe(2);
  });

  it('validateOnly checks and creates nothing', async () => {
    expect(await admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic: 'dry-run', numPartitions: 3 }] })).toBe(true);
    expect(await admin.listTopics()).not.toContain('dry-run');
    const errors = await topicErrors(
      admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic: 'dry-run', configEntries: [{ name: 'retention.ms', value: 'soon' }] }] }),
    );
    expect(errors).toEqual([{ type: 'INVALID_CONFIG', topic: 'dry-run' }]);
  });

  it('refuses replication factor 3 on a one-broker cluster', async () => {
    const errors = await topicErrors(admin.createTopics({ topics: [{ topic: 'replicated', replicationFactor: 3 }] }));
    expect(errors).toEqual([{ type: 'INVALID_REPLICATION_FACTOR', topic: 'replicated' }]);
    expect(broker.storage.topic('replicated')).toBeUndefined();
  });

  it('refuses unknown configs, bad names and bad partition counts', async () => {
    expect(await topicErrors(admin.createTopics({ topics: [{ topic: 'cfg', configEntries: [{ name: 'no.such.config', value: '1' }] }] }))).toEqual([
      { type: 'INVALID_CONFIG', topic: 'cfg' },
    ]);
    expect(await topicErrors(admin.createTopics({ topics: [{ topic: 'bad name!' }] }))).toEqual([
      { type: 'INVALID_TOPIC_EXCEPTION', topic: 'bad name!' },
    ]);
    expect(await topicErrors(admin.createTopics({ topics: [{ topic: 'zero', numPartitions: 0 }] }))).toEqual([
      { type: 'INVALID_PARTITIONS', topic: 'zero' },
    ]);
  });

  it('accepts a manual assignment to this broker and refuses one naming another broker', async () => {
    const self = broker.context.nodeId;
    expect(
      await admin.createTopics({
        topics: [{ topic: 'manual', replicaAssignment: [{ partition: 0, replicas: [self] }, { partition: 1, replicas: [self] }] }],
      }),
    ).toBe(true);
    expect(broker.storage.topic('manual')!.partitions).toBe(2);
    expect(
      await topicErrors(admin.createTopics({ topics: [{ topic: 'manual-bad', replicaAssignment: [{ partition: 0, replicas: [self + 1] }] }] })),
    ).toEqual([{ type: 'INVALID_REPLICA_ASSIGNMENT', topic: 'manual-bad' }]);
  });
});

describe('DeleteTopics', () => {
  it('deletes topics and reports unknown ones', async () => {
    await admin.createTopics({ topics: [{ topic: 'doomed', numPartitions: 2 }] });
    await producer.send({ topic: 'doomed', messages: [{ value: 'x' }] });
    await admin.deleteTopics({ topics: ['doomed'] });
    expect(await admin.listTopics()).not.toContain('doomed');
    expect(broker.storage.partition('doomed', 0)).toBeUndefined();
    const errors = await topicErrors(admin.deleteTopics({ topics: ['never-existed'] }));
    expect(errors[0]!.type).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });
});

describe('CreatePartitions', () => {
  it('grows a topic; new partitions take writes; shrinking is INVALID_PARTITIONS', async () => {
    await admin.createTopics({ topics: [{ topic: 'growing', numPartitions: 4 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: 'growing', count: 6 }] });
    const meta = await admin.fetchTopicMetadata({ topics: ['growing'] });
    expect(meta.topics[0]!.partitions).toHaveLength(6);
    await producer.send({ topic: 'growing', messages: [{ value: 'to-5', partition: 5 }] });
    expect(broker.storage.partition('growing', 5)!.logEndOffset).toBe(1);
    const errors = await topicErrors(admin.createPartitions({ topicPartitions: [{ topic: 'growing', count: 3 }] }));
    expect(errors[0]!.type).toBe('INVALID_PARTITIONS');
    expect(broker.storage.topic('growing')!.partitions).toBe(6);
  });

  it('validateOnly leaves the topic as it is', async () => {
    await admin.createPartitions({ validateOnly: true, topicPartitions: [{ topic: 'growing', count: 10 }] });
    expect(broker.storage.topic('growing')!.partitions).toBe(6);
  });
});

describe('DeleteRecords', () => {
  it('advances the low watermark; -1 means the high watermark; beyond it is OFFSET_OUT_OF_RANGE', async () => {
    await admin.createTopics({ topics: [{ topic: 'trim', numPartitions: 1 }] });
    await producer.send({ topic: 'trim', messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}` })) });
    await admin.fetchTopicMetadata({ topics: ['trim'] }); // kafkajs's admin looks leaders up in its own cache
    await admin.deleteTopicRecords({ topic: 'trim', partitions: [{ partition: 0, offset: '4' }] });
    expect(await admin.fetchTopicOffsets('trim')).toEqual([expect.objectContaining({ partition: 0, low: '4', high: '10' })]);

    let failure: unknown;
    try {
      await admin.deleteTopicRecords({ topic: 'trim', partitions: [{ partition: 0, offset: '11' }] });
    } catch (err) {
      failure = err;
    }
    const partitions = (unwrap(failure) as { partitions?: Array<{ error: { type: string } }> }).partitions;
    expect(partitions?.[0]?.error.type).toBe('OFFSET_OUT_OF_RANGE');

    await admin.deleteTopicRecords({ topic: 'trim', partitions: [{ partition: 0, offset: '-1' }] });
    expect(await admin.fetchTopicOffsets('trim')).toEqual([expect.objectContaining({ partition: 0, low: '10', high: '10' })]);
  });
});

describe('DescribeConfigs / AlterConfigs', () => {
  it('describes topic overrides (DYNAMIC_TOPIC_CONFIG) and defaults (DEFAULT_CONFIG) with synonyms', async () => {
    const res = await admin.describeConfigs({
      includeSynonyms: true,
      resources: [{ type: TOPIC, name: 'orders', configNames: ['retention.ms', 'segment.bytes', 'cleanup.policy'] }],
    });
    const entries = new Map(res.resources[0]!.configEntries.map((e) => [e.configName, e]));
    expect([...entries.keys()].sort()).toEqual(['cleanup.policy', 'retention.ms', 'segment.bytes']);
    expect(entries.get('retention.ms')).toMatchObject({ configValue: '3600000', configSource: 1, readOnly: false, isSensitive: false });
    expect(entries.get('segment.bytes')).toMatchObject({
      configValue: '1073741824',
      configSource: 5,
      configSynonyms: [{ configName: 'log.segment.bytes', configValue: '1073741824', configSource: 5 }],
    });
  });

  it('describes broker configs: static values, defaults, read-only', async () => {
    const res = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: BROKER, name: String(broker.context.nodeId), configNames: ['num.partitions', 'log.retention.hours'] }],
    });
    const entries = new Map(res.resources[0]!.configEntries.map((e) => [e.configName, e]));
    expect(entries.get('num.partitions')).toMatchObject({ configValue: '2', configSource: 4, readOnly: true });
    expect(entries.get('log.retention.hours')).toMatchObject({ configValue: '168', configSource: 5, readOnly: true });
  });

  it('reports an unknown topic and a wrong broker id per resource', async () => {
    const res = await admin
      .describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC, name: 'missing-topic' }] })
      .catch((err: { type?: string }) => err);
    expect((res as { type?: string }).type).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('alterConfigs replaces the overrides, persists them and applies them to the live logs', async () => {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: TOPIC, name: 'orders', configEntries: [{ name: 'max.message.bytes', value: '2048' }] }],
    });
    expect(broker.storage.topic('orders')!.configs).toEqual({ 'max.message.bytes': '2048' });
    expect(broker.storage.partition('orders', 0)!.config.maxMessageBytes).toBe(2048);
    await expect(producer.send({ topic: 'orders', messages: [{ value: 'x'.repeat(4096), partition: 0 }] })).rejects.toMatchObject({
      type: 'MESSAGE_TOO_LARGE',
    });

    const failed = await admin
      .alterConfigs({ validateOnly: false, resources: [{ type: TOPIC, name: 'orders', configEntries: [{ name: 'segment.bytes', value: 'big' }] }] })
      .catch((err: { type?: string }) => err);
    expect((failed as { type?: string }).type).toBe('INVALID_CONFIG');
    expect(broker.storage.topic('orders')!.configs).toEqual({ 'max.message.bytes': '2048' });
  });

  it('alterConfigs validateOnly changes nothing; broker configs are read-only (INVALID_REQUEST)', async () => {
    await admin.alterConfigs({
      validateOnly: true,
      resources: [{ type: TOPIC, name: 'orders', configEntries: [{ name: 'retention.ms', value: '1' }] }],
    });
    expect(broker.storage.topic('orders')!.configs).toEqual({ 'max.message.bytes': '2048' });
    const failed = await admin
      .alterConfigs({
        validateOnly: false,
        resources: [{ type: BROKER, name: String(broker.context.nodeId), configEntries: [{ name: 'num.partitions', value: '9' }] }],
      })
      .catch((err: { type?: string }) => err);
    expect((failed as { type?: string }).type).toBe('INVALID_REQUEST');
  });
});

describe('DescribeCluster', () => {
  it('lists this broker as the only broker and the controller, with the cluster id', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster).toEqual({
      brokers: [{ nodeId: broker.context.nodeId, host: '127.0.0.1', port: broker.port }],
      controller: broker.context.nodeId,
      clusterId: broker.context.clusterId,
    });
  });
});

describe('SASL against the PLAINTEXT listener', () => {
  it('a kafkajs client configured for SASL/PLAIN fails with ILLEGAL_SASL_STATE, as against Kafka', async () => {
    const sasl = new Kafka({
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      sasl: { mechanism: 'plain', username: 'u', password: 'p' },
    }).admin();
    const err = await sasl.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    await sasl.disconnect();
    const cause = unwrap(err) as { type?: string };
    expect(cause.type).toBe('ILLEGAL_SASL_STATE');
  });
});
