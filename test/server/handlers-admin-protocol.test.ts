/**
 * Admin handlers at the protocol level, for what the client libraries hide: exact Kafka error messages,
 * old and new versions (v0 is_default, v6 delete by topic id, v3+ documentation), endpoint types,
 * SASL on a PLAINTEXT listener, disk log dirs and persistence across a restart, and kcat -L.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeResponseFrame, encodeRequestFrame } from '../../src/protocol/codec.js';
import type { ApiSpec } from '../../src/protocol/schema/dsl.js';
import { api as saslHandshake } from '../../src/protocol/messages/17-sasl-handshake.js';
import { api as createTopics, type CreateTopicsRequest } from '../../src/protocol/messages/19-create-topics.js';
import { api as deleteTopics } from '../../src/protocol/messages/20-delete-topics.js';
import { api as deleteRecords } from '../../src/protocol/messages/21-delete-records.js';
import { api as describeConfigs } from '../../src/protocol/messages/32-describe-configs.js';
import { api as alterConfigs } from '../../src/protocol/messages/33-alter-configs.js';
import { api as describeLogDirs } from '../../src/protocol/messages/35-describe-log-dirs.js';
import { api as saslAuthenticate } from '../../src/protocol/messages/36-sasl-authenticate.js';
import { api as createPartitions } from '../../src/protocol/messages/37-create-partitions.js';
import { api as describeCluster } from '../../src/protocol/messages/60-describe-cluster.js';
import { startBroker } from '../../src/index.js';
import type { Broker } from '../../src/server/broker.js';
import { RawClient } from './helpers.js';

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

let broker: Broker;
let client: RawClient;
let correlationId = 0;

async function call<Req, Res>(api: ApiSpec<Req, Res>, version: number, body: Req, via = client): Promise<Res> {
  const id = ++correlationId;
  const before = via.frames.length;
  for (const b of encodeRequestFrame(api, version, { correlationId: id, clientId: 'admin-protocol' }, body)) via.write(b);
  const frames = await via.waitFrames(before + 1);
  const decoded = decodeResponseFrame(api, version, frames[before]!);
  expect(decoded.correlationId).toBe(id);
  return decoded.body;
}

function topic(name: string, numPartitions: number, replicationFactor: number, extra: Partial<CreateTopicsRequest['topics'][number]> = {}) {
  return { name, numPartitions, replicationFactor, assignments: [], configs: [], ...extra };
}

beforeAll(async () => {
  broker = await startBroker({ port: 0, host: '127.0.0.1', memory: true, logLevel: 'error', config: { 'num.partitions': 3 } });
  client = await RawClient.connect(broker.port);
});

afterAll(async () => {
  client?.destroy();
  await broker?.close();
});

describe('CreateTopics', () => {
  it('answers replication factor 3 with Kafka message; -1 takes the broker defaults (v7 echo)', async () => {
    const res = await call(createTopics, 7, {
      topics: [topic('rf3', 1, 3), topic('defaults', -1, -1, { configs: [{ name: 'retention.ms', value: '1000' }] })],
      timeoutMs: 5000,
      validateOnly: false,
    });
    const [rf3, defaults] = res.topics;
    expect(rf3).toMatchObject({
      name: 'rf3',
      errorCode: 38,
      errorMessage:
        'Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 1 broker(s) are registered.',
      topicId: ZERO_UUID,
    });
    expect(defaults).toMatchObject({ name: 'defaults', errorCode: 0, errorMessage: null, numPartitions: 3, replicationFactor: 1 });
    expect(defaults!.topicId).toBe(broker.storage.topic('defaults')!.topicId);
    const retention = defaults!.configs!.find((c) => c.name === 'retention.ms');
    expect(retention).toEqual({ name: 'retention.ms', value: '1000', readOnly: false, configSource: 1, isSensitive: false });
    expect(defaults!.configs!.find((c) => c.name === 'segment.bytes')).toMatchObject({ value: '1073741824', configSource: 5 });
  });

  it('gives Kafka messages for the other refusals, and speaks v0', async () => {
    const res = await call(createTopics, 4, {
      topics: [
        topic('defaults', 1, 1),
        topic('bad/name', 1, 1),
        topic('cfg', 1, 1, { configs: [{ name: 'retention.ms', value: 'soon' }] }),
        topic('unknown-cfg', 1, 1, { configs: [{ name: 'not.a.config', value: '1' }] }),
        topic('null-cfg', 1, 1, { configs: [{ name: 'retention.ms', value: null }] }),
        topic('zero', 0, 1),
        topic('twice', 1, 1),
        topic('twice', 2, 1),
        topic('__cluster_metadata', 1, 1),
        topic('assigned', 2, -1, { assignments: [{ partitionIndex: 0, brokerIds: [broker.context.nodeId] }] }),
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    const byName = new Map(res.topics.map((t) => [t.name, [t.errorCode, t.errorMessage]]));
    expect(Object.fromEntries(byName)).toEqual({
      defaults: [36, "Topic 'defaults' already exists."],
      'bad/name': [17, 'Topic name "bad/name" is illegal, it contains a character other than ASCII alphanumerics, \'.\', \'_\' and \'-\''],
      cfg: [40, 'Invalid value soon for configuration retention.ms: Not a number of type LONG'],
      'unknown-cfg': [40, 'Unknown topic config name: not.a.config'],
      'null-cfg': [40, 'Null value not supported for topic configs: retention.ms'],
      zero: [37, 'Number of partitions was set to an invalid non-positive value.'],
      twice: [42, 'Duplicate topic name.'],
      __cluster_metadata: [42, 'Creation of internal topic __cluster_metadata is prohibited.'],
      assigned: [42, 'A manual partition assignment was specified, but numPartitions was not set to -1.'],
    });
    expect(broker.storage.topic('twice')).toBeUndefined();

    const v0 = await call(createTopics, 0, { topics: [topic('old-client', 2, 1)], timeoutMs: 5000, validateOnly: false });
    expect(v0.topics).toEqual([expect.objectContaining({ name: 'old-client', errorCode: 0 })]);
    expect(broker.storage.topic('old-client')!.partitions).toBe(2);
  });

  it("refuses a name that collides with an existing one in '.' versus '_'", async () => {
    await call(createTopics, 5, { topics: [topic('a.b', 1, 1)], timeoutMs: 5000, validateOnly: false });
    const res = await call(createTopics, 5, { topics: [topic('a_b', 1, 1)], timeoutMs: 5000, validateOnly: false });
    expect(res.topics[0]).toMatchObject({ errorCode: 17, errorMessage: "Topic 'a_b' collides with existing topic: a.b" });
  });
});

describe('DeleteTopics v6', () => {
  it('deletes by topic id; unknown ids and ambiguous entries get their own errors', async () => {
    const id = broker.storage.topic('old-client')!.topicId;
    const unknownId = 'AAAAAAAAAAAAAAAAAAAAAQ';
    const res = await call(deleteTopics, 6, {
      topics: [
        { name: null, topicId: id },
        { name: null, topicId: unknownId },
        { name: 'a.b', topicId: id },
        { name: null, topicId: ZERO_UUID },
      ],
      topicNames: [],
      timeoutMs: 5000,
    });
    expect(res.responses).toEqual(
      expect.arrayContaining([
        { name: 'old-client', topicId: id, errorCode: 0, errorMessage: null },
        { name: null, topicId: unknownId, errorCode: 100, errorMessage: expect.any(String) },
        { name: 'a.b', topicId: id, errorCode: 42, errorMessage: 'You may not specify both topic name and topic id.' },
        { name: null, topicId: ZERO_UUID, errorCode: 42, errorMessage: 'Neither topic name nor id were specified.' },
      ]),
    );
    expect(res.responses).toHaveLength(4);
    expect(broker.storage.topic('old-client')).toBeUndefined();
    expect(broker.storage.topic('a.b')).toBeDefined();

    const abId = broker.storage.topic('a.b')!.topicId;
    const dup = await call(deleteTopics, 6, {
      topics: [
        { name: 'a.b', topicId: ZERO_UUID },
        { name: 'a.b', topicId: ZERO_UUID },
        { name: null, topicId: abId },
        { name: null, topicId: abId },
      ],
      topicNames: [],
      timeoutMs: 5000,
    });
    expect(dup.responses).toEqual([
      { name: 'a.b', topicId: ZERO_UUID, errorCode: 42, errorMessage: 'Duplicate topic name.' },
      { name: null, topicId: abId, errorCode: 42, errorMessage: 'Duplicate topic id.' },
    ]);
    expect(broker.storage.topic('a.b')).toBeDefined();
  });
});

describe('DeleteTopics with delete.topic.enable=false', () => {
  it('refuses every topic: TOPIC_DELETION_DISABLED from v3, INVALID_REQUEST before', async () => {
    const locked = await startBroker({ port: 0, host: '127.0.0.1', memory: true, logLevel: 'error', config: { 'delete.topic.enable': false } });
    const raw = await RawClient.connect(locked.port);
    try {
      await call(createTopics, 4, { topics: [topic('kept', 1, 1)], timeoutMs: 5000, validateOnly: false }, raw);
      const v5 = await call(deleteTopics, 5, { topics: [], topicNames: ['kept'], timeoutMs: 5000 }, raw);
      expect(v5.responses).toEqual([{ name: 'kept', topicId: ZERO_UUID, errorCode: 73, errorMessage: expect.any(String) }]);
      const v2 = await call(deleteTopics, 2, { topics: [], topicNames: ['kept'], timeoutMs: 5000 }, raw);
      expect(v2.responses[0]).toMatchObject({ name: 'kept', errorCode: 42 });
      expect(locked.storage.topic('kept')).toBeDefined();
    } finally {
      raw.destroy();
      await locked.close();
    }
  });
});

describe('DeleteRecords', () => {
  it('unknown partitions and offsets below -1 fail with low watermark -1', async () => {
    const res = await call(deleteRecords, 2, {
      topics: [
        { name: 'defaults', partitions: [{ partitionIndex: 0, offset: 0n }, { partitionIndex: 9, offset: 0n }, { partitionIndex: 1, offset: -2n }] },
        { name: 'ghost', partitions: [{ partitionIndex: 0, offset: 0n }] },
      ],
      timeoutMs: 5000,
    });
    expect(res.topics).toEqual([
      {
        name: 'defaults',
        partitions: [
          { partitionIndex: 0, lowWatermark: 0n, errorCode: 0 },
          { partitionIndex: 9, lowWatermark: -1n, errorCode: 3 },
          { partitionIndex: 1, lowWatermark: -1n, errorCode: 1 },
        ],
      },
      { name: 'ghost', partitions: [{ partitionIndex: 0, lowWatermark: -1n, errorCode: 3 }] },
    ]);
  });
});

describe('CreatePartitions', () => {
  it("uses Kafka's messages for counts that are not an increase", async () => {
    const res = await call(createPartitions, 3, {
      topics: [
        { name: 'defaults', count: 3, assignments: null },
        { name: 'a.b', count: 0, assignments: null },
        { name: 'nope', count: 2, assignments: null },
        { name: 'defaults-x', count: 2, assignments: null },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(res.results.map((r) => [r.name, r.errorCode, r.errorMessage])).toEqual([
      ['defaults', 37, 'Topic already has 3 partition(s).'],
      ['a.b', 37, 'The topic a.b currently has 1 partition(s); 0 would not be an increase.'],
      ['nope', 3, expect.any(String)],
      ['defaults-x', 3, expect.any(String)],
    ]);
    const assigned = await call(createPartitions, 1, {
      topics: [{ name: 'a.b', count: 3, assignments: [{ brokerIds: [broker.context.nodeId] }] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(assigned.results[0]).toMatchObject({
      errorCode: 39,
      errorMessage: 'Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.',
    });
  });
});

describe('DescribeConfigs', () => {
  it('v0 reports is_default; v3 adds types and documentation; broker "" is the (empty) cluster default', async () => {
    const v0 = await call(describeConfigs, 0, {
      resources: [{ resourceType: 2, resourceName: 'defaults', configurationKeys: ['retention.ms', 'segment.ms'] }],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    const v0Configs = new Map(v0.results[0]!.configs.map((c) => [c.name, c]));
    expect(v0Configs.get('retention.ms')).toMatchObject({ value: '1000', isDefault: false, readOnly: false });
    expect(v0Configs.get('segment.ms')).toMatchObject({ value: '604800000', isDefault: true });

    const v3 = await call(describeConfigs, 3, {
      resources: [
        { resourceType: 4, resourceName: String(broker.context.nodeId), configurationKeys: ['log.retention.hours', 'num.partitions'] },
        { resourceType: 4, resourceName: '' , configurationKeys: null },
        { resourceType: 4, resourceName: '99', configurationKeys: null },
        { resourceType: 4, resourceName: 'one', configurationKeys: null },
        { resourceType: 2, resourceName: 'missing', configurationKeys: null },
        { resourceType: 2, resourceName: '..', configurationKeys: null },
      ],
      includeSynonyms: true,
      includeDocumentation: true,
    });
    const [self, clusterDefault, other, notNumber, missing, illegal] = v3.results;
    const hours = self!.configs.find((c) => c.name === 'log.retention.hours')!;
    expect(hours).toMatchObject({ value: '168', readOnly: true, configSource: 5, configType: 3, synonyms: [{ name: 'log.retention.hours', value: '168', source: 5 }] });
    expect(hours.documentation).toMatch(/[Rr]etention/);
    expect(self!.configs.find((c) => c.name === 'num.partitions')).toMatchObject({
      value: '3',
      configSource: 4,
      synonyms: [
        { name: 'num.partitions', value: '3', source: 4 },
        { name: 'num.partitions', value: '1', source: 5 },
      ],
    });
    expect(clusterDefault).toMatchObject({ errorCode: 0, configs: [] });
    expect(other).toMatchObject({ errorCode: 42, errorMessage: `Unexpected broker id, expected ${broker.context.nodeId} or empty string, but received 99` });
    expect(notNumber).toMatchObject({ errorCode: 42, errorMessage: 'Broker id must be an integer, but it is: one' });
    expect(missing).toMatchObject({ errorCode: 3, configs: [] });
    expect(illegal).toMatchObject({ errorCode: 17, errorMessage: 'Topic name cannot be "." or ".."' });
  });

  it('AlterConfigs: duplicate resources and keys, unknown topics, broker ids, as Kafka words them', async () => {
    const res = await call(alterConfigs, 1, {
      resources: [
        { resourceType: 2, resourceName: 'a.b', configs: [{ name: 'retention.ms', value: '1' }] },
        { resourceType: 2, resourceName: 'a.b', configs: [] },
        { resourceType: 2, resourceName: 'defaults', configs: [{ name: 'retention.ms', value: '1' }, { name: 'retention.ms', value: '2' }] },
        { resourceType: 2, resourceName: 'ghost', configs: [{ name: 'retention.ms', value: '1' }] },
        { resourceType: 4, resourceName: '7', configs: [] },
        { resourceType: 4, resourceName: '', configs: [{ name: 'log.retention.hours', value: '1' }] },
        { resourceType: 9, resourceName: 'x', configs: [] },
        { resourceType: 2, resourceName: '', configs: [] },
      ],
      validateOnly: false,
    });
    expect(res.responses.map((r) => [r.errorCode, r.errorMessage])).toEqual([
      [42, 'Each resource must appear at most once.'],
      [42, 'Each resource must appear at most once.'],
      [42, 'Error due to duplicate config keys'],
      [3, "The topic 'ghost' does not exist."],
      [42, `Unexpected broker id, expected ${broker.context.nodeId}, but received 7`],
      [42, 'Cannot update these configs dynamically: Set(log.retention.hours)'],
      [42, 'Unknown resource type 9'],
      [42, 'Default topic resources are not allowed.'],
    ]);
  });
});

describe('DescribeCluster', () => {
  it('v1 serves endpoint type BROKER and refuses the others; authorized operations on request', async () => {
    const ok = await call(describeCluster, 1, { includeClusterAuthorizedOperations: true, endpointType: 1, includeFencedBrokers: false });
    expect(ok).toMatchObject({
      errorCode: 0,
      endpointType: 1,
      clusterId: broker.context.clusterId,
      controllerId: broker.context.nodeId,
      brokers: [{ brokerId: broker.context.nodeId, host: '127.0.0.1', port: broker.port, rack: null }],
      // CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE
      clusterAuthorizedOperations: (1 << 5) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12),
    });
    const plain = await call(describeCluster, 0, { includeClusterAuthorizedOperations: false, endpointType: 1, includeFencedBrokers: false });
    expect(plain.clusterAuthorizedOperations).toBe(-2147483648);
    const controller = await call(describeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 2, includeFencedBrokers: false });
    expect(controller).toMatchObject({ errorCode: 114, brokers: [] });
    const unknown = await call(describeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 7, includeFencedBrokers: false });
    expect(unknown).toMatchObject({ errorCode: 115, errorMessage: 'Unsupported endpoint type 7' });
  });
});

describe('SASL on a PLAINTEXT listener', () => {
  it('answers ILLEGAL_SASL_STATE as Kafka does, and the connection stays usable', async () => {
    expect(await call(saslHandshake, 1, { mechanism: 'PLAIN' })).toEqual({ errorCode: 34, mechanisms: [] });
    expect(await call(saslAuthenticate, 2, { authBytes: Buffer.from('\0user\0pass') })).toMatchObject({
      errorCode: 34,
      errorMessage: 'SaslAuthenticate request received after successful authentication',
    });
    const after = await call(describeCluster, 0, { includeClusterAuthorizedOperations: false, endpointType: 1, includeFencedBrokers: false });
    expect(after.errorCode).toBe(0);
  });
});

describe('disk storage', () => {
  it('DescribeLogDirs reports the data dir, partition sizes and statfs totals; configs survive a restart; kcat -L lists topics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brook-admin-'));
    try {
      let disk = await startBroker({ port: 0, host: '127.0.0.1', dataDir: dir, logLevel: 'error' });
      const kafka = new kafkajs.Kafka({ brokers: [disk.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
      const admin = kafka.admin();
      const producer = kafka.producer();
      await Promise.all([admin.connect(), producer.connect()]);
      await admin.createTopics({ topics: [{ topic: 'durable', numPartitions: 2, configEntries: [{ name: 'retention.bytes', value: '123456' }] }] });
      await producer.send({ topic: 'durable', messages: [{ value: 'hello', partition: 1 }] });
      await Promise.all([admin.disconnect(), producer.disconnect()]);

      const raw = await RawClient.connect(disk.port);
      const dirs = await call(describeLogDirs, 4, { topics: null }, raw);
      raw.destroy();
      const result = dirs.results[0]!;
      expect(result.logDir).toBe(disk.storage.dataDir);
      expect(result.totalBytes).toBeGreaterThan(0n);
      expect(result.usableBytes).toBeGreaterThan(0n);
      expect(result.usableBytes).toBeLessThanOrEqual(result.totalBytes);
      const sizes = result.topics.find((t) => t.name === 'durable')!.partitions.sort((a, b) => a.partitionIndex - b.partitionIndex);
      expect(sizes.map((p) => p.partitionSize > 0n)).toEqual([false, true]);

      const listing = await new Promise<string>((resolve, reject) =>
        execFile('/usr/bin/kcat', ['-b', disk.bootstrap, '-L', '-t', 'durable'], { timeout: 20_000 }, (err, stdout) =>
          err ? reject(err) : resolve(stdout),
        ),
      );
      expect(listing).toMatch(/topic "durable" with 2 partitions/);

      await disk.close();
      disk = await startBroker({ port: 0, host: '127.0.0.1', dataDir: dir, logLevel: 'error' });
      try {
        const raw2 = await RawClient.connect(disk.port);
        const described = await call(
          describeConfigs,
          4,
          { resources: [{ resourceType: 2, resourceName: 'durable', configurationKeys: ['retention.bytes'] }], includeSynonyms: false, includeDocumentation: false },
          raw2,
        );
        raw2.destroy();
        expect(described.results[0]!.configs[0]).toMatchObject({ name: 'retention.bytes', value: '123456', configSource: 1 });
        expect(disk.storage.topicConfig('durable')!.retentionBytes).toBe(123456);
      } finally {
        await disk.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
