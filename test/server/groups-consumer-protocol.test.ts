/**
 * KIP-848 consumer groups on a fake clock: joins, epochs, revocation before assignment, errors as Kafka
 * answers them, session and rebalance timeouts, regex subscriptions, offset-commit checks, admin views,
 * and persistence across a restart.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol/errors.js';
import { describeConsumerGroup } from '../../src/server/groups/consumer/describe.js';
import { ConsumerGroupProtocol } from '../../src/server/groups/consumer/protocol.js';
import { createLogger } from '../../src/server/logger.js';
import { byName, consumerHarness, owned, type ConsumerHarness } from './groups-consumer-harness.js';
import { joinMember, syncAs } from './groups-harness.js';

/** Two members of group g over topic t (4 partitions), both reconciled: a has 0,1 and b has 2,3. */
function twoMembers(h: ConsumerHarness): void {
  h.topics.create('t', 4);
  const a1 = h.hb({ memberId: 'a', memberEpoch: 0 });
  expect(a1).toMatchObject({ errorCode: 0, memberId: 'a', memberEpoch: 1, heartbeatIntervalMs: 5000 });
  expect(byName(h.topics, a1.assignment)).toEqual({ t: [0, 1, 2, 3] });

  // b joins: epoch 2, but every partition is still a's — b gets nothing yet.
  const b1 = h.hb({ memberId: 'b', memberEpoch: 0 });
  expect(b1).toMatchObject({ errorCode: 0, memberEpoch: 2 });
  expect(byName(h.topics, b1.assignment)).toEqual({});

  // a is asked to revoke (it stays at epoch 1 until it has).
  const a2 = h.hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(h.topics, { t: [0, 1, 2, 3] }) });
  expect(a2.memberEpoch).toBe(1);
  expect(byName(h.topics, a2.assignment)).toEqual({ t: [0, 1] });
  expect(h.c.listGroups([], [])).toEqual([{ groupId: 'g', protocolType: 'consumer', groupState: 'Reconciling', groupType: 'consumer' }]);

  // b still cannot have 2 and 3: a has not acknowledged.
  expect(byName(h.topics, h.hb({ memberId: 'b', memberEpoch: 2 }).assignment)).toEqual({});
  // a acknowledges by no longer reporting them, and moves to epoch 2.
  const a3 = h.hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(h.topics, { t: [0, 1] }) });
  expect(a3.memberEpoch).toBe(2);
  // Now b gets them.
  const b3 = h.hb({ memberId: 'b', memberEpoch: 2 });
  expect(byName(h.topics, b3.assignment)).toEqual({ t: [2, 3] });
  expect(h.c.listGroups([], [])[0]!.groupState).toBe('Stable');
}

