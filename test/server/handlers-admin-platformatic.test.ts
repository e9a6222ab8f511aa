/**
 * Admin APIs through @platformatic/kafka's Admin, which speaks the newest (flexible) versions:
 * CreateTopics v7, DeleteTopics v6, CreatePartitions v3, DeleteRecords v2, DescribeConfigs v4,
 * AlterConfigs v2, IncrementalAlterConfigs v1, DescribeLogDirs v4.
 */
import { Admin, ConfigResourceTypes, IncrementalAlterConfigOperationTypes } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker } from '../../src/index.js';
import type { Broker } from '../../src/server/broker.js';

let broker: Broker;
let admin: Admin;

beforeAll(async () => {
  broker = await startBroker({ port: 0, host: '127.0.0.1', memory: true, logLevel: 'error' });
  admin = new Admin({ clientId: 'admin-platformatic', bootstrapBrokers: [broker.bootstrap], retries: 0 });
});

afterAll(async () => {
  await admin?.close();
  await broker?.close();
});

/** The Kafka error codes inside a @platformatic/kafka failure (it nests them under `errors`). */
function errorCodes(err: unknown): number[] {
  const out: number[] = [];
  const walk = (e: unknown): void => {
    if (e === null || typeof e !== 'object') return;
    const x = e as { apiCode?: number; errors?: unknown[]; cause?: unknown };
    if (typeof x.apiCode === 'number') out.push(x.apiCode);
    for (const inner of x.errors ?? []) walk(inner);
    if (x.cause !== undefined) walk(x.cause);
  };
  walk(err);
  return out;
}

