/**
 * Our schemas against a foreign implementation's bytes: @platformatic/kafka's hand-written encoders and
 * decoders (one module per API version) are an independent reading of the Kafka protocol.
 *
 * Requests: the foreign client encodes a request; we must decode every byte of it to the values it was
 *           given, and re-encode it to identical bytes.
 * Responses: we encode a response whose every field holds a distinct non-default value; the foreign
 *           client must decode it and see the same values. Tagged fields stay at their defaults there:
 *           platformatic's reader cannot skip a non-empty tagged section.
 * Where platformatic disagrees with Kafka's JSON and franz-go, the case is left out and the reason given.
 */
import { describe, expect, it } from 'vitest';
import * as pk from '@platformatic/kafka';
import { decodeMessagePrefix, encodeMessage } from '../../src/protocol/codec.js';
import type { AnyField, ApiSpec, MessageSpec, Type } from '../../src/protocol/schema/dsl.js';
import { api as produce } from '../../src/protocol/messages/00-produce.js';
import { api as fetch } from '../../src/protocol/messages/01-fetch.js';
import { api as listOffsets } from '../../src/protocol/messages/02-list-offsets.js';
import { api as metadata } from '../../src/protocol/messages/03-metadata.js';
import { api as saslHandshake } from '../../src/protocol/messages/17-sasl-handshake.js';
import { api as apiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { api as createTopics } from '../../src/protocol/messages/19-create-topics.js';
import { api as deleteTopics } from '../../src/protocol/messages/20-delete-topics.js';
import { api as deleteRecords } from '../../src/protocol/messages/21-delete-records.js';
import { api as offsetForLeaderEpoch } from '../../src/protocol/messages/23-offset-for-leader-epoch.js';
import { api as describeConfigs } from '../../src/protocol/messages/32-describe-configs.js';
import { api as alterConfigs } from '../../src/protocol/messages/33-alter-configs.js';
import { api as describeLogDirs } from '../../src/protocol/messages/35-describe-log-dirs.js';
import { api as saslAuthenticate } from '../../src/protocol/messages/36-sasl-authenticate.js';
import { api as createPartitions } from '../../src/protocol/messages/37-create-partitions.js';
import { api as incrementalAlterConfigs } from '../../src/protocol/messages/44-incremental-alter-configs.js';
import { api as describeCluster } from '../../src/protocol/messages/60-describe-cluster.js';

/** The two functions every @platformatic/kafka API module exports. */
interface ForeignApi {
  createRequest(...args: unknown[]): { buffer: Buffer };
  parseResponse(correlationId: number, apiKey: number, apiVersion: number, reader: unknown): unknown;
}
const foreign = (m: unknown): ForeignApi => m as ForeignApi;

// ---- UUIDs: ours are URL-safe base64 (22 chars), platformatic's are dashed hex ----
const HEX_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const hexToOurs = (hex: string): string => Buffer.from(hex.replaceAll('-', ''), 'hex').toString('base64url');
const oursToHex = (b64: string): string =>
  Buffer.from(b64, 'base64url')
    .toString('hex')
    .replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5');
const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
const TOPIC_ID = hexToOurs('6f1c2b3a-4d5e-4f60-8172-93a4b5c6d7e8');

// ---- version ranges ----
function inRange(text: string | undefined, v: number): boolean {
  if (text === undefined || text === 'none') return false;
  const plus = /^(\d+)\+$/.exec(text);
  if (plus) return v >= Number(plus[1]);
  const span = /^(\d+)-(\d+)$/.exec(text);
  if (span) return v >= Number(span[1]) && v <= Number(span[2]);
  return v === Number(text);
}

// ---- sample values: every present field distinct and non-default; absent fields at their default ----
function zero(type: Type<unknown>): unknown {
  switch (type.kind) {
    case 'int64':
      return 0n;
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'uuid':
      return ZERO_UUID;
    case 'bytes':
      return Buffer.alloc(0);
    case 'records':
      return null;
    case 'array':
      return [];
    case 'struct':
      return Object.fromEntries(type.fields.map((f) => [f.name, f.default !== undefined ? f.default : zero(f.type)]));
    default:
      return 0;
  }
}

function sampler(version: number): (fields: readonly AnyField[]) => Record<string, unknown> {
  let n = 0;
  const value = (type: Type<unknown>, nullable: boolean, name: string): unknown => {
    n += 1;
    switch (type.kind) {
      case 'int8':
        return n % 100;
      case 'int16':
        return name === 'errorCode' ? 0 : 300 + n; // platformatic throws on error codes
      case 'int32':
      case 'uint32':
        return 70000 + n;
      case 'uint16':
        return 1000 + n;
      case 'int64':
        return 5_000_000_000n + BigInt(n);
      case 'float64':
        return n + 0.5;
      case 'bool':
        return true;
      case 'string':
        return `s${n}`;
      case 'uuid':
        return Buffer.alloc(16, n).toString('base64url');
      case 'bytes':
        return Buffer.from([n, n + 1, n + 2]);
      case 'records':
        return nullable ? null : Buffer.alloc(0); // platformatic parses batches; keep them out of it
      case 'array':
        return [value(type.items, false, name), value(type.items, false, name)];
      case 'struct':
        return struct(type.fields);
    }
  };
  const struct = (fields: readonly AnyField[]): Record<string, unknown> =>
    Object.fromEntries(
      fields.map((f) => [
        f.name,
        inRange(f.versions, version) && !inRange(f.taggedVersions, version)
          ? value(f.type, f.nullable !== undefined, f.name)
          : f.default !== undefined
            ? f.default
            : zero(f.type),
      ]),
    );
  return struct;
}

// ---- comparisons ----
/** Every property the foreign decoder produced must be ours, with the same value. */
function expectForeignMatches(theirs: unknown, ours: unknown, path: string, extra: ReadonlySet<string>): void {
  if (Array.isArray(theirs)) {
    expect(Array.isArray(ours), `${path} is an array`).toBe(true);
    expect((ours as unknown[]).length, `${path}.length`).toBe(theirs.length);
    theirs.forEach((t, i) => expectForeignMatches(t, (ours as unknown[])[i], `${path}[${i}]`, extra));
  } else if (theirs !== null && typeof theirs === 'object' && !Buffer.isBuffer(theirs)) {
    for (const [k, t] of Object.entries(theirs)) {
      if (extra.has(k)) continue;
      expect(ours !== null && typeof ours === 'object' && k in ours, `${path}.${k} exists in ours`).toBe(true);
      expectForeignMatches(t, (ours as Record<string, unknown>)[k], `${path}.${k}`, extra);
    }
  } else if (typeof theirs === 'string' && HEX_UUID.test(theirs) && typeof ours === 'string' && ours.length === 22) {
    expect(hexToOurs(theirs), path).toBe(ours);
  } else {
    expect(theirs, path).toEqual(ours);
  }
}

function decodeAll<V>(spec: MessageSpec<V>, version: number, bytes: Buffer): V {
  const { value, end } = decodeMessagePrefix(spec, version, bytes);
  expect(end, `${spec.name} v${version} consumed every byte`).toBe(bytes.length);
  return value;
}

// ---- requests ----
interface RequestCase {
  api: ApiSpec;
  versions: readonly number[];
  module: (v: number) => unknown;
  args: (v: number) => unknown[];
  expected: (v: number) => Record<string, unknown>;
}

const mod = (name: string) => (v: number) => (pk as unknown as Record<string, unknown>)[`${name}V${v}`];

const requestCases: RequestCase[] = [
  {
    api: produce,
    versions: [7, 8, 9, 10, 11],
    module: mod('produce'),
    args: () => [-1, 1500, [{ topic: 'orders', partition: 2, key: Buffer.from('k'), value: Buffer.from('v'), timestamp: 1n }]],
    expected: () => ({
      transactionalId: null,
      acks: -1,
      timeoutMs: 1500,
      topicData: [{ name: 'orders', partitionData: [{ index: 2 }] }],
    }),
  },
  {
    api: fetch,
    versions: [12, 13, 14, 15, 16, 17],
    module: mod('fetch'),
    args: (v) => [
      500,
      1,
      1048576,
      1,
      77,
      3,
      [
        {
          topicId: v >= 13 ? oursToHex(TOPIC_ID) : 'orders',
          partitions: [{ partition: 4, currentLeaderEpoch: 9, fetchOffset: 123n, lastFetchedEpoch: 8, partitionMaxBytes: 65536 }],
        },
      ],
      // platformatic writes a UUID for a forgotten topic even in v12, where Kafka has its name
      v >= 13 ? [{ topic: oursToHex(TOPIC_ID), partitions: [1, 2] }] : [],
      'rack-a',
    ],
    expected: (v) => ({
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 1048576,
      isolationLevel: 1,
      sessionId: 77,
      sessionEpoch: 3,
      topics: [
        {
          ...(v >= 13 ? { topicId: TOPIC_ID } : { topic: 'orders' }),
          partitions: [
            { partition: 4, currentLeaderEpoch: 9, fetchOffset: 123n, lastFetchedEpoch: 8, logStartOffset: -1n, partitionMaxBytes: 65536 },
          ],
        },
      ],
      forgottenTopicsData: v >= 13 ? [{ topicId: TOPIC_ID, partitions: [1, 2] }] : [],
      rackId: 'rack-a',
    }),
  },
  {
    api: listOffsets,
    versions: [5, 6, 7, 8, 9],
    module: mod('listOffsets'),
    args: () => [-1, 1, [{ name: 'orders', partitions: [{ partitionIndex: 3, currentLeaderEpoch: 5, timestamp: -2n }] }]],
    expected: () => ({
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 3, currentLeaderEpoch: 5, timestamp: -2n }] }],
    }),
  },
  {
    api: metadata,
    // not v11: platformatic still writes include_cluster_authorized_operations, which Kafka removed in v11
    versions: [9, 10, 12],
    module: mod('metadata'),
    args: () => [['orders', 'payments'], true, true],
    expected: () => ({
      topics: [{ name: 'orders' }, { name: 'payments' }],
      allowAutoTopicCreation: true,
      includeTopicAuthorizedOperations: true,
    }),
  },
  {
    api: apiVersions,
    versions: [3, 4],
    module: mod('apiVersions'),
    args: () => ['brook-test', '1.2.3'],
    expected: () => ({ clientSoftwareName: 'brook-test', clientSoftwareVersion: '1.2.3' }),
  },
  {
    api: offsetForLeaderEpoch,
    versions: [4],
    module: mod('offsetForLeaderEpoch'),
    args: () => [-1, [{ name: 'orders', partitions: [{ partitionIndex: 1, currentLeaderEpoch: 7, leaderEpoch: 6 }] }]],
    expected: () => ({
      replicaId: -1,
      topics: [{ topic: 'orders', partitions: [{ partition: 1, currentLeaderEpoch: 7, leaderEpoch: 6 }] }],
    }),
  },
  {
    api: createTopics,
    versions: [7],
    module: mod('createTopics'),
    args: () => [
      [
        {
          name: 'orders',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }],
          configs: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'retention.ms', value: null }],
        },
      ],
      30000,
      true,
    ],
    expected: () => ({
      topics: [
        {
          name: 'orders',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }],
          configs: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'retention.ms', value: null },
          ],
        },
      ],
      timeoutMs: 30000,
      validateOnly: true,
    }),
  },
  {
    api: deleteTopics,
    versions: [6],
    module: mod('deleteTopics'),
    args: () => [[{ name: 'orders', topicId: oursToHex(TOPIC_ID) }, { name: null, topicId: oursToHex(TOPIC_ID) }], 15000],
    expected: () => ({
      topics: [
        { name: 'orders', topicId: TOPIC_ID },
        { name: null, topicId: TOPIC_ID },
      ],
      timeoutMs: 15000,
    }),
  },
  {
    api: deleteRecords,
    versions: [2],
    module: mod('deleteRecords'),
    args: () => [[{ name: 'orders', partitions: [{ partitionIndex: 0, offset: 42n }] }], 5000],
    expected: () => ({ topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, offset: 42n }] }], timeoutMs: 5000 }),
  },
  {
    api: describeConfigs,
    versions: [3, 4],
    module: mod('describeConfigs'),
    args: () => [[{ resourceType: 2, resourceName: 'orders', configurationKeys: ['retention.ms'] }], true, true],
    expected: () => ({
      resources: [{ resourceType: 2, resourceName: 'orders', configurationKeys: ['retention.ms'] }],
      includeSynonyms: true,
      includeDocumentation: true,
    }),
  },
  {
    api: alterConfigs,
    versions: [2],
    module: mod('alterConfigs'),
    args: () => [[{ resourceType: 2, resourceName: 'orders', configs: [{ name: 'retention.ms', value: '1000' }] }], true],
    expected: () => ({
      resources: [{ resourceType: 2, resourceName: 'orders', configs: [{ name: 'retention.ms', value: '1000' }] }],
      validateOnly: true,
    }),
  },
  {
    api: describeLogDirs,
    versions: [2, 3, 4],
    module: mod('describeLogDirs'),
    args: () => [[{ name: 'orders', partitions: [0, 1] }]],
    expected: () => ({ topics: [{ topic: 'orders', partitions: [0, 1] }] }),
  },
  {
    api: createPartitions,
    versions: [1, 2, 3],
    module: mod('createPartitions'),
    args: () => [[{ name: 'orders', count: 6, assignments: [{ brokerIds: [1] }, { brokerIds: [2] }] }], 10000, false],
    expected: () => ({
      topics: [{ name: 'orders', count: 6, assignments: [{ brokerIds: [1] }, { brokerIds: [2] }] }],
      timeoutMs: 10000,
      validateOnly: false,
    }),
  },
  {
    api: incrementalAlterConfigs,
    versions: [1],
    module: mod('incrementalAlterConfigs'),
    args: () => [
      [{ resourceType: 2, resourceName: 'orders', configs: [{ name: 'retention.ms', configOperation: 0, value: '5' }] }],
      false,
    ],
    expected: () => ({
      resources: [{ resourceType: 2, resourceName: 'orders', configs: [{ name: 'retention.ms', configOperation: 0, value: '5' }] }],
      validateOnly: false,
    }),
  },
  {
    api: describeCluster,
    versions: [0, 1],
    module: mod('describeCluster'),
    args: () => [true, 2],
    expected: (v) => ({ includeClusterAuthorizedOperations: true, endpointType: v >= 1 ? 2 : 1 }),
  },
  {
    api: saslHandshake,
    versions: [1],
    module: mod('saslHandshake'),
    args: () => ['SCRAM-SHA-256'],
    expected: () => ({ mechanism: 'SCRAM-SHA-256' }),
  },
  {
    api: saslAuthenticate,
    versions: [2],
    module: mod('saslAuthenticate'),
    args: () => [Buffer.from('\0user\0secret')],
    expected: () => ({ authBytes: Buffer.from('\0user\0secret') }),
  },
];

