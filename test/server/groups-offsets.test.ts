/**
 * Offsets and durability on a fake clock: commit/fetch, metadata limits, require_stable, OffsetDelete,
 * DeleteGroups, ListGroups/DescribeGroups, retention of an empty group's offsets, and the
 * __consumer_offsets records (Kafka's key/value formats) that rebuild groups and offsets on restart.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol/errors.js';
import { decodeRecordBatches, encodeRecordBatch } from '../../src/protocol/records/records.js';
import { encodeEndTxnMarkerBatch } from '../../src/protocol/records/control.js';
import type { ClassicGroup } from '../../src/server/groups/group.js';
import {
  decodeCoordinatorRecord,
  encodeGroupKey,
  encodeOffsetKey,
  encodeOffsetValue,
  partitionForGroup,
} from '../../src/server/groups/records.js';
import { flush, harness, joinMember, joinRequest, OFFSETS_TOPIC, subscription, syncAs, track, type Harness } from './groups-harness.js';

const G = 'orders-service';

function commit(h: Harness, partitions: Array<[string, number, number, string?]>, who: { memberId?: string; gen?: number } = {}, groupId = G) {
  return h.c.commitOffsets({
    groupId,
    memberId: who.memberId ?? '',
    groupInstanceId: null,
    generationIdOrMemberEpoch: who.gen ?? -1,
    apiVersion: 8,
    retentionTimeMs: -1,
    partitions: partitions.map(([topic, partition, offset, metadata]) => ({ topic, partition, offset, leaderEpoch: 3, metadata: metadata ?? null })),
  });
}

function fetched(h: Harness, groupId = G) {
  return h.c.fetchOffsets(groupId, null, false).topics.flatMap((t) => t.partitions.map((p) => [t.topic, p.partition, p.offset, p.metadata] as const));
}

/** A consumer-protocol member subscribed to `topics`, Stable at generation 1. */
async function stableMember(h: Harness, topics: string[]) {
  const j = await joinMember(h.c, { groupId: G, protocols: [{ name: 'range', metadata: subscription(...topics) }] });
  syncAs(h.c, G, j.value!.memberId, 1, [{ memberId: j.value!.memberId, assignment: Buffer.from('A') }]);
  await flush();
  return j.value!.memberId;
}