/** Kafka's 22-character topic id in the 8-4-4-4-12 hex form @platformatic/kafka prints. */
function canonicalUuid(id: string): string {
  const hex = Buffer.from(id, 'base64url').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe('@platformatic/kafka Admin', () => {
  it('createTopics returns id, partitions, replicas and the effective configuration', async () => {
    const [created] = await admin.createTopics({
      topics: ['events'],
      partitions: 3,
      replicas: 1,
      configs: [{ name: 'retention.ms', value: '60000' }],
    });
    expect(created).toMatchObject({ name: 'events', partitions: 3, replicas: 1, id: canonicalUuid(broker.storage.topic('events')!.topicId) });
    expect(created!.configuration['retention.ms']).toBe('60000');
    expect(created!.configuration['segment.bytes']).toBe('1073741824');
    expect(await admin.listTopics()).toContain('events');
  });

  it('createTopics with replicas 3 fails with INVALID_REPLICATION_FACTOR (38)', async () => {
    expect(errorCodes(await failure(admin.createTopics({ topics: ['wide'], partitions: 1, replicas: 3 })))).toContain(38);
    expect(await admin.listTopics()).not.toContain('wide');
  });

  it('describeConfigs v4 with synonyms and documentation', async () => {
    const [description] = await admin.describeConfigs({
      resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: 'events', configurationKeys: ['retention.ms', 'cleanup.policy'] }],
      includeSynonyms: true,
      includeDocumentation: true,
    });
    const byName = new Map(description!.configs.map((c) => [c.name, c]));
    expect(byName.get('retention.ms')).toMatchObject({
      value: '60000',
      configSource: 1,
      configType: 5,
      synonyms: [{ name: 'retention.ms', value: '60000', source: 1 }],
    });
    expect(byName.get('cleanup.policy')).toMatchObject({ value: 'delete', configSource: 5, configType: 7, readOnly: false });
    expect(byName.get('cleanup.policy')!.documentation).toMatch(/compact/);
  });

  it('incrementalAlterConfigs: SET, APPEND to a list, DELETE; applied to the live log', async () => {
    await admin.incrementalAlterConfigs({
      resources: [
        {
          resourceType: ConfigResourceTypes.TOPIC,
          resourceName: 'events',
          configs: [
            { name: 'segment.ms', configOperation: IncrementalAlterConfigOperationTypes.SET, value: '120000' },
            { name: 'cleanup.policy', configOperation: IncrementalAlterConfigOperationTypes.APPEND, value: 'compact' },
            { name: 'retention.ms', configOperation: IncrementalAlterConfigOperationTypes.DELETE },
          ],
        },
      ],
    });
    expect(broker.storage.topic('events')!.configs).toEqual({ 'segment.ms': '120000', 'cleanup.policy': 'delete,compact' });
    expect(broker.storage.partition('events', 2)!.config.segmentMs).toBe(120000);
    expect(broker.storage.partition('events', 2)!.config.cleanupPolicy).toEqual(['delete', 'compact']);

    await admin.incrementalAlterConfigs({
      resources: [
        {
          resourceType: ConfigResourceTypes.TOPIC,
          resourceName: 'events',
          configs: [{ name: 'cleanup.policy', configOperation: IncrementalAlterConfigOperationTypes.SUBTRACT, value: 'delete' }],
        },
      ],
    });
    expect(broker.storage.topic('events')!.configs['cleanup.policy']).toBe('compact');
  });

  it('incrementalAlterConfigs: APPEND to a non-list is INVALID_CONFIG (40); an unknown topic is 3', async () => {
    const appendErr = await failure(
      admin.incrementalAlterConfigs({
        resources: [
          {
            resourceType: ConfigResourceTypes.TOPIC,
            resourceName: 'events',
            configs: [{ name: 'retention.ms', configOperation: IncrementalAlterConfigOperationTypes.APPEND, value: '5' }],
          },
        ],
      }),
    );
    expect(errorCodes(appendErr)).toContain(40);
    const missing = await failure(
      admin.incrementalAlterConfigs({
        resources: [
          {
            resourceType: ConfigResourceTypes.TOPIC,
            resourceName: 'no-such-topic',
            configs: [{ name: 'retention.ms', configOperation: IncrementalAlterConfigOperationTypes.SET, value: '5' }],
          },
        ],
      }),
    );
    expect(errorCodes(missing)).toContain(3);
  });

  it('describeLogDirs v4 reports the memory pseudo-dir and every requested partition', async () => {
    const [dirs] = await admin.describeLogDirs({ topics: [{ name: 'events', partitions: [0, 1, 2] }] });
    const result = dirs!.results[0]!;
    expect(result.logDir).toBe(':memory:');
    expect(result.totalBytes).toBe(-1n);
    expect(result.topics).toEqual([
      {
        name: 'events',
        partitions: [0, 1, 2].map((p) => ({ partitionIndex: p, partitionSize: 0n, offsetLag: 0n, isFutureKey: false })),
      },
    ]);
  });

  it('createPartitions, deleteRecords (refused on a compacted topic), deleteTopics', async () => {
    await admin.createPartitions({ topics: [{ name: 'events', count: 5 }] });
    expect(broker.storage.topic('events')!.partitions).toBe(5);
    // 'events' is compact-only now: Kafka refuses to delete records of such a topic (POLICY_VIOLATION, 44).
    const refused = await failure(admin.deleteRecords({ topics: [{ name: 'events', partitions: [{ partition: 0, offset: -1n }] }] }));
    expect(errorCodes(refused)).toContain(44);
    await admin.createTopics({ topics: ['plain'], partitions: 1, replicas: 1 });
    const deleted = await admin.deleteRecords({ topics: [{ name: 'plain', partitions: [{ partition: 0, offset: -1n }] }] });
    expect(deleted).toEqual([{ name: 'plain', partitions: [{ partition: 0, lowWatermark: 0n }] }]);
    await admin.deleteTopics({ topics: ['events'] });
    expect(await admin.listTopics()).not.toContain('events');
    expect(errorCodes(await failure(admin.deleteTopics({ topics: ['events'] })))).toContain(3);
  });
});
