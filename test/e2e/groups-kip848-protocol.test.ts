/**
 * KIP-848 over the wire against a real broker (requests built with our codec): v0 member ids chosen by
 * the broker, a regex subscription picking up a topic created later (through CreateTopics), Kafka's
 * errors for bad requests, and OffsetCommit v9 with the member epoch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '@platformatic/kafka';
import { ErrorCode } from '../../src/protocol/errors.js';
import { api as offsetCommitApi } from '../../src/protocol/messages/08-offset-commit.js';
import type { Broker } from '../../src/server/broker.js';
import { testBroker } from './helpers.js';
import { describeOverWire, heartbeatOverWire, roundTrip } from './groups-kip848-wire.js';

let broker: Broker;
let admin: Admin;

beforeAll(async () => {
  broker = await testBroker();
  admin = new Admin({ clientId: 'kip848-protocol', bootstrapBrokers: [broker.bootstrap] });
});

afterAll(async () => {
  await admin?.close().catch(() => {});
  await broker?.close();
});

const join = { memberEpoch: 0, rebalanceTimeoutMs: 30_000, topicPartitions: [] };

describe('ConsumerGroupHeartbeat over the wire', () => {
  it('v0: the broker chooses the member id; v1: an empty one is INVALID_REQUEST', async () => {
    await admin.createTopics({ topics: ['kp-a'], partitions: 2, replicas: 1 });
    const v0 = await heartbeatOverWire(broker.bootstrap, { ...join, groupId: 'kp-v0', memberId: '', subscribedTopicNames: ['kp-a'] }, 0);
    expect(v0).toMatchObject({ errorCode: 0, memberEpoch: 1, heartbeatIntervalMs: 5000 });
    expect(v0.memberId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(v0.assignment!.topicPartitions[0]!.partitions).toEqual([0, 1]);
    const v1 = await heartbeatOverWire(broker.bootstrap, { ...join, groupId: 'kp-v1', memberId: '', subscribedTopicNames: ['kp-a'] }, 1);
    expect(v1).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: "MemberId can't be empty.", memberId: null });
  });

  it('a regex subscription follows topic creation', async () => {
    await admin.createTopics({ topics: ['kp-rx-1'], partitions: 1, replicas: 1 });
    const first = await heartbeatOverWire(broker.bootstrap, { ...join, groupId: 'kp-rx', memberId: 'm', subscribedTopicRegex: 'kp-rx-.*' });
    expect(first).toMatchObject({ errorCode: 0, memberEpoch: 1 });
    expect(first.assignment!.topicPartitions).toHaveLength(1);
    await admin.createTopics({ topics: ['kp-rx-2'], partitions: 3, replicas: 1 });
    const next = await heartbeatOverWire(broker.bootstrap, {
      groupId: 'kp-rx',
      memberId: 'm',
      memberEpoch: 1,
      rebalanceTimeoutMs: 30_000,
      subscribedTopicRegex: 'kp-rx-.*',
      topicPartitions: first.assignment!.topicPartitions,
    });
    expect(next).toMatchObject({ errorCode: 0, memberEpoch: 2 });
    expect(next.assignment!.topicPartitions.map((t) => t.partitions.length).sort()).toEqual([1, 3]);
  });

  it('bad requests get Kafka’s errors', async () => {
    const bad = (over: Parameters<typeof heartbeatOverWire>[1]) => heartbeatOverWire(broker.bootstrap, over);
    expect((await bad({ ...join, groupId: 'kp-bad', memberId: 'm', subscribedTopicNames: ['x'], serverAssignor: 'sticky' })).errorCode).toBe(ErrorCode.UNSUPPORTED_ASSIGNOR);
    expect((await bad({ ...join, groupId: 'kp-bad', memberId: 'm', subscribedTopicRegex: '[' })).errorCode).toBe(ErrorCode.INVALID_REGULAR_EXPRESSION);
    expect((await bad({ ...join, groupId: 'kp-bad', memberId: 'm' })).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await bad({ groupId: 'kp-bad', memberId: 'm', memberEpoch: 4 })).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });

  it('group.consumer.assignors picks the default; an unknown name falls back to uniform, range', async () => {
    const other = await testBroker({ config: { 'group.consumer.assignors': 'range,uniform' } });
    const bad = await testBroker({ config: { 'group.consumer.assignors': 'sticky' } });
    try {
      for (const [b, expected] of [[other, 'range'], [bad, 'uniform']] as const) {
        const a = new Admin({ clientId: 'kip848-assignors', bootstrapBrokers: [b.bootstrap] });
        await a.createTopics({ topics: ['kp-as'], partitions: 2, replicas: 1 });
        await a.close();
        expect((await heartbeatOverWire(b.bootstrap, { ...join, groupId: 'kp-as', memberId: 'm', subscribedTopicNames: ['kp-as'] })).errorCode).toBe(0);
        expect((await describeOverWire(b.bootstrap, ['kp-as']))[0]!.assignorName).toBe(expected);
      }
    } finally {
      await other.close();
      await bad.close();
    }
  });

  it('OffsetCommit v9 checks the member epoch (STALE_MEMBER_EPOCH)', async () => {
    await admin.createTopics({ topics: ['kp-c'], partitions: 1, replicas: 1 });
    const m = await heartbeatOverWire(broker.bootstrap, { ...join, groupId: 'kp-c', memberId: 'mc', subscribedTopicNames: ['kp-c'] });
    const commit = (epoch: number) =>
      roundTrip(broker.bootstrap, offsetCommitApi, 9, {
        groupId: 'kp-c',
        generationIdOrMemberEpoch: epoch,
        memberId: 'mc',
        groupInstanceId: null,
        retentionTimeMs: -1n,
        topics: [{ name: 'kp-c', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [{ partitionIndex: 0, committedOffset: 0n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: null }] }],
      });
    expect((await commit(m.memberEpoch)).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);
    expect((await commit(m.memberEpoch + 1)).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.STALE_MEMBER_EPOCH);
  });
});
