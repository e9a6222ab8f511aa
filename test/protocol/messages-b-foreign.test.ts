/**
 * The group, offset and transaction schemas against two foreign implementations, the clients Brook must
 * serve: kafkajs (classic versions) and @platformatic/kafka (flexible versions).
 *   request:  the client's encoder writes the bytes → Brook decodes them to the expected values → Brook
 *             re-encodes them byte for byte;
 *   response: Brook encodes a response → the client's own parser reads back the values Brook meant.
 * Only message bodies are compared (headers are tested with the framing).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as pk from '@platformatic/kafka';
import type { ApiSpec, MessageSpec } from '../../src/protocol/schema/dsl.js';
import { decodeMessage, encodeMessage } from '../../src/protocol/codec.js';
import { api as offsetCommit } from '../../src/protocol/messages/08-offset-commit.js';
import { api as offsetFetch } from '../../src/protocol/messages/09-offset-fetch.js';
import { api as findCoordinator } from '../../src/protocol/messages/10-find-coordinator.js';
import { api as joinGroup } from '../../src/protocol/messages/11-join-group.js';
import { api as heartbeat } from '../../src/protocol/messages/12-heartbeat.js';
import { api as leaveGroup } from '../../src/protocol/messages/13-leave-group.js';
import { api as syncGroup } from '../../src/protocol/messages/14-sync-group.js';
import { api as describeGroups } from '../../src/protocol/messages/15-describe-groups.js';
import { api as listGroups } from '../../src/protocol/messages/16-list-groups.js';
import { api as initProducerId } from '../../src/protocol/messages/22-init-producer-id.js';
import { api as addPartitionsToTxn } from '../../src/protocol/messages/24-add-partitions-to-txn.js';
import { api as addOffsetsToTxn } from '../../src/protocol/messages/25-add-offsets-to-txn.js';
import { api as endTxn } from '../../src/protocol/messages/26-end-txn.js';
import { api as txnOffsetCommit } from '../../src/protocol/messages/28-txn-offset-commit.js';
import { api as deleteGroups } from '../../src/protocol/messages/42-delete-groups.js';
import { api as offsetDelete } from '../../src/protocol/messages/47-offset-delete.js';
import { api as describeProducers } from '../../src/protocol/messages/61-describe-producers.js';
import { api as describeTransactions } from '../../src/protocol/messages/65-describe-transactions.js';
import { api as listTransactions } from '../../src/protocol/messages/66-list-transactions.js';
import { api as consumerGroupHeartbeat } from '../../src/protocol/messages/68-consumer-group-heartbeat.js';
import { api as consumerGroupDescribe } from '../../src/protocol/messages/69-consumer-group-describe.js';

type Obj = Record<string, unknown>;
type AnyApi = ApiSpec<unknown, unknown>;

interface Case {
  api: AnyApi;
  version: number;
  /** The foreign client's request body. */
  request: () => Buffer | Promise<Buffer>;
  /** What Brook must decode from it (a subset of the decoded value). */
  decoded: Obj;
  /** A response Brook encodes... */
  response?: Obj;
  /** ...parsed by the foreign client (when it can)... */
  parse?: (body: Buffer) => unknown;
  /** ...which must see these values (defaults to `response`). */
  parsed?: Obj;
}

const body = (parts: Buffer[]): Buffer => Buffer.concat(parts);
const enc = (spec: MessageSpec<unknown>, version: number, value: Obj): Buffer => body(encodeMessage(spec, version, value));

async function runCase(c: Case): Promise<void> {
  const bytes = await c.request();
  const value = decodeMessage(c.api.request, c.version, bytes);
  expect(value).toMatchObject(c.decoded);
  expect(enc(c.api.request, c.version, value as Obj).equals(bytes)).toBe(true);
  if (c.response !== undefined) {
    const out = enc(c.api.response, c.version, c.response);
    expect(decodeMessage(c.api.response, c.version, out)).toMatchObject(c.response);
    if (c.parse !== undefined) expect(await c.parse(out)).toMatchObject(c.parsed ?? c.response);
  }
}

// ---------------------------------------------------------------- kafkajs (classic versions)

const require = createRequire(import.meta.url);
interface KafkajsRequest {
  encode(): Promise<{ buffer: Buffer }>;
}
const kjsRequest = (path: string, args: unknown) => async (): Promise<Buffer> => {
  const build = require(`kafkajs/src/protocol/requests/${path}/request`) as (a: unknown) => KafkajsRequest;
  return (await build(args).encode()).buffer;
};
const kjsParse = (path: string) => (buf: Buffer): Promise<unknown> =>
  (require(`kafkajs/src/protocol/requests/${path}/response`) as { decode(b: Buffer): Promise<unknown> }).decode(buf);