describe('consumer group heartbeat', () => {
  it('revokes before it assigns: a partition moves only after its owner gave it up', () => {
    twoMembers(consumerHarness());
  });

  it('v0 join with an empty member id gets a broker-generated one', () => {
    const h = consumerHarness();
    h.topics.create('t', 1);
    const r = h.hb({ memberId: '', memberEpoch: 0, apiVersion: 0 });
    expect(r.errorCode).toBe(0);
    expect(r.memberId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('a heartbeat that changes nothing has no assignment unless it is a full request', () => {
    const h = consumerHarness();
    h.topics.create('t', 2);
    h.hb({ memberId: 'a', memberEpoch: 0 });
    const partial = h.hb({ memberId: 'a', memberEpoch: 1, rebalanceTimeoutMs: -1, subscribedTopicNames: null, topicPartitions: null });
    expect(partial).toMatchObject({ errorCode: 0, memberEpoch: 1, assignment: null });
    const full = h.hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(h.topics, { t: [0, 1] }) });
    expect(byName(h.topics, full.assignment)).toEqual({ t: [0, 1] });
  });

  it('answers request errors as Kafka', () => {
    const h = consumerHarness({ maxSize: 2 });
    h.topics.create('t', 1);
    const err = (r: { errorCode: number; errorMessage: string | null }): [number, string | null] => [r.errorCode, r.errorMessage];
    expect(err(h.hb({ memberId: 'a', memberEpoch: 0, groupId: '' }))).toEqual([ErrorCode.INVALID_REQUEST, "GroupId can't be empty."]);
    expect(err(h.hb({ memberId: '', memberEpoch: 0 }))).toEqual([ErrorCode.INVALID_REQUEST, "MemberId can't be empty."]);
    expect(err(h.hb({ memberId: 'a', memberEpoch: 0, rebalanceTimeoutMs: -1 }))[0]).toBe(ErrorCode.INVALID_REQUEST);
    expect(err(h.hb({ memberId: 'a', memberEpoch: 0, topicPartitions: owned(h.topics, { t: [0] }) }))[1]).toBe('TopicPartitions must be empty when (re-)joining.');
    expect(err(h.hb({ memberId: 'a', memberEpoch: 0, subscribedTopicNames: null }))[0]).toBe(ErrorCode.INVALID_REQUEST);
    expect(err(h.hb({ memberId: 'a', memberEpoch: -3 }))).toEqual([ErrorCode.INVALID_REQUEST, 'MemberEpoch is invalid.']);
    expect(err(h.hb({ memberId: 'a', memberEpoch: -2 }))).toEqual([ErrorCode.INVALID_REQUEST, "InstanceId can't be null."]);
    expect(err(h.hb({ memberId: 'a', memberEpoch: 0, serverAssignor: 'sticky' }))).toEqual([
      ErrorCode.UNSUPPORTED_ASSIGNOR,
      'ServerAssignor sticky is not supported. Supported assignors: uniform, range.',
    ]);
    expect(err(h.hb({ memberId: 'a', memberEpoch: 0, subscribedTopicRegex: '(' }))[0]).toBe(ErrorCode.INVALID_REGULAR_EXPRESSION);
    expect(err(h.hb({ memberId: 'a', memberEpoch: 3 }))).toEqual([ErrorCode.GROUP_ID_NOT_FOUND, 'Consumer group g not found.']);

    expect(h.hb({ memberId: 'a', memberEpoch: 0 }).errorCode).toBe(0);
    expect(err(h.hb({ memberId: 'x', memberEpoch: 1 }))).toEqual([ErrorCode.UNKNOWN_MEMBER_ID, 'Member x is not a member of group g.']);
    expect(err(h.hb({ memberId: 'x', memberEpoch: -1 }))[0]).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(h.hb({ memberId: 'b', memberEpoch: 0 }).errorCode).toBe(0);
    expect(err(h.hb({ memberId: 'c', memberEpoch: 0 }))).toEqual([
      ErrorCode.GROUP_MAX_SIZE_REACHED,
      'The consumer group has reached its maximum capacity of 2 members.',
    ]);
    // An error answer carries no member id nor assignment.
    expect(h.hb({ memberId: 'a', memberEpoch: 7 })).toMatchObject({ errorCode: ErrorCode.FENCED_MEMBER_EPOCH, memberId: null, memberEpoch: 0, assignment: null });
  });

  it('fences epochs it does not know; accepts the previous epoch when the owned partitions fit', () => {
    const h = consumerHarness();
    twoMembers(h);
    // a is at epoch 2 (previous 1) and owns 0,1.
    expect(h.hb({ memberId: 'a', memberEpoch: 3 }).errorCode).toBe(ErrorCode.FENCED_MEMBER_EPOCH);
    expect(h.hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(h.topics, { t: [0, 1] }) })).toMatchObject({ errorCode: 0, memberEpoch: 2 });
    expect(h.hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(h.topics, { t: [0, 3] }) }).errorCode).toBe(ErrorCode.FENCED_MEMBER_EPOCH);
    expect(h.hb({ memberId: 'a', memberEpoch: 0 }).errorCode).toBe(0); // rejoin after being fenced: starts over
  });

  it('a fenced member rejoining with epoch 0 gives its partitions up at once', () => {
    const h = consumerHarness();
    twoMembers(h);
    const r = h.hb({ memberId: 'b', memberEpoch: 0 });
    expect(r.errorCode).toBe(0);
    // Its target did not change (same subscription), and nobody else owns 2 and 3: it gets them back.
    expect(byName(h.topics, r.assignment)).toEqual({ t: [2, 3] });
  });

  it('leave (-1): the group epoch is bumped and the remaining member gets everything', () => {
    const h = consumerHarness();
    twoMembers(h);
    expect(h.hb({ memberId: 'b', memberEpoch: -1 })).toMatchObject({ errorCode: 0, memberId: 'b', memberEpoch: -1 });
    const a = h.hb({ memberId: 'a', memberEpoch: 2, topicPartitions: owned(h.topics, { t: [0, 1] }) });
    expect(a.memberEpoch).toBe(3);
    expect(byName(h.topics, a.assignment)).toEqual({ t: [0, 1, 2, 3] });
    expect(h.hb({ memberId: 'a', memberEpoch: -1 }).errorCode).toBe(0);
    expect(h.c.listGroups([], [])).toEqual([{ groupId: 'g', protocolType: 'consumer', groupState: 'Empty', groupType: 'consumer' }]);
  });

  it('session timeout fences a silent member; the other takes over', () => {
    const h = consumerHarness({ sessionTimeoutMs: 10_000 });
    twoMembers(h);
    h.clock.advance(6_000);
    h.hb({ memberId: 'a', memberEpoch: 2, topicPartitions: owned(h.topics, { t: [0, 1] }) });
    h.clock.advance(6_000); // b silent for 12 s
    expect(h.p.consumerGroup('g')!.members.has('b')).toBe(false);
    const a = h.hb({ memberId: 'a', memberEpoch: 2, topicPartitions: owned(h.topics, { t: [0, 1] }) });
    expect(byName(h.topics, a.assignment)).toEqual({ t: [0, 1, 2, 3] });
  });

  it('a member that does not revoke within its rebalance timeout is fenced', () => {
    const h = consumerHarness();
    h.topics.create('t', 4);
    h.hb({ memberId: 'a', memberEpoch: 0, rebalanceTimeoutMs: 3_000 });
    h.hb({ memberId: 'b', memberEpoch: 0 });
    h.hb({ memberId: 'a', memberEpoch: 1, rebalanceTimeoutMs: 3_000, topicPartitions: owned(h.topics, { t: [0, 1, 2, 3] }) });
    h.clock.advance(2_000);
    h.hb({ memberId: 'a', memberEpoch: 1, rebalanceTimeoutMs: 3_000, topicPartitions: owned(h.topics, { t: [0, 1, 2, 3] }) }); // still holding
    h.clock.advance(1_500);
    expect(h.p.consumerGroup('g')!.members.has('a')).toBe(false);
    expect(h.hb({ memberId: 'a', memberEpoch: 1 }).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const b = h.hb({ memberId: 'b', memberEpoch: 2 });
    expect(byName(h.topics, b.assignment)).toEqual({ t: [0, 1, 2, 3] });
  });

  it('static members: -2 keeps the partitions; the instance rejoins under a new id with them; UNRELEASED_INSTANCE_ID while held', () => {
    const h = consumerHarness();
    h.topics.create('t', 2);
    expect(h.hb({ memberId: 'a', memberEpoch: 0, instanceId: 'i1' }).memberEpoch).toBe(1);
    expect(h.hb({ memberId: 'b', memberEpoch: 0, instanceId: 'i1' }).errorCode).toBe(ErrorCode.UNRELEASED_INSTANCE_ID);
    expect(h.hb({ memberId: 'b', memberEpoch: 1, instanceId: 'i1' }).errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(h.hb({ memberId: 'a', memberEpoch: -2, instanceId: 'i1' })).toMatchObject({ errorCode: 0, memberEpoch: -2 });
    const b = h.hb({ memberId: 'b', memberEpoch: 0, instanceId: 'i1' });
    expect(b.errorCode).toBe(0);
    expect(byName(h.topics, b.assignment)).toEqual({ t: [0, 1] });
    expect(b.memberEpoch).toBe(1); // no rebalance: the group epoch did not move
    expect([...h.p.consumerGroup('g')!.members.keys()]).toEqual(['b']);
  });

  it('regex subscriptions resolve against existing topics and follow topic creation', () => {
    const h = consumerHarness();
    h.topics.create('orders-eu', 1);
    h.topics.create('payments', 1);
    const a = h.hb({ memberId: 'a', memberEpoch: 0, subscribedTopicNames: null, subscribedTopicRegex: 'orders-.*' });
    expect(byName(h.topics, a.assignment)).toEqual({ 'orders-eu': [0] });
    h.topics.create('orders-us', 2);
    const a2 = h.hb({ memberId: 'a', memberEpoch: 1, subscribedTopicNames: null, subscribedTopicRegex: 'orders-.*', topicPartitions: owned(h.topics, { 'orders-eu': [0] }) });
    expect(a2.memberEpoch).toBe(2);
    expect(byName(h.topics, a2.assignment)).toEqual({ 'orders-eu': [0], 'orders-us': [0, 1] });
    expect([...h.p.consumerGroup('g')!.subscribedTopics()].sort()).toEqual(['orders-eu', 'orders-us']);
    // Full match, escapes of punctuation as in RE2/J.
    const b = h.hb({ memberId: 'b', memberEpoch: 0, subscribedTopicNames: null, subscribedTopicRegex: 'orders\\-e.' });
    expect(b.errorCode).toBe(0);
    expect(h.p.consumerGroup('g')!.members.get('b')!.subscribedTopicRegex).toBe('orders\\-e.');
    expect(h.hb({ memberId: 'c', memberEpoch: 0, subscribedTopicNames: null, subscribedTopicRegex: 'orders' }).errorCode).toBe(0);
    const g = h.p.consumerGroup('g')!;
    const eu = h.topics.byName('orders-eu')!.topicId;
    expect([...g.target('a').keys(), ...g.target('b').keys()].sort()).toEqual([eu, h.topics.byName('orders-us')!.topicId].sort());
    expect([...g.target('b').keys()]).toEqual([eu]); // b matches orders-eu only (sticky: a kept orders-us)
    expect(g.target('c').size).toBe(0); // 'orders' must match a whole name
    expect([...g.subscribedTopics()].sort()).toEqual(['orders-eu', 'orders-us']);
  });

  it('the members’ server assignor picks the assignor; describe says which', () => {
    const h = consumerHarness();
    h.topics.create('t', 3);
    h.hb({ memberId: 'a', memberEpoch: 0, serverAssignor: 'range' });
    h.hb({ memberId: 'b', memberEpoch: 0, serverAssignor: 'range' });
    const g = h.p.consumerGroup('g')!;
    const id = h.topics.byName('t')!.topicId;
    expect([...g.target('a').get(id)!].sort()).toEqual([0, 1]);
    expect([...g.target('b').get(id)!]).toEqual([2]);
    const d = describeConsumerGroup(h.p, 'g', false);
    expect(d).toMatchObject({ errorCode: 0, groupState: 'Reconciling', groupEpoch: 2, assignmentEpoch: 2, assignorName: 'range' });
    expect(d.members.find((m) => m.memberId === 'b')!.targetAssignment.topicPartitions).toEqual([{ topicId: id, topicName: 't', partitions: [2] }]);
    expect(describeConsumerGroup(h.p, 'nope', false)).toMatchObject({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, groupId: 'nope' });
  });

  it('classic groups: an empty one is taken over, one with members answers GROUP_ID_NOT_FOUND', async () => {
    const h = consumerHarness();
    h.topics.create('t', 1);
    const j = await joinMember(h.c, { groupId: 'classic' });
    await syncAs(h.c, 'classic', j.value!.memberId, j.value!.generationId).promise;
    expect(describeConsumerGroup(h.p, 'classic', false)).toMatchObject({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, errorMessage: 'Group classic is not a consumer group.' });
    expect(h.hb({ groupId: 'classic', memberId: 'a', memberEpoch: -1 }).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect(h.hb({ groupId: 'classic', memberId: 'a', memberEpoch: 0 })).toMatchObject({
      errorCode: ErrorCode.GROUP_ID_NOT_FOUND,
      errorMessage: 'Group classic is not a consumer group.',
    });
    // Offsets-only (empty classic) group: becomes a consumer group, keeping its offsets.
    expect(h.c.commitOffsets({ groupId: 'simple', memberId: '', groupInstanceId: null, generationIdOrMemberEpoch: -1, apiVersion: 9, retentionTimeMs: -1, partitions: [{ topic: 't', partition: 0, offset: 5, leaderEpoch: -1, metadata: null }] })).toEqual([0]);
    expect(h.hb({ groupId: 'simple', memberId: 'a', memberEpoch: 0 }).errorCode).toBe(0);
    expect(h.c.group('simple')!.type).toBe('consumer');
    expect(h.c.fetchOffsets('simple', null, false).topics[0]!.partitions[0]!.offset).toBe(5);
  });
});

describe('offset commits of consumer-group members', () => {
  const commit = (h: ConsumerHarness, memberId: string, epoch: number, apiVersion = 9): number =>
    h.c.commitOffsets({
      groupId: 'g',
      memberId,
      groupInstanceId: null,
      generationIdOrMemberEpoch: epoch,
      apiVersion,
      retentionTimeMs: -1,
      partitions: [{ topic: 't', partition: 0, offset: 10, leaderEpoch: -1, metadata: null }],
    })[0]!;

  it('STALE_MEMBER_EPOCH for another epoch, UNKNOWN_MEMBER_ID for strangers, v9+ only', () => {
    const h = consumerHarness();
    twoMembers(h);
    expect(commit(h, 'a', 2)).toBe(ErrorCode.NONE);
    expect(commit(h, 'a', 1)).toBe(ErrorCode.STALE_MEMBER_EPOCH);
    expect(commit(h, 'a', 3)).toBe(ErrorCode.STALE_MEMBER_EPOCH);
    expect(commit(h, 'zz', 2)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(commit(h, 'a', 2, 8)).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const txn = { groupId: 'g', memberId: 'a', groupInstanceId: null, generationIdOrMemberEpoch: 2, apiVersion: 3, transactional: true };
    expect(h.p.consumerGroup('g')!.validateOffsetCommit(txn)).toBe(ErrorCode.NONE); // TxnOffsetCommit: any version
    expect(commit(h, '', -1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID); // admin commit while the group has members
    expect(h.c.fetchOffsets('g', null, false, { memberId: 'a', memberEpoch: 1 }).errorCode).toBe(ErrorCode.STALE_MEMBER_EPOCH);
    expect(h.c.fetchOffsets('g', null, false, { memberId: 'a', memberEpoch: 2 }).topics[0]!.partitions[0]!.offset).toBe(10);
    h.hb({ memberId: 'a', memberEpoch: -1 });
    h.hb({ memberId: 'b', memberEpoch: -1 });
    expect(commit(h, '', -1)).toBe(ErrorCode.NONE); // empty group: admin commits are fine
  });
});

describe('persistence in __consumer_offsets', () => {
  it('a heartbeat whose records cannot be written changes nothing and answers the error', () => {
    const h = consumerHarness();
    twoMembers(h);
    let failWrites = false;
    const c = h.c;
    h.p = new ConsumerGroupProtocol(h.p.settings, {
      scheduler: c.scheduler,
      group: (id) => c.group(id),
      register: (g) => c.register(g),
      unregister: (id) => c.unregister(id),
      write: (id, records) => (failWrites ? ErrorCode.COORDINATOR_NOT_AVAILABLE : c.write(id, records)),
    }, h.topics, createLogger({ level: 'silent' }));
    const g = h.p.consumerGroup('g')!;
    // Sessions are now timed by this protocol instance.
    h.hb({ memberId: 'a', memberEpoch: 2, topicPartitions: owned(h.topics, { t: [0, 1] }) });
    h.hb({ memberId: 'b', memberEpoch: 2, topicPartitions: owned(h.topics, { t: [2, 3] }) });
    const before = describeConsumerGroup(h.p, 'g', false);
    failWrites = true;
    expect(h.hb({ memberId: 'c', memberEpoch: 0 }).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(h.hb({ memberId: 'a', memberEpoch: -1 }).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(h.hb({ groupId: 'new', memberId: 'x', memberEpoch: 0 }).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(describeConsumerGroup(h.p, 'g', false)).toEqual(before);
    expect(h.c.group('new')).toBeUndefined();
    // A session expiry that cannot be written leaves the member for a later try.
    h.clock.advance(46_000);
    expect(g.members.size).toBe(2);
    failWrites = false;
    expect(h.hb({ memberId: 'c', memberEpoch: 0 })).toMatchObject({ errorCode: 0, memberEpoch: 3 });
    h.clock.advance(46_000); // a and b silent: fenced now
    expect([...g.members.keys()]).toEqual([]);
  });

  it('a restart keeps the group epoch, members, target and current assignments', () => {
    const h = consumerHarness();
    twoMembers(h);
    h.restartAll();
    const g = h.p.consumerGroup('g')!;
    expect(g).toBeDefined();
    expect(g.stateName()).toBe('Stable');
    expect([g.groupEpoch, g.assignmentEpoch]).toEqual([2, 2]);
    expect(h.c.listGroups([], [])).toEqual([{ groupId: 'g', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' }]);
    // Members carry on with their epochs: no fencing, no rebalance.
    const a = h.hb({ memberId: 'a', memberEpoch: 2, topicPartitions: owned(h.topics, { t: [0, 1] }) });
    expect(a).toMatchObject({ errorCode: 0, memberEpoch: 2 });
    expect(byName(h.topics, a.assignment)).toEqual({ t: [0, 1] });
    const d = describeConsumerGroup(h.p, 'g', false);
    expect(d.members.map((m) => [m.memberId, m.memberEpoch, m.subscribedTopicNames]).sort()).toEqual([
      ['a', 2, ['t']],
      ['b', 2, ['t']],
    ]);
    // Sessions restart with the broker: b, silent, is fenced after the session timeout.
    h.clock.advance(46_000);
    expect(h.p.consumerGroup('g')!.members.size).toBe(0);
  });

  it('topics that changed while the broker was down rebalance at the first heartbeat', () => {
    const h = consumerHarness();
    twoMembers(h);
    h.topics.create('t', 6); // while down: same name, new id and more partitions (deleted and re-created)
    h.restartAll();
    const a = h.hb({ memberId: 'a', memberEpoch: 2, topicPartitions: owned(h.topics, { t: [0, 1] }) });
    expect(a.memberEpoch).toBe(3);
    expect(h.p.consumerGroup('g')!.groupEpoch).toBe(3);
  });

  it('a member mid-revocation is restored in that state; DeleteGroups removes the group for good', () => {
    const h = consumerHarness();
    h.topics.create('t', 4);
    h.hb({ memberId: 'a', memberEpoch: 0 });
    h.hb({ memberId: 'b', memberEpoch: 0 });
    h.hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(h.topics, { t: [0, 1, 2, 3] }) });
    h.restartAll();
    expect(h.p.consumerGroup('g')!.members.get('a')!.state).toBe('unrevoked_partitions');
    expect(byName(h.topics, h.hb({ memberId: 'b', memberEpoch: 2 }).assignment)).toEqual({});
    h.hb({ memberId: 'a', memberEpoch: 1, topicPartitions: owned(h.topics, { t: [0, 1] }) });
    expect(byName(h.topics, h.hb({ memberId: 'b', memberEpoch: 2 }).assignment)).toEqual({ t: [2, 3] });

    expect(h.c.deleteGroup('g')).toBe(ErrorCode.NON_EMPTY_GROUP);
    h.hb({ memberId: 'a', memberEpoch: -1 });
    h.hb({ memberId: 'b', memberEpoch: -1 });
    expect(h.c.deleteGroup('g')).toBe(ErrorCode.NONE);
    h.restartAll();
    expect(h.c.group('g')).toBeUndefined();
    expect(h.c.listGroups([], [])).toEqual([]);
  });

  it('offset retention removes an empty consumer group with its offsets, for good', () => {
    const h = consumerHarness();
    h.topics.create('t', 1);
    h.hb({ memberId: 'a', memberEpoch: 0 });
    expect(h.c.commitOffsets({ groupId: 'g', memberId: 'a', groupInstanceId: null, generationIdOrMemberEpoch: 1, apiVersion: 9, retentionTimeMs: -1, partitions: [{ topic: 't', partition: 0, offset: 3, leaderEpoch: -1, metadata: null }] })).toEqual([0]);
    h.hb({ memberId: 'a', memberEpoch: -1 });
    h.c.expireOffsets();
    expect(h.c.group('g')).toBeDefined(); // offsets not expired yet
    h.clock.advance(h.c.settings.offsetsRetentionMs + 1);
    h.c.expireOffsets();
    expect(h.c.group('g')).toBeUndefined();
    h.restartAll();
    expect(h.c.group('g')).toBeUndefined();
  });

  it('an empty consumer group taken over by a classic member stays classic after a restart', async () => {
    const h = consumerHarness();
    h.topics.create('t', 1);
    h.hb({ memberId: 'a', memberEpoch: 0 });
    h.hb({ memberId: 'a', memberEpoch: -1 });
    const j = await joinMember(h.c, { groupId: 'g' });
    expect(j.value!.errorCode).toBe(0);
    const { memberId, generationId } = j.value!;
    await syncAs(h.c, 'g', memberId, generationId, [{ memberId, assignment: Buffer.alloc(0) }]).promise;
    expect(h.c.group('g')!.type).toBe('classic');
    h.restartAll();
    expect(h.c.group('g')!.type).toBe('classic');
    expect(h.p.consumerGroup('g')).toBeUndefined();
  });
});