describe('requests encoded by @platformatic/kafka', () => {
  for (const c of requestCases) {
    for (const v of c.versions) {
      it(`${c.api.name} v${v}: decodes to the client's values and re-encodes to the same bytes`, () => {
        const bytes = foreign(c.module(v)).createRequest(...c.args(v)).buffer;
        const value = decodeAll(c.api.request, v, bytes);
        expect(value).toMatchObject(c.expected(v));
        expect(Buffer.concat(encodeMessage(c.api.request, v, value))).toEqual(bytes);
      });
    }
  }
});

// ---- responses ----
interface ResponseCase {
  api: ApiSpec;
  versions: readonly number[];
  module: (v: number) => unknown;
  /** Properties platformatic makes up in that version, not read from the wire. */
  extra?: (v: number) => readonly string[];
}

const responseCases: ResponseCase[] = [
  { api: produce, versions: [7, 8, 9, 10, 11], module: mod('produce') },
  // platformatic's Fetch v12 files the topic name under topicId
  { api: fetch, versions: [12, 13, 14, 15, 16, 17], module: mod('fetch'), extra: (v) => (v < 13 ? ['topicId'] : []) },
  { api: listOffsets, versions: [5, 6, 7, 8, 9], module: mod('listOffsets') },
  { api: metadata, versions: [9, 10, 11, 12], module: mod('metadata'), extra: (v) => (v < 10 ? ['topicId'] : []) },
  { api: apiVersions, versions: [3, 4], module: mod('apiVersions'), extra: () => ['name'] },
  // not OffsetForLeaderEpoch: platformatic reads partition before error_code; Kafka and franz-go put error_code first
  { api: createTopics, versions: [7], module: mod('createTopics') },
  { api: deleteTopics, versions: [6], module: mod('deleteTopics') },
  { api: deleteRecords, versions: [2], module: mod('deleteRecords') },
  // not DescribeConfigs v2: platformatic reads config_type and documentation there, which arrived in v3
  { api: describeConfigs, versions: [3, 4], module: mod('describeConfigs') },
  { api: alterConfigs, versions: [2], module: mod('alterConfigs') },
  {
    api: describeLogDirs,
    versions: [2, 3, 4],
    module: mod('describeLogDirs'),
    extra: (v) => (v < 4 ? ['totalBytes', 'usableBytes'] : []),
  },
  { api: createPartitions, versions: [1, 2, 3], module: mod('createPartitions') },
  { api: incrementalAlterConfigs, versions: [1], module: mod('incrementalAlterConfigs') },
  { api: describeCluster, versions: [0, 1], module: mod('describeCluster'), extra: (v) => (v < 1 ? ['endpointType'] : []) },
  { api: saslHandshake, versions: [1], module: mod('saslHandshake') },
  { api: saslAuthenticate, versions: [2], module: mod('saslAuthenticate') },
];

/** platformatic throws when a response carries an error or error message; the parsed value rides on the error. */
function parseForeign(api: ForeignApi, key: number, version: number, bytes: Buffer): unknown {
  try {
    return api.parseResponse(1, key, version, pk.Reader.from(bytes));
  } catch (err) {
    if (err instanceof pk.ResponseError) return (err as { response?: unknown }).response;
    throw err;
  }
}

describe('responses decoded by @platformatic/kafka', () => {
  for (const c of responseCases) {
    for (const v of c.versions) {
      it(`${c.api.name} v${v}: the client reads back every field we wrote`, () => {
        const value = sampler(v)(c.api.response.fields);
        const bytes = Buffer.concat(encodeMessage(c.api.response, v, value as never));
        const theirs = parseForeign(foreign(c.module(v)), c.api.key, v, bytes);
        expectForeignMatches(theirs, value, c.api.response.name, new Set(c.extra?.(v) ?? []));
        expect(decodeAll(c.api.response, v, bytes)).toEqual(value);
      });
    }
  }
});