const meta = Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x61, 0, 0, 0, 0]);
const assignment = Buffer.from([0, 1, 0, 0, 0, 1, 0, 1, 0x74, 0, 0, 0, 1, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);

function kafkajsCases(): Array<[string, Case]> {
  const cases: Array<[string, Case]> = [];
  const add = (title: string, c: Case): void => {
    cases.push([`${title} v${c.version}`, c]);
  };

  for (let v = 0; v <= 5; v++) {
    const instance = v >= 5 ? { groupInstanceId: 'static-1' } : {};
    add('JoinGroup', {
      api: joinGroup as AnyApi,
      version: v,
      request: kjsRequest(`joinGroup/v${v}`, {
        groupId: 'grp',
        sessionTimeout: 30000,
        rebalanceTimeout: 60000,
        memberId: 'm-1',
        protocolType: 'consumer',
        groupProtocols: [{ name: 'RoundRobinAssigner', metadata: meta }],
        ...instance,
      }),
      decoded: {
        groupId: 'grp',
        sessionTimeoutMs: 30000,
        rebalanceTimeoutMs: v >= 1 ? 60000 : -1,
        memberId: 'm-1',
        groupInstanceId: v >= 5 ? 'static-1' : null,
        protocolType: 'consumer',
        protocols: [{ name: 'RoundRobinAssigner', metadata: meta }],
      },
      response: {
        throttleTimeMs: v >= 2 ? 7 : 0,
        errorCode: 0,
        generationId: 4,
        protocolName: 'RoundRobinAssigner',
        leader: 'm-1',
        memberId: 'm-1',
        members: [{ memberId: 'm-1', groupInstanceId: v >= 5 ? 'static-1' : null, metadata: meta }],
      },
      parse: kjsParse(`joinGroup/v${v}`),
      parsed: {
        errorCode: 0,
        generationId: 4,
        groupProtocol: 'RoundRobinAssigner',
        leaderId: 'm-1',
        memberId: 'm-1',
        members: [{ memberId: 'm-1', memberMetadata: meta, ...(v >= 5 ? { groupInstanceId: 'static-1' } : {}) }],
      },
    });
  }

  for (let v = 0; v <= 3; v++) {
    add('SyncGroup', {
      api: syncGroup as AnyApi,
      version: v,
      request: kjsRequest(`syncGroup/v${v}`, {
        groupId: 'grp',
        generationId: 4,
        memberId: 'm-1',
        groupInstanceId: v >= 3 ? 'static-1' : undefined,
        groupAssignment: [{ memberId: 'm-1', memberAssignment: assignment }],
      }),
      decoded: {
        groupId: 'grp',
        generationId: 4,
        memberId: 'm-1',
        groupInstanceId: v >= 3 ? 'static-1' : null,
        assignments: [{ memberId: 'm-1', assignment }],
      },
      response: { throttleTimeMs: v >= 1 ? 3 : 0, errorCode: 0, assignment },
      parse: kjsParse(`syncGroup/v${v}`),
      parsed: { errorCode: 0, memberAssignment: assignment },
    });
  }

  for (let v = 0; v <= 3; v++) {
    add('Heartbeat', {
      api: heartbeat as AnyApi,
      version: v,
      request: kjsRequest(`heartbeat/v${v}`, {
        groupId: 'grp',
        groupGenerationId: 4,
        memberId: 'm-1',
        groupInstanceId: v >= 3 ? null : undefined,
      }),
      decoded: { groupId: 'grp', generationId: 4, memberId: 'm-1', groupInstanceId: null },
      response: { throttleTimeMs: v >= 1 ? 2 : 0, errorCode: 0 },
      parse: kjsParse(`heartbeat/v${v}`),
      parsed: { errorCode: 0 },
    });
  }

  for (let v = 0; v <= 3; v++) {
    const batched = v >= 3;
    add('LeaveGroup', {
      api: leaveGroup as AnyApi,
      version: v,
      request: kjsRequest(
        `leaveGroup/v${v}`,
        batched ? { groupId: 'grp', members: [{ memberId: 'm-1', groupInstanceId: 'static-1' }] } : { groupId: 'grp', memberId: 'm-1' },
      ),
      decoded: batched
        ? { groupId: 'grp', memberId: '', members: [{ memberId: 'm-1', groupInstanceId: 'static-1', reason: null }] }
        : { groupId: 'grp', memberId: 'm-1', members: [] },
      response: {
        throttleTimeMs: v >= 1 ? 1 : 0,
        errorCode: 0,
        members: batched ? [{ memberId: 'm-1', groupInstanceId: 'static-1', errorCode: 0 }] : [],
      },
      parse: kjsParse(`leaveGroup/v${v}`),
      parsed: batched
        ? { errorCode: 0, members: [{ memberId: 'm-1', groupInstanceId: 'static-1', errorCode: 0 }] }
        : { errorCode: 0 },
    });
  }

  for (let v = 0; v <= 5; v++) {
    add('OffsetCommit', {
      api: offsetCommit as AnyApi,
      version: v,
      request: kjsRequest(`offsetCommit/v${v}`, {
        groupId: 'grp',
        groupGenerationId: 4,
        memberId: 'm-1',
        retentionTime: -1,
        topics: [{ topic: 'orders', partitions: [{ partition: 2, offset: '9007199254740993', timestamp: 1700000000000, metadata: 'm' }] }],
      }),
      decoded: {
        groupId: 'grp',
        generationIdOrMemberEpoch: v >= 1 ? 4 : -1,
        memberId: v >= 1 ? 'm-1' : '',
        retentionTimeMs: -1n,
        topics: [
          {
            name: 'orders',
            partitions: [
              {
                partitionIndex: 2,
                committedOffset: 9007199254740993n,
                commitTimestamp: v === 1 ? 1700000000000n : -1n,
                committedMetadata: 'm',
              },
            ],
          },
        ],
      },
      response: {
        throttleTimeMs: v >= 3 ? 5 : 0,
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 2, errorCode: 0 }] }],
      },
      parse: kjsParse(`offsetCommit/v${v}`),
      parsed: { responses: [{ topic: 'orders', partitions: [{ partition: 2, errorCode: 0 }] }] },
    });
  }

  for (let v = 1; v <= 4; v++) {
    add('OffsetFetch', {
      api: offsetFetch as AnyApi,
      version: v,
      request: kjsRequest(`offsetFetch/v${v}`, { groupId: 'grp', topics: [{ topic: 'orders', partitions: [{ partition: 0 }, { partition: 3 }] }] }),
      decoded: { groupId: 'grp', topics: [{ name: 'orders', partitionIndexes: [0, 3] }], groups: [] },
      response: {
        throttleTimeMs: v >= 3 ? 1 : 0,
        topics: [
          {
            name: 'orders',
            partitions: [
              { partitionIndex: 0, committedOffset: 42n, metadata: '', errorCode: 0 },
              { partitionIndex: 3, committedOffset: -1n, metadata: null, errorCode: 0 },
            ],
          },
        ],
        errorCode: 0,
      },
      parse: kjsParse(`offsetFetch/v${v}`),
      parsed: {
        responses: [
          {
            topic: 'orders',
            partitions: [
              { partition: 0, offset: '42', metadata: '', errorCode: 0 },
              { partition: 3, offset: '-1', metadata: null, errorCode: 0 },
            ],
          },
        ],
      },
    });
  }

  for (let v = 0; v <= 2; v++) {
    add('FindCoordinator', {
      api: findCoordinator as AnyApi,
      version: v,
      request: kjsRequest(`findCoordinator/v${v}`, v === 0 ? { groupId: 'grp' } : { coordinatorKey: 'tx-1', coordinatorType: 1 }),
      decoded: v === 0 ? { key: 'grp', keyType: 0, coordinatorKeys: [] } : { key: 'tx-1', keyType: 1 },
      response: { throttleTimeMs: 0, errorCode: 0, ...(v >= 1 ? { errorMessage: null } : {}), nodeId: 1, host: 'localhost', port: 9092 },
      parse: kjsParse(`findCoordinator/v${v}`),
      parsed: { errorCode: 0, coordinator: { nodeId: 1, host: 'localhost', port: 9092 } },
    });
  }

  for (let v = 0; v <= 1; v++) {
    add('InitProducerId', {
      api: initProducerId as AnyApi,
      version: v,
      request: kjsRequest(`initProducerId/v${v}`, { transactionalId: 'tx-1', transactionTimeout: 60000 }),
      decoded: { transactionalId: 'tx-1', transactionTimeoutMs: 60000, producerId: -1n, producerEpoch: -1 },
      response: { throttleTimeMs: 0, errorCode: 0, producerId: 1234567890123n, producerEpoch: 3 },
      parse: kjsParse(`initProducerId/v${v}`),
      parsed: { errorCode: 0, producerId: '1234567890123', producerEpoch: 3 },
    });
    add('AddPartitionsToTxn', {
      api: addPartitionsToTxn as AnyApi,
      version: v,
      request: kjsRequest(`addPartitionsToTxn/v${v}`, {
        transactionalId: 'tx-1',
        producerId: '1234567890123',
        producerEpoch: 3,
        topics: [{ topic: 'orders', partitions: [0, 1] }],
      }),
      decoded: {
        v3AndBelowTransactionalId: 'tx-1',
        v3AndBelowProducerId: 1234567890123n,
        v3AndBelowProducerEpoch: 3,
        v3AndBelowTopics: [{ name: 'orders', partitions: [0, 1] }],
        transactions: [],
      },
      response: {
        throttleTimeMs: 0,
        resultsByTopicV3AndBelow: [
          { name: 'orders', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }, { partitionIndex: 1, partitionErrorCode: 0 }] },
        ],
      },
      parse: kjsParse(`addPartitionsToTxn/v${v}`),
      parsed: {
        errors: [{ topic: 'orders', partitionErrors: [{ partition: 0, errorCode: 0 }, { partition: 1, errorCode: 0 }] }],
      },
    });
    add('AddOffsetsToTxn', {
      api: addOffsetsToTxn as AnyApi,
      version: v,
      request: kjsRequest(`addOffsetsToTxn/v${v}`, { transactionalId: 'tx-1', producerId: '77', producerEpoch: 3, groupId: 'grp' }),
      decoded: { transactionalId: 'tx-1', producerId: 77n, producerEpoch: 3, groupId: 'grp' },
      response: { throttleTimeMs: 0, errorCode: 0 },
      parse: kjsParse(`addOffsetsToTxn/v${v}`),
      parsed: { errorCode: 0 },
    });
    add('EndTxn', {
      api: endTxn as AnyApi,
      version: v,
      request: kjsRequest(`endTxn/v${v}`, { transactionalId: 'tx-1', producerId: '77', producerEpoch: 3, transactionResult: true }),
      decoded: { transactionalId: 'tx-1', producerId: 77n, producerEpoch: 3, committed: true },
      response: { throttleTimeMs: 0, errorCode: 0 },
      parse: kjsParse(`endTxn/v${v}`),
      parsed: { errorCode: 0 },
    });
    add('TxnOffsetCommit', {
      api: txnOffsetCommit as AnyApi,
      version: v,
      request: kjsRequest(`txnOffsetCommit/v${v}`, {
        transactionalId: 'tx-1',
        groupId: 'grp',
        producerId: '77',
        producerEpoch: 3,
        topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: '100', metadata: null }] }],
      }),
      decoded: {
        transactionalId: 'tx-1',
        groupId: 'grp',
        producerId: 77n,
        producerEpoch: 3,
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 100n, committedLeaderEpoch: -1, committedMetadata: null }] }],
      },
      response: { throttleTimeMs: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0 }] }] },
      parse: kjsParse(`txnOffsetCommit/v${v}`),
      parsed: { topics: [{ topic: 'orders', partitions: [{ partition: 0, errorCode: 0 }] }] },
    });
    add('DeleteGroups', {
      api: deleteGroups as AnyApi,
      version: v,
      request: kjsRequest(`deleteGroups/v${v}`, ['grp', 'other']),
      decoded: { groupsNames: ['grp', 'other'] },
      response: { throttleTimeMs: 0, results: [{ groupId: 'grp', errorCode: 0 }] },
      parse: kjsParse(`deleteGroups/v${v}`),
      parsed: { results: [{ groupId: 'grp', errorCode: 0 }] },
    });
  }

  for (let v = 0; v <= 2; v++) {
    add('DescribeGroups', {
      api: describeGroups as AnyApi,
      version: v,
      request: kjsRequest(`describeGroups/v${v}`, { groupIds: ['grp'] }),
      decoded: { groups: ['grp'], includeAuthorizedOperations: false },
      response: {
        throttleTimeMs: 0,
        groups: [
          {
            errorCode: 0,
            groupId: 'grp',
            groupState: 'Stable',
            protocolType: 'consumer',
            protocolData: 'RoundRobinAssigner',
            members: [
              { memberId: 'm-1', clientId: 'c', clientHost: '/127.0.0.1', memberMetadata: meta, memberAssignment: assignment },
            ],
          },
        ],
      },
      parse: kjsParse(`describeGroups/v${v}`),
      parsed: {
        groups: [
          {
            errorCode: 0,
            groupId: 'grp',
            state: 'Stable',
            protocolType: 'consumer',
            protocol: 'RoundRobinAssigner',
            members: [{ memberId: 'm-1', clientId: 'c', clientHost: '/127.0.0.1', memberMetadata: meta, memberAssignment: assignment }],
          },
        ],
      },
    });
    add('ListGroups', {
      api: listGroups as AnyApi,
      version: v,
      request: kjsRequest(`listGroups/v${v}`, {}),
      decoded: { statesFilter: [], typesFilter: [] },
      response: { throttleTimeMs: 0, errorCode: 0, groups: [{ groupId: 'grp', protocolType: 'consumer' }] },
      parse: kjsParse(`listGroups/v${v}`),
      parsed: { errorCode: 0, groups: [{ groupId: 'grp', protocolType: 'consumer' }] },
    });
  }
  return cases;
}

