/**
 * Protocol corners of the group handlers that the installed clients do not exercise on demand:
 * FindCoordinator v0-6 (batched keys, the transaction key type, unknown key types), JoinGroup v0
 * (no rebalance timeout) and MEMBER_ID_REQUIRED from v4, LeaveGroup's v0-2 top-level error and v3+
 * batches, OffsetCommit/OffsetFetch by topic id (v10) and for unknown topics, OffsetFetch v1
 * group errors per partition, DescribeGroups v6 GROUP_ID_NOT_FOUND. Encoded and decoded with Brook's
 * codec against a broker started through the public API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol/errors.js';
import { api as commitApi } from '../../src/protocol/messages/08-offset-commit.js';
import { api as fetchApi } from '../../src/protocol/messages/09-offset-fetch.js';
import { api as findApi } from '../../src/protocol/messages/10-find-coordinator.js';
import { api as joinApi } from '../../src/protocol/messages/11-join-group.js';
import { api as heartbeatApi } from '../../src/protocol/messages/12-heartbeat.js';
import { api as leaveApi } from '../../src/protocol/messages/13-leave-group.js';
import { api as syncApi } from '../../src/protocol/messages/14-sync-group.js';
import { api as describeApi } from '../../src/protocol/messages/15-describe-groups.js';
import { api as listApi } from '../../src/protocol/messages/16-list-groups.js';
import { api as deleteApi } from '../../src/protocol/messages/42-delete-groups.js';
import { api as createTopicsApi } from '../../src/protocol/messages/19-create-topics.js';
import { RawClient } from './helpers.js';
import { Rpc } from './rpc.js';
import { startTestBroker, type TestBroker } from './handlers-data-helpers.js';


let tb: TestBroker;
let rpc: Rpc;
let client: RawClient;
let topicId: string;
const TOPIC = 'groups-proto';
const PROTOCOLS = [{ name: 'range', metadata: Buffer.from([0, 0, 0, 0, 0, 1, 0, 12, ...Buffer.from(TOPIC), 0xff, 0xff, 0xff, 0xff]) }];

beforeAll(async () => {
  tb = await startTestBroker('memory');
  client = await RawClient.connect(tb.port);
  rpc = new Rpc(client, 'groups-proto');
  const created = await rpc.call(createTopicsApi, 7, {
    topics: [{ name: TOPIC, numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }] as never,
    timeoutMs: 10_000,
  });
  topicId = created.topics[0]!.topicId;
});

afterAll(async () => {
  client?.destroy();
  await tb?.close();
});

describe('FindCoordinator', () => {
  it('answers this node for groups and transactional ids, v0-v6, batched from v4', async () => {
    for (let v = 0; v <= 3; v++) {
      const r = await rpc.call(findApi, v, { key: 'g', keyType: 0 });
      expect(r).toMatchObject({ errorCode: 0, nodeId: 0, host: '127.0.0.1', port: tb.port });
    }
    const txn = await rpc.call(findApi, 1, { key: 'my-txn', keyType: 1 });
    expect(txn).toMatchObject({ errorCode: 0, nodeId: 0, port: tb.port });
    const batched = await rpc.call(findApi, 4, { keyType: 1, coordinatorKeys: ['t1', 't2'] });
    expect(batched.coordinators.map((c) => [c.key, c.nodeId, c.errorCode])).toEqual([['t1', 0, 0], ['t2', 0, 0]]);
    const share = await rpc.call(findApi, 6, { keyType: 2, coordinatorKeys: ['g:x:0'] });
    expect(share.coordinators[0]!.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    const bad = await rpc.call(findApi, 2, { key: 'g', keyType: 7 });
    expect(bad.errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });
});

describe('classic group APIs across versions', () => {
  it('JoinGroup v0 joins at once (no member id round); v4 asks for the member id first', async () => {
    const v0 = await rpc.call(joinApi, 0, { groupId: 'g-v0', sessionTimeoutMs: 10_000, memberId: '', protocolType: 'consumer', protocols: PROTOCOLS });
    expect(v0).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range' });
    expect(v0.leader).toBe(v0.memberId);
    const v4 = await rpc.call(joinApi, 4, { groupId: 'g-v4', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: '', protocolType: 'consumer', protocols: PROTOCOLS });
    expect(v4.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(v4.memberId).toMatch(/^groups-proto-/);
    const v9 = await rpc.call(joinApi, 9, { groupId: 'g-v4', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: v4.memberId, protocolType: 'consumer', protocols: PROTOCOLS });
    expect(v9).toMatchObject({ errorCode: 0, generationId: 1, protocolType: 'consumer', protocolName: 'range', skipAssignment: false });
    expect(v9.members).toEqual([{ memberId: v4.memberId, groupInstanceId: null, metadata: PROTOCOLS[0]!.metadata }]);
    const s = await rpc.call(syncApi, 5, { groupId: 'g-v4', generationId: 1, memberId: v4.memberId, protocolType: 'consumer', protocolName: 'roundrobin', assignments: [] });
    expect(s.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const s2 = await rpc.call(syncApi, 5, { groupId: 'g-v4', generationId: 1, memberId: v4.memberId, protocolType: 'consumer', protocolName: 'range', assignments: [{ memberId: v4.memberId, assignment: Buffer.from('x') }] });
    expect(s2).toMatchObject({ errorCode: 0, protocolName: 'range', assignment: Buffer.from('x') });
    expect((await rpc.call(heartbeatApi, 4, { groupId: 'g-v4', generationId: 1, memberId: v4.memberId })).errorCode).toBe(0);
    expect((await rpc.call(heartbeatApi, 0, { groupId: 'g-v4', generationId: 7, memberId: v4.memberId })).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await rpc.call(joinApi, 4, { groupId: 'g-v4', sessionTimeoutMs: 1, memberId: '', protocolType: 'consumer', protocols: PROTOCOLS })).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
  });

  it('LeaveGroup: v0-2 report the member error at top level; v3+ per member in a batch', async () => {
    const v0 = await rpc.call(leaveApi, 0, { groupId: 'g-v0', memberId: 'nobody' });
    expect(v0.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const j = await rpc.call(joinApi, 5, { groupId: 'g-leave', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: '', groupInstanceId: 'inst-1', protocolType: 'consumer', protocols: PROTOCOLS });
    expect(j.errorCode).toBe(0); // static members skip the member id round
    const v5 = await rpc.call(leaveApi, 5, {
      groupId: 'g-leave',
      members: [
        { memberId: '', groupInstanceId: 'inst-1', reason: 'scaling down' },
        { memberId: 'ghost', groupInstanceId: null, reason: null },
      ],
    });
    expect(v5.errorCode).toBe(0);
    expect(v5.members.map((m) => [m.memberId, m.groupInstanceId, m.errorCode])).toEqual([
      ['', 'inst-1', 0],
      ['ghost', null, ErrorCode.UNKNOWN_MEMBER_ID],
    ]);
  });
});

describe('offsets across versions', () => {
  it('OffsetCommit v0-v10 and OffsetFetch v0-v10, by name and (v10) by topic id', async () => {
    for (let v = 0; v <= 9; v++) {
      const r = await rpc.call(commitApi, v, {
        groupId: 'g-offsets',
        generationIdOrMemberEpoch: -1,
        memberId: '',
        topics: [{ name: TOPIC, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [{ partitionIndex: 0, committedOffset: BigInt(10 + v), committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: `v${v}` }] }],
      });
      expect(r.topics[0]!.partitions[0]).toEqual({ partitionIndex: 0, errorCode: 0 });
      for (const fv of [1, 5, 7]) {
        const f = await rpc.call(fetchApi, fv, { groupId: 'g-offsets', topics: [{ name: TOPIC, partitionIndexes: [0, 1] }] });
        expect(f.topics[0]!.partitions.map((p) => [p.partitionIndex, Number(p.committedOffset), p.metadata, p.errorCode])).toEqual([
          [0, 10 + v, `v${v}`, 0],
          [1, -1, '', 0],
        ]);
      }
    }
    const v10 = await rpc.call(commitApi, 10, {
      groupId: 'g-offsets',
      generationIdOrMemberEpoch: -1,
      topics: [
        { name: '', topicId, partitions: [{ partitionIndex: 1, committedOffset: 99n, committedLeaderEpoch: 0, commitTimestamp: -1n, committedMetadata: null }] },
        { name: '', topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: 0, commitTimestamp: -1n, committedMetadata: null }] },
      ],
    });
    expect(v10.topics.map((t) => [t.topicId, t.partitions[0]!.errorCode])).toEqual([[topicId, 0], ['AAAAAAAAAAAAAAAAAAAAAQ', ErrorCode.UNKNOWN_TOPIC_ID]]);
    const f10 = await rpc.call(fetchApi, 10, { groups: [{ groupId: 'g-offsets', memberId: null, memberEpoch: -1, topics: [{ name: '', topicId, partitionIndexes: [0, 1] }] }, { groupId: 'g-none', memberId: null, memberEpoch: -1, topics: null }] });
    expect(f10.groups[0]!.topics[0]!.topicId).toBe(topicId);
    expect(f10.groups[0]!.topics[0]!.partitions.map((p) => Number(p.committedOffset))).toEqual([19, 99]);
    expect(f10.groups[1]).toMatchObject({ groupId: 'g-none', topics: [], errorCode: 0 });
    // Unknown topics and partitions are refused.
    const unknown = await rpc.call(commitApi, 8, {
      groupId: 'g-offsets',
      generationIdOrMemberEpoch: -1,
      topics: [
        { name: 'no-such-topic', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: null }] },
        { name: TOPIC, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [{ partitionIndex: 5, committedOffset: 1n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: null }] },
      ],
    });
    expect(unknown.topics.map((t) => t.partitions[0]!.errorCode)).toEqual([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
  });

  it('a commit with a generation for a group that does not exist: ILLEGAL_GENERATION (v1-8), GROUP_ID_NOT_FOUND (v9+)', async () => {
    const body = (v: number) => ({
      groupId: `g-missing-${v}`,
      generationIdOrMemberEpoch: 3,
      memberId: 'm',
      topics: [{ name: TOPIC, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: null }] }],
    });
    expect((await rpc.call(commitApi, 2, body(2))).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await rpc.call(commitApi, 9, body(9))).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });
});

describe('admin APIs', () => {
  it('DescribeGroups: unknown groups are Dead before v6 and GROUP_ID_NOT_FOUND from v6; ListGroups v0; DeleteGroups', async () => {
    const old = await rpc.call(describeApi, 0, { groups: ['nope'] });
    expect(old.groups[0]).toMatchObject({ errorCode: 0, groupId: 'nope', groupState: 'Dead' });
    const v6 = await rpc.call(describeApi, 6, { groups: ['nope', 'g-v4'], includeAuthorizedOperations: true });
    expect(v6.groups[0]).toMatchObject({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, groupState: 'Dead' });
    expect(v6.groups[0]!.errorMessage).toContain('nope');
    expect(v6.groups[1]).toMatchObject({ errorCode: 0, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(v6.groups[1]!.authorizedOperations).toBe((1 << 3) | (1 << 6) | (1 << 8));
    const list = await rpc.call(listApi, 0, {});
    expect(list.groups.map((g) => g.groupId)).toEqual(expect.arrayContaining(['g-v0', 'g-v4', 'g-offsets']));
    const del = await rpc.call(deleteApi, 2, { groupsNames: ['g-offsets', 'g-v4', 'nope'] });
    expect(del.results.map((r) => [r.groupId, r.errorCode])).toEqual([
      ['g-offsets', 0],
      ['g-v4', ErrorCode.NON_EMPTY_GROUP],
      ['nope', ErrorCode.GROUP_ID_NOT_FOUND],
    ]);
  });
});