describe('offsets store', () => {
  it('commits and fetches offsets with metadata; unknown partitions answer -1', () => {
    const h = harness();
    expect(commit(h, [['t', 0, 10, 'meta-0'], ['t', 1, 20], ['u', 0, 5]])).toEqual([0, 0, 0]);
    expect(fetched(h)).toEqual([['t', 0, 10, 'meta-0'], ['t', 1, 20, ''], ['u', 0, 5, '']]);
    const one = h.c.fetchOffsets(G, [{ topic: 't', partitions: [1, 7] }], false);
    expect(one.topics[0]!.partitions).toEqual([
      { partition: 1, offset: 20, leaderEpoch: 3, metadata: '', errorCode: 0 },
      { partition: 7, offset: -1, leaderEpoch: -1, metadata: '', errorCode: 0 },
    ]);
    expect(h.c.fetchOffsets('nobody', [{ topic: 't', partitions: [0] }], false).topics[0]!.partitions[0]!.offset).toBe(-1);
  });

  it('refuses metadata above offset.metadata.max.bytes for that partition only', () => {
    const h = harness({ offsetMetadataMaxBytes: 8 });
    expect(commit(h, [['t', 0, 1, 'x'.repeat(9)], ['t', 1, 1, 'x'.repeat(8)]])).toEqual([ErrorCode.OFFSET_METADATA_TOO_LARGE, 0]);
    expect(fetched(h)).toEqual([['t', 1, 1, 'x'.repeat(8)]]);
  });

  it('require_stable: a staged transactional offset answers UNSTABLE_OFFSET_COMMIT until it ends', () => {
    const h = harness();
    commit(h, [['t', 0, 1]]);
    h.c.offsets.stagePending(G, 42, 't', 0, { offset: 9, leaderEpoch: -1, metadata: '', commitTimestamp: 0, expireTimestamp: -1 });
    expect(h.c.fetchOffsets(G, [{ topic: 't', partitions: [0] }], true).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNSTABLE_OFFSET_COMMIT);
    expect(h.c.fetchOffsets(G, [{ topic: 't', partitions: [0] }], false).topics[0]!.partitions[0]!.offset).toBe(1);
    expect(h.c.offsets.takePending(G, 42)).toHaveLength(1);
    expect(h.c.fetchOffsets(G, [{ topic: 't', partitions: [0] }], true).topics[0]!.partitions[0]!.errorCode).toBe(0);
  });

  it('OffsetDelete: refused for subscribed topics of a live consumer group, allowed for others', async () => {
    const h = harness();
    expect(h.c.deleteOffsets(G, [{ topic: 't', partitions: [0] }]).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    const m = await stableMember(h, ['t']);
    expect(commit(h, [['t', 0, 1], ['old', 0, 2]], { memberId: m, gen: 1 })).toEqual([0, 0]);
    const r = h.c.deleteOffsets(G, [{ topic: 't', partitions: [0] }, { topic: 'old', partitions: [0] }]);
    expect(r).toEqual({ errorCode: 0, partitionErrors: [[ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC], [0]] });
    expect(fetched(h)).toEqual([['t', 0, 1, '']]);
  });

  it('DeleteGroups: NON_EMPTY_GROUP with members, then deletes group and offsets; GROUP_ID_NOT_FOUND after', async () => {
    const h = harness();
    const m = await stableMember(h, ['t']);
    commit(h, [['t', 0, 1]], { memberId: m, gen: 1 });
    expect(h.c.deleteGroup(G)).toBe(ErrorCode.NON_EMPTY_GROUP);
    h.c.classic.leave(G, [{ memberId: m, groupInstanceId: null }], null);
    expect(h.c.deleteGroup(G)).toBe(ErrorCode.NONE);
    expect(h.c.deleteGroup(G)).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect(fetched(h)).toEqual([]);
    // Deleted for good: a restart does not bring it back.
    const again = h.restart();
    expect(again.group(G)).toBeUndefined();
    expect(again.fetchOffsets(G, null, false).topics).toEqual([]);
  });

  it('ListGroups filters by state and type; DescribeGroups shows members and assignments when Stable', async () => {
    const h = harness();
    const m = await stableMember(h, ['t']);
    commit(h, [['t', 0, 1]], {}, 'simple');
    expect(h.c.listGroups([], []).map((g) => [g.groupId, g.groupState, g.protocolType]).sort()).toEqual([
      [G, 'Stable', 'consumer'],
      ['simple', 'Empty', ''],
    ]);
    expect(h.c.listGroups(['stable'], []).map((g) => g.groupId)).toEqual([G]);
    expect(h.c.listGroups([], ['consumer'])).toEqual([]);
    expect(h.c.listGroups([], ['Classic'])).toHaveLength(2);
    const d = h.c.describeGroup(G, 5);
    expect(d).toMatchObject({ errorCode: 0, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(d.members).toEqual([
      { memberId: m, groupInstanceId: null, clientId: 'client', clientHost: '/127.0.0.1', memberMetadata: subscription('t'), memberAssignment: Buffer.from('A') },
    ]);
    expect(h.c.describeGroup('missing', 5)).toMatchObject({ errorCode: 0, groupState: 'Dead' });
    expect(h.c.describeGroup('missing', 6)).toMatchObject({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, groupState: 'Dead' });
  });
});

describe('offset retention (offsets.retention.minutes)', () => {
  it('expires the offsets of an empty group after the retention, counted from when it became empty', async () => {
    const h = harness({ offsetsRetentionMs: 60_000 });
    const m = await stableMember(h, ['t']);
    commit(h, [['t', 0, 1]], { memberId: m, gen: 1 });
    for (let i = 0; i < 240; i++) {
      h.clock.advance(500); // an old commit, but the group is live (heartbeats): kept
      expect(h.c.classic.heartbeat({ groupId: G, generationId: 1, memberId: m, groupInstanceId: null })).toBe(0);
    }
    expect(h.c.expireOffsets()).toBe(0);
    h.c.classic.leave(G, [{ memberId: m, groupInstanceId: null }], null);
    h.clock.advance(59_000);
    expect(h.c.expireOffsets()).toBe(0);
    h.clock.advance(1_000);
    expect(h.c.expireOffsets()).toBe(1);
    expect(h.c.group(G)).toBeUndefined(); // empty and without offsets: removed
    expect(h.restart().fetchOffsets(G, null, false).topics).toEqual([]);
  });

  it('a per-commit retention time (OffsetCommit v2-v4) expires the offset on its own schedule', () => {
    const h = harness({ offsetsRetentionMs: 7 * 24 * 3600_000 });
    const r = h.c.commitOffsets({
      groupId: G,
      memberId: '',
      groupInstanceId: null,
      generationIdOrMemberEpoch: -1,
      apiVersion: 2,
      retentionTimeMs: 1000,
      partitions: [{ topic: 't', partition: 0, offset: 5, leaderEpoch: -1, metadata: null }],
    });
    expect(r).toEqual([0]);
    h.clock.advance(999);
    expect(h.c.expireOffsets()).toBe(0);
    h.clock.advance(1);
    expect(h.c.expireOffsets()).toBe(1);
    expect(h.c.group(G)).toBeUndefined();
  });

  it('expires offsets of topics a live consumer group no longer subscribes to', async () => {
    const h = harness({ offsetsRetentionMs: 60_000, minSessionTimeoutMs: 1 });
    const m = await stableMember(h, ['t']);
    commit(h, [['t', 0, 1], ['gone', 0, 2]], { memberId: m, gen: 1 });
    h.clock.advance(500);
    h.c.classic.heartbeat({ groupId: G, generationId: 1, memberId: m, groupInstanceId: null });
    h.clock.advance(500);
    h.c.classic.heartbeat({ groupId: G, generationId: 1, memberId: m, groupInstanceId: null });
    // Jump past retention while keeping the member alive with heartbeats every 500 ms.
    for (let t = 0; t < 120; t++) {
      h.clock.advance(500);
      h.c.classic.heartbeat({ groupId: G, generationId: 1, memberId: m, groupInstanceId: null });
    }
    expect(h.c.expireOffsets()).toBe(1);
    expect(fetched(h)).toEqual([['t', 0, 1, '']]);
  });
});

describe('__consumer_offsets persistence', () => {
  it('writes Kafka-format records to the group partition and reloads offsets and a Stable group', async () => {
    const h = harness({}, 3);
    const m = await stableMember(h, ['t']);
    expect(commit(h, [['t', 0, 42, 'md']], { memberId: m, gen: 1 })).toEqual([0]);

    const p = partitionForGroup(G, 3);
    const log = h.storage.partition(OFFSETS_TOPIC, p)!;
    const read = log.read(0, 1 << 20);
    const records = read.chunks.flatMap((c) => decodeRecordBatches(c)).flatMap((b) => b.records);
    const decoded = records.map((r) => decodeCoordinatorRecord(r.key!, r.value));
    expect(decoded.map((d) => d.kind)).toEqual(['group', 'offset']); // stored once Stable, then the commit
    expect(records[1]!.key!.readInt16BE(0)).toBe(1); // OffsetCommitKey v1
    expect(records[1]!.value!.readInt16BE(0)).toBe(3); // OffsetCommitValue v3
    expect(records[0]!.key!.readInt16BE(0)).toBe(2); // GroupMetadataKey v2
    expect(records[0]!.value!.readInt16BE(0)).toBe(3); // GroupMetadataValue v3

    const c2 = h.restart();
    expect(c2.fetchOffsets(G, null, false).topics).toEqual([
      { topic: 't', partitions: [{ partition: 0, offset: 42, leaderEpoch: 3, metadata: 'md', errorCode: 0 }] },
    ]);
    const g = c2.group(G) as ClassicGroup;
    expect(g.stateName()).toBe('Stable');
    expect(g.generationId).toBe(1);
    expect(g.leaderId).toBe(m);
    expect(g.members.get(m)!.assignment).toEqual(Buffer.from('A'));
    // The member carries on after the restart: heartbeat, sync, commit all work with its old identity.
    expect(c2.classic.heartbeat({ groupId: G, generationId: 1, memberId: m, groupInstanceId: null })).toBe(0);
    const s = track(c2.classic.sync({ groupId: G, generationId: 1, memberId: m, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] }));
    await flush();
    expect(s.value!.assignment).toEqual(Buffer.from('A'));
    // Rejoining after the restart is not a rebalance for a follower; a new member is.
    const j = track(c2.classic.join(joinRequest({ groupId: G, memberId: m, protocols: [{ name: 'range', metadata: subscription('t') }] })));
    await flush();
    expect(j.value!.generationId).toBe(2); // the leader rejoining starts a new generation (Kafka does too)
  });

  it('a record that does not decode is skipped on load; the records around it still count', () => {
    const h = harness({}, 1);
    commit(h, [['t', 0, 1]]);
    const log = h.storage.partition(OFFSETS_TOPIC, 0)!;
    const junk = encodeRecordBatch({ records: [{ key: Buffer.from([0, 1, 0xff, 0xff, 0xff]), value: Buffer.from([0, 3, 1]) }] });
    expect(log.append(junk, { origin: 'coordinator' }).ok).toBe(true);
    commit(h, [['t', 1, 2]]);
    expect(h.restart().fetchOffsets(G, null, false).topics).toEqual([
      {
        topic: 't',
        partitions: [
          { partition: 0, offset: 1, leaderEpoch: 3, metadata: '', errorCode: 0 },
          { partition: 1, offset: 2, leaderEpoch: 3, metadata: '', errorCode: 0 },
        ],
      },
    ]);
  });

  it('transactional offsets count on load only once committed (COMMIT marker), never when aborted', () => {
    const h = harness({}, 1);
    const log = h.storage.partition(OFFSETS_TOPIC, 0) ?? (commit(h, [['t', 9, 0]]), h.storage.partition(OFFSETS_TOPIC, 0)!);
    const txnBatch = (producerId: number, partition: number, offset: number) =>
      encodeRecordBatch({
        producerId,
        producerEpoch: 0,
        baseSequence: 0,
        isTransactional: true,
        records: [{ key: encodeOffsetKey(G, 't', partition), value: encodeOffsetValue({ offset, leaderEpoch: -1, metadata: '', commitTimestamp: 1, expireTimestamp: -1 }) }],
      });
    const marker = (producerId: number, commit: boolean) =>
      encodeEndTxnMarkerBatch({ baseOffset: 0, timestamp: 1, partitionLeaderEpoch: 0, producerId, producerEpoch: 0, commit, coordinatorEpoch: 0 });
    for (const b of [txnBatch(1, 0, 100), txnBatch(2, 1, 200), txnBatch(3, 2, 300), marker(1, true), marker(2, false)]) {
      expect(log.append(b, { origin: 'coordinator' }).ok).toBe(true);
    }
    const offsets = h.restart().fetchOffsets(G, [{ topic: 't', partitions: [0, 1, 2] }], false).topics[0]!.partitions.map((p) => p.offset);
    expect(offsets).toEqual([100, -1, -1]); // committed; aborted; still open (staged, not visible)
  });

  it('restored members that never come back expire after their session timeout', async () => {
    const h = harness();
    await stableMember(h, ['t']);
    const c2 = h.restart();
    h.clock.advance(1000);
    expect(c2.group(G)!.stateName()).toBe('Empty');
  });

  it('record formats: keys and values round-trip; the partition is Java hashCode-based as in Kafka', () => {
    const k = decodeCoordinatorRecord(encodeOffsetKey('g', 'topic', 7), encodeOffsetValue({ offset: 2 ** 40, leaderEpoch: 5, metadata: 'm', commitTimestamp: 1234, expireTimestamp: -1 }));
    expect(k).toEqual({ kind: 'offset', group: 'g', topic: 'topic', partition: 7, value: { offset: 2 ** 40, leaderEpoch: 5, metadata: 'm', commitTimestamp: 1234, expireTimestamp: -1 } });
    const withExpiry = encodeOffsetValue({ offset: 1, leaderEpoch: 5, metadata: '', commitTimestamp: 1, expireTimestamp: 99 });
    expect(withExpiry.readInt16BE(0)).toBe(1);
    expect(decodeCoordinatorRecord(encodeOffsetKey('g', 't', 0), withExpiry)).toMatchObject({ value: { expireTimestamp: 99, leaderEpoch: -1 } });
    expect(decodeCoordinatorRecord(encodeGroupKey('g'), null)).toEqual({ kind: 'group', group: 'g', value: undefined });
    // "hello".hashCode() = 99162322; a negative hash is masked as Kafka's Utils.abs does.
    expect(partitionForGroup('hello', 50)).toBe(99162322 % 50);
    expect(partitionForGroup('polygenelubricants', 50)).toBe((-2147483648 & 0x7fffffff) % 50);
  });
});