// ---------------------------------------------------------------- @platformatic/kafka (flexible versions)

interface PkApi {
  createRequest(...args: never[]): { buffer: Buffer };
  parseResponse(correlationId: number, apiKey: number, apiVersion: number, reader: pk.Reader): unknown;
}
const pkApi = (name: string): PkApi => (pk as unknown as Record<string, PkApi>)[name]!;
const pkRequest = (name: string, ...args: unknown[]) => (): Buffer =>
  (pkApi(name).createRequest as (...a: unknown[]) => { buffer: Buffer })(...args).buffer;
const pkParse = (name: string, key: number, version: number) => (buf: Buffer): unknown =>
  pkApi(name).parseResponse(0, key, version, pk.Reader.from(buf));

/** @platformatic/kafka writes UUIDs as dashed hex; Brook holds them as URL-safe base64. */
const TOPIC_ID_HEX = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const TOPIC_ID = Buffer.from(TOPIC_ID_HEX.replaceAll('-', ''), 'hex').toString('base64url');

function platformaticCases(): Array<[string, Case]> {
  const cases: Array<[string, Case]> = [];
  const add = (title: string, c: Case): void => {
    cases.push([`${title} v${c.version}`, c]);
  };

  for (let v = 6; v <= 9; v++) {
    const name = `joinGroupV${v}`;
    const args =
      v >= 8
        ? ['grp', 45000, 300000, '', 'inst', 'consumer', [{ name: 'range', metadata: meta }], 'rejoin']
        : ['grp', 45000, 300000, '', 'inst', 'consumer', [{ name: 'range', metadata: meta }]];
    add('JoinGroup', {
      api: joinGroup as AnyApi,
      version: v,
      request: pkRequest(name, ...args),
      decoded: {
        groupId: 'grp',
        sessionTimeoutMs: 45000,
        rebalanceTimeoutMs: 300000,
        memberId: '',
        groupInstanceId: 'inst',
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: meta }],
        reason: v >= 8 ? 'rejoin' : null,
      },
      response: {
        throttleTimeMs: 0,
        errorCode: 0,
        generationId: 1,
        ...(v >= 7 ? { protocolType: 'consumer' } : {}),
        protocolName: 'range',
        leader: 'm-1',
        ...(v >= 9 ? { skipAssignment: true } : {}),
        memberId: 'm-1',
        members: [{ memberId: 'm-1', groupInstanceId: 'inst', metadata: meta }],
      },
      parse: pkParse(name, 11, v),
    });
  }

  for (let v = 4; v <= 5; v++) {
    const name = `syncGroupV${v}`;
    add('SyncGroup', {
      api: syncGroup as AnyApi,
      version: v,
      request: pkRequest(name, 'grp', 1, 'm-1', null, 'consumer', 'range', [{ memberId: 'm-1', assignment }]),
      decoded: {
        groupId: 'grp',
        generationId: 1,
        memberId: 'm-1',
        groupInstanceId: null,
        protocolType: v === 5 ? 'consumer' : null,
        protocolName: v === 5 ? 'range' : null,
        assignments: [{ memberId: 'm-1', assignment }],
      },
      response: {
        throttleTimeMs: 0,
        errorCode: 0,
        ...(v === 5 ? { protocolType: 'consumer', protocolName: 'range' } : {}),
        assignment,
      },
      parse: pkParse(name, 14, v),
    });
  }

  add('Heartbeat', {
    api: heartbeat as AnyApi,
    version: 4,
    request: pkRequest('heartbeatV4', 'grp', 2, 'm-1', 'inst'),
    decoded: { groupId: 'grp', generationId: 2, memberId: 'm-1', groupInstanceId: 'inst' },
    response: { throttleTimeMs: 9, errorCode: 0 },
    parse: pkParse('heartbeatV4', 12, 4),
  });

  for (let v = 4; v <= 5; v++) {
    const name = `leaveGroupV${v}`;
    add('LeaveGroup', {
      api: leaveGroup as AnyApi,
      version: v,
      request: pkRequest(name, 'grp', [{ memberId: 'm-1', groupInstanceId: null, reason: 'bye' }]),
      decoded: { groupId: 'grp', members: [{ memberId: 'm-1', groupInstanceId: null, reason: v >= 5 ? 'bye' : null }] },
      response: { throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'm-1', groupInstanceId: null, errorCode: 0 }] },
      parse: pkParse(name, 13, v),
    });
  }

  for (let v = 8; v <= 9; v++) {
    const name = `offsetCommitV${v}`;
    add('OffsetCommit', {
      api: offsetCommit as AnyApi,
      version: v,
      request: pkRequest(name, 'grp', 7, 'm-1', null, [
        { name: 'orders', partitions: [{ partitionIndex: 1, committedOffset: 500n, committedLeaderEpoch: 2, committedMetadata: null }] },
      ]),
      decoded: {
        groupId: 'grp',
        generationIdOrMemberEpoch: 7,
        memberId: 'm-1',
        groupInstanceId: null,
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 1, committedOffset: 500n, committedLeaderEpoch: 2, committedMetadata: null }] }],
      },
      response: { throttleTimeMs: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 1, errorCode: 0 }] }] },
      parse: pkParse(name, 8, v),
    });
  }

  for (let v = 8; v <= 9; v++) {
    const name = `offsetFetchV${v}`;
    const group = v >= 9 ? { groupId: 'grp', memberId: 'm-1', memberEpoch: 5 } : { groupId: 'grp' };
    add('OffsetFetch', {
      api: offsetFetch as AnyApi,
      version: v,
      request: pkRequest(name, [{ ...group, topics: [{ name: 'orders', partitionIndexes: [0, 1] }] }], true),
      decoded: {
        groupId: '',
        topics: [],
        groups: [
          {
            groupId: 'grp',
            memberId: v >= 9 ? 'm-1' : null,
            memberEpoch: v >= 9 ? 5 : -1,
            topics: [{ name: 'orders', partitionIndexes: [0, 1] }],
          },
        ],
        requireStable: true,
      },
      response: {
        throttleTimeMs: 0,
        groups: [
          {
            groupId: 'grp',
            topics: [
              {
                name: 'orders',
                partitions: [{ partitionIndex: 0, committedOffset: 12n, committedLeaderEpoch: 1, metadata: null, errorCode: 0 }],
              },
            ],
            errorCode: 0,
          },
        ],
      },
      parse: pkParse(name, 9, v),
    });
  }

  for (let v = 4; v <= 6; v++) {
    const name = `findCoordinatorV${v}`;
    add('FindCoordinator', {
      api: findCoordinator as AnyApi,
      version: v,
      request: pkRequest(name, 0, ['grp', 'other']),
      decoded: { key: '', keyType: 0, coordinatorKeys: ['grp', 'other'] },
      response: {
        throttleTimeMs: 0,
        coordinators: [
          { key: 'grp', nodeId: 1, host: 'localhost', port: 9092, errorCode: 0, errorMessage: null },
          { key: 'other', nodeId: 1, host: 'localhost', port: 9092, errorCode: 0, errorMessage: null },
        ],
      },
      parse: pkParse(name, 10, v),
    });
  }

  for (let v = 3; v <= 5; v++) {
    const name = `initProducerIdV${v}`;
    add('InitProducerId', {
      api: initProducerId as AnyApi,
      version: v,
      request: pkRequest(name, null, 60000, -1n, -1),
      decoded: { transactionalId: null, transactionTimeoutMs: 60000, producerId: -1n, producerEpoch: -1 },
      response: { throttleTimeMs: 0, errorCode: 0, producerId: 4000n, producerEpoch: 0 },
      parse: pkParse(name, 22, v),
    });
  }

  const txTopics = [{ name: 'orders', partitions: [0, 2] }];
  const txResults = [
    { name: 'orders', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }, { partitionIndex: 2, partitionErrorCode: 0 }] },
  ];
  add('AddPartitionsToTxn', {
    api: addPartitionsToTxn as AnyApi,
    version: 3,
    request: pkRequest('addPartitionsToTxnV3', [{ transactionalId: 'tx-1', producerId: 9n, producerEpoch: 1, topics: txTopics }]),
    decoded: {
      v3AndBelowTransactionalId: 'tx-1',
      v3AndBelowProducerId: 9n,
      v3AndBelowProducerEpoch: 1,
      v3AndBelowTopics: txTopics,
      transactions: [],
    },
    response: { throttleTimeMs: 0, resultsByTopicV3AndBelow: txResults },
    parse: pkParse('addPartitionsToTxnV3', 24, 3),
    parsed: { throttleTimeMs: 0, resultsByTransaction: [{ topicResults: txResults }] },
  });
  for (let v = 4; v <= 5; v++) {
    const name = `addPartitionsToTxnV${v}`;
    const txs = [
      { transactionalId: 'tx-1', producerId: 9n, producerEpoch: 1, verifyOnly: true, topics: txTopics },
      { transactionalId: 'tx-2', producerId: 10n, producerEpoch: 0, verifyOnly: false, topics: [] },
    ];
    add('AddPartitionsToTxn', {
      api: addPartitionsToTxn as AnyApi,
      version: v,
      request: pkRequest(name, txs),
      decoded: { transactions: txs, v3AndBelowTransactionalId: '', v3AndBelowTopics: [] },
      response: { throttleTimeMs: 0, errorCode: 0, resultsByTransaction: [{ transactionalId: 'tx-1', topicResults: txResults }] },
      parse: pkParse(name, 24, v),
    });
  }

  for (let v = 3; v <= 4; v++) {
    add('AddOffsetsToTxn', {
      api: addOffsetsToTxn as AnyApi,
      version: v,
      request: pkRequest(`addOffsetsToTxnV${v}`, 'tx-1', 9n, 1, 'grp'),
      decoded: { transactionalId: 'tx-1', producerId: 9n, producerEpoch: 1, groupId: 'grp' },
      response: { throttleTimeMs: 0, errorCode: 0 },
      parse: pkParse(`addOffsetsToTxnV${v}`, 25, v),
    });
    add('EndTxn', {
      api: endTxn as AnyApi,
      version: v,
      request: pkRequest(`endTxnV${v}`, 'tx-1', 9n, 1, false),
      decoded: { transactionalId: 'tx-1', producerId: 9n, producerEpoch: 1, committed: false },
      response: { throttleTimeMs: 0, errorCode: 0 },
      parse: pkParse(`endTxnV${v}`, 26, v),
    });
    const commitTopics = [
      { name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 10n, committedLeaderEpoch: 3, committedMetadata: 'x' }] },
    ];
    add('TxnOffsetCommit', {
      api: txnOffsetCommit as AnyApi,
      version: v,
      request: pkRequest(`txnOffsetCommitV${v}`, 'tx-1', 'grp', 9n, 1, 4, 'm-1', null, commitTopics),
      decoded: {
        transactionalId: 'tx-1',
        groupId: 'grp',
        producerId: 9n,
        producerEpoch: 1,
        generationId: 4,
        memberId: 'm-1',
        groupInstanceId: null,
        topics: commitTopics,
      },
      response: { throttleTimeMs: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0 }] }] },
      parse: pkParse(`txnOffsetCommitV${v}`, 28, v),
    });
  }

  for (let v = 0; v <= 1; v++) {
    const name = `consumerGroupHeartbeatV${v}`;
    const args = ['grp', 'm-1', 0, null, 'rack-a', 300000, ['orders'], '^ord.*', null, [{ topicId: TOPIC_ID_HEX, partitions: [0, 1] }]];
    add('ConsumerGroupHeartbeat', {
      api: consumerGroupHeartbeat as AnyApi,
      version: v,
      request: pkRequest(name, ...args),
      decoded: {
        groupId: 'grp',
        memberId: 'm-1',
        memberEpoch: 0,
        instanceId: null,
        rackId: 'rack-a',
        rebalanceTimeoutMs: 300000,
        subscribedTopicNames: ['orders'],
        subscribedTopicRegex: v >= 1 ? '^ord.*' : null,
        serverAssignor: null,
        topicPartitions: [{ topicId: TOPIC_ID, partitions: [0, 1] }],
      },
      response: {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        memberId: 'm-1',
        memberEpoch: 1,
        heartbeatIntervalMs: 5000,
        assignment: { topicPartitions: [{ topicId: TOPIC_ID, partitions: [0, 1] }] },
      },
      parse: pkParse(name, 68, v),
      parsed: {
        memberId: 'm-1',
        memberEpoch: 1,
        heartbeatIntervalMs: 5000,
        assignment: { topicPartitions: [{ topicId: TOPIC_ID_HEX, partitions: [0, 1] }] },
      },
    });
  }

  const tps = { topicPartitions: [{ topicId: TOPIC_ID, topicName: 'orders', partitions: [0] }] };
  add('ConsumerGroupDescribe', {
    api: consumerGroupDescribe as AnyApi,
    version: 0,
    request: pkRequest('consumerGroupDescribeV0', ['grp'], true),
    decoded: { groupIds: ['grp'], includeAuthorizedOperations: true },
    response: {
      throttleTimeMs: 0,
      groups: [
        {
          errorCode: 0,
          errorMessage: null,
          groupId: 'grp',
          groupState: 'Stable',
          groupEpoch: 3,
          assignmentEpoch: 3,
          assignorName: 'uniform',
          members: [
            {
              memberId: 'm-1',
              instanceId: null,
              rackId: null,
              memberEpoch: 3,
              clientId: 'c',
              clientHost: '/127.0.0.1',
              subscribedTopicNames: ['orders'],
              subscribedTopicRegex: null,
              assignment: tps,
              targetAssignment: tps,
            },
          ],
          authorizedOperations: 0x0ff8,
        },
      ],
    },
    // No client parse: @platformatic/kafka 1.35 skips the tagged-field section of the nested Assignment
    // structs and reads the topic-name list as a string, so it cannot read any Kafka v0 response here.
  });

  add('DescribeGroups', {
    api: describeGroups as AnyApi,
    version: 5,
    request: pkRequest('describeGroupsV5', ['grp'], true),
    decoded: { groups: ['grp'], includeAuthorizedOperations: true },
    response: {
      throttleTimeMs: 0,
      groups: [
        {
          errorCode: 0,
          groupId: 'grp',
          groupState: 'Empty',
          protocolType: 'consumer',
          protocolData: '',
          members: [
            { memberId: 'm-1', groupInstanceId: 'inst', clientId: 'c', clientHost: 'h', memberMetadata: meta, memberAssignment: assignment },
          ],
          authorizedOperations: -2147483648,
        },
      ],
    },
    parse: pkParse('describeGroupsV5', 15, 5),
  });

  for (let v = 4; v <= 5; v++) {
    const name = `listGroupsV${v}`;
    add('ListGroups', {
      api: listGroups as AnyApi,
      version: v,
      request: pkRequest(name, ['Stable'], ['classic']),
      decoded: { statesFilter: ['Stable'], typesFilter: v === 5 ? ['classic'] : [] },
      response: {
        throttleTimeMs: 0,
        errorCode: 0,
        groups: [{ groupId: 'grp', protocolType: 'consumer', groupState: 'Stable', ...(v === 5 ? { groupType: 'classic' } : {}) }],
      },
      parse: pkParse(name, 16, v),
    });
  }

  add('DeleteGroups', {
    api: deleteGroups as AnyApi,
    version: 2,
    request: pkRequest('deleteGroupsV2', ['grp']),
    decoded: { groupsNames: ['grp'] },
    response: { throttleTimeMs: 0, results: [{ groupId: 'grp', errorCode: 0 }] },
    parse: pkParse('deleteGroupsV2', 42, 2),
  });

  add('OffsetDelete', {
    api: offsetDelete as AnyApi,
    version: 0,
    request: pkRequest('offsetDeleteV0', 'grp', [{ name: 'orders', partitions: [{ partitionIndex: 4 }] }]),
    decoded: { groupId: 'grp', topics: [{ name: 'orders', partitions: [{ partitionIndex: 4 }] }] },
    response: { errorCode: 0, throttleTimeMs: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 4, errorCode: 0 }] }] },
    parse: pkParse('offsetDeleteV0', 47, 0),
  });

  add('DescribeProducers', {
    api: describeProducers as AnyApi,
    version: 0,
    request: pkRequest('describeProducersV0', [{ name: 'orders', partitionIndexes: [0] }]),
    decoded: { topics: [{ name: 'orders', partitionIndexes: [0] }] },
    response: {
      throttleTimeMs: 0,
      topics: [
        {
          name: 'orders',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              errorMessage: null,
              activeProducers: [
                { producerId: 9n, producerEpoch: 1, lastSequence: 41, lastTimestamp: 1700000000000n, coordinatorEpoch: 0, currentTxnStartOffset: -1n },
              ],
            },
          ],
        },
      ],
    },
    parse: pkParse('describeProducersV0', 61, 0),
  });

  add('DescribeTransactions', {
    api: describeTransactions as AnyApi,
    version: 0,
    request: pkRequest('describeTransactionsV0', ['tx-1']),
    decoded: { transactionalIds: ['tx-1'] },
    response: {
      throttleTimeMs: 0,
      transactionStates: [
        {
          errorCode: 0,
          transactionalId: 'tx-1',
          transactionState: 'Ongoing',
          transactionTimeoutMs: 60000,
          transactionStartTimeMs: 1700000000000n,
          producerId: 9n,
          producerEpoch: 1,
          topics: [{ topic: 'orders', partitions: [0, 2] }],
        },
      ],
    },
    parse: pkParse('describeTransactionsV0', 65, 0),
  });

  for (let v = 0; v <= 2; v++) {
    const name = `listTransactionsV${v}`;
    const args: unknown[] = [['Ongoing'], [9n]];
    if (v >= 1) args.push(5000n);
    if (v >= 2) args.push('^tx-');
    add('ListTransactions', {
      api: listTransactions as AnyApi,
      version: v,
      request: pkRequest(name, ...args),
      decoded: {
        stateFilters: ['Ongoing'],
        producerIdFilters: [9n],
        durationFilter: v >= 1 ? 5000n : -1n,
        transactionalIdPattern: v >= 2 ? '^tx-' : null,
      },
      // @platformatic/kafka 1.35 reads an error message that no ListTransactions v2 response carries
      // (Kafka, franz-go and kafka-protocol-rs agree), so only v0-v1 responses are compared with it.
      ...(v <= 1
        ? {
            response: {
              throttleTimeMs: 0,
              errorCode: 0,
              unknownStateFilters: [],
              transactionStates: [{ transactionalId: 'tx-1', producerId: 9n, transactionState: 'Ongoing' }],
            },
            parse: pkParse(name, 66, v),
          }
        : {}),
    });
  }
  return cases;
}

describe('group/offset/transaction schemas vs kafkajs', () => {
  it.each(kafkajsCases())('%s', async (_title, c) => {
    await runCase(c);
  });
});

describe('group/offset/transaction schemas vs @platformatic/kafka', () => {
  it.each(platformaticCases())('%s', async (_title, c) => {
    await runCase(c);
  });
});
