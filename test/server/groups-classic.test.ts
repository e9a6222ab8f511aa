/**
 * The classic group state machine on a fake clock: KIP-394 member ids, joins and rebalances,
 * protocol selection, SyncGroup, heartbeats, session and rebalance timeouts, LeaveGroup, static
 * membership (KIP-345), the initial rebalance delay and group.max.size.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol/errors.js';
import type { ClassicGroup } from '../../src/server/groups/group.js';
import { flush, harness, joinMember, joinRequest, subscription, syncAs, track } from './groups-harness.js';

const G = 'g1';
const A1 = Buffer.from('assignment-1');
const A2 = Buffer.from('assignment-2');

function state(h: ReturnType<typeof harness>, groupId = G): string {
  return h.c.group(groupId)?.stateName() ?? 'none';
}

function hb(h: ReturnType<typeof harness>, memberId: string, generationId: number, groupInstanceId: string | null = null): number {
  return h.c.classic.heartbeat({ groupId: G, generationId, memberId, groupInstanceId });
}

/** One member joined, synced, Stable at generation 1. */
async function stableOne(h: ReturnType<typeof harness>) {
  const j = await joinMember(h.c, { groupId: G });
  const r = j.value!;
  const s = syncAs(h.c, G, r.memberId, r.generationId, [{ memberId: r.memberId, assignment: A1 }]);
  await flush();
  return { memberId: r.memberId, join: r, sync: s.value! };
}

describe('classic groups: join and sync', () => {
  it('KIP-394: a new member first gets MEMBER_ID_REQUIRED with its id, then joins as leader of generation 1', async () => {
    const h = harness();
    const first = await h.c.classic.join(joinRequest({ groupId: G, clientId: 'app' }));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^app-[0-9a-f-]{36}$/);
    expect(state(h)).toBe('Empty');

    const j = track(h.c.classic.join(joinRequest({ groupId: G, memberId: first.memberId })));
    await flush();
    expect(j.value).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range', leader: first.memberId, memberId: first.memberId });
    expect(j.value!.members.map((m) => m.memberId)).toEqual([first.memberId]);
    expect(state(h)).toBe('CompletingRebalance');

    const s = syncAs(h.c, G, first.memberId, 1, [{ memberId: first.memberId, assignment: A1 }]);
    await flush();
    expect(s.value).toMatchObject({ errorCode: 0, assignment: A1 });
    expect(state(h)).toBe('Stable');
    expect(hb(h, first.memberId, 1)).toBe(ErrorCode.NONE);
  });

  it('rejects bad joins with Kafka error codes', async () => {
    const h = harness();
    expect((await h.c.classic.join(joinRequest({ groupId: '' }))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await h.c.classic.join(joinRequest({ groupId: G, sessionTimeoutMs: 10 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await h.c.classic.join(joinRequest({ groupId: G, protocols: [] }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await h.c.classic.join(joinRequest({ groupId: G, memberId: 'nobody' }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    await stableOne(h);
    const other = joinRequest({ groupId: G, protocolType: 'connect' });
    expect((await h.c.classic.join(other)).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const noCommon = joinRequest({ groupId: G, protocols: [{ name: 'sticky', metadata: Buffer.alloc(0) }] });
    expect((await h.c.classic.join(noCommon)).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('a second member triggers a rebalance: the first learns it from its heartbeat, both get generation 2', async () => {
    const h = harness();
    const a = await stableOne(h);
    const b = await joinMember(h.c, { groupId: G, clientId: 'b' });
    expect(b.value).toBeUndefined(); // waits for the first member to rejoin
    expect(state(h)).toBe('PreparingRebalance');
    expect(hb(h, a.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);

    const aj = track(h.c.classic.join(joinRequest({ groupId: G, memberId: a.memberId })));
    await flush();
    expect(aj.value!.generationId).toBe(2);
    expect(b.value!.generationId).toBe(2);
    expect(aj.value!.leader).toBe(a.memberId);
    expect(aj.value!.members).toHaveLength(2);
    expect(b.value!.members).toHaveLength(0);

    // The follower's SyncGroup waits for the leader's.
    const bs = syncAs(h.c, G, b.value!.memberId, 2);
    await flush();
    expect(bs.value).toBeUndefined();
    const as = syncAs(h.c, G, a.memberId, 2, [
      { memberId: a.memberId, assignment: A1 },
      { memberId: b.value!.memberId, assignment: A2 },
    ]);
    await flush();
    expect(as.value!.assignment).toEqual(A1);
    expect(bs.value!.assignment).toEqual(A2);
    expect(state(h)).toBe('Stable');
    expect(hb(h, a.memberId, 1)).toBe(ErrorCode.ILLEGAL_GENERATION);
  });

  it('selects the protocol every member supports, by vote', async () => {
    const h = harness();
    const p = (name: string) => ({ name, metadata: subscription('t') });
    const a = await joinMember(h.c, { groupId: G, protocols: [p('range'), p('roundrobin')] });
    expect(a.value!.protocolName).toBe('range');
    syncAs(h.c, G, a.value!.memberId, 1);
    await flush();
    const b = await joinMember(h.c, { groupId: G, protocols: [p('roundrobin'), p('range')] });
    const c = await joinMember(h.c, { groupId: G, protocols: [p('roundrobin')] });
    const ar = track(h.c.classic.join(joinRequest({ groupId: G, memberId: a.value!.memberId, protocols: [p('range'), p('roundrobin')] })));
    await flush();
    for (const r of [ar, b, c]) expect(r.value).toMatchObject({ errorCode: 0, generationId: 2, protocolName: 'roundrobin' });
  });

  it('a member without heartbeats is removed after its session timeout and the group rebalances', async () => {
    const h = harness();
    const a = await stableOne(h);
    const b = await joinMember(h.c, { groupId: G, sessionTimeoutMs: 500 });
    const aj = track(h.c.classic.join(joinRequest({ groupId: G, memberId: a.memberId })));
    await flush();
    const gen = aj.value!.generationId;
    syncAs(h.c, G, a.memberId, gen, []);
    syncAs(h.c, G, b.value!.memberId, gen);
    await flush();
    expect(state(h)).toBe('Stable');
    // a heartbeats, b does not.
    for (let t = 0; t < 4; t++) {
      h.clock.advance(100);
      expect(hb(h, a.memberId, gen)).toBe(ErrorCode.NONE);
    }
    expect(state(h)).toBe('Stable');
    h.clock.advance(100); // b's 500 ms are up
    expect(state(h)).toBe('PreparingRebalance');
    expect(hb(h, b.value!.memberId, gen)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(hb(h, a.memberId, gen)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const again = track(h.c.classic.join(joinRequest({ groupId: G, memberId: a.memberId })));
    await flush();
    expect(again.value).toMatchObject({ errorCode: 0, generationId: gen + 1 });
    expect(again.value!.members).toHaveLength(1);
  });

  it('a member that does not rejoin within the rebalance timeout is dropped; the rest complete then', async () => {
    const h = harness();
    const a = await stableOne(h); // session 1000 ms
    const b = await joinMember(h.c, { groupId: G, rebalanceTimeoutMs: 3000, sessionTimeoutMs: 10_000 });
    const aj = track(h.c.classic.join(joinRequest({ groupId: G, memberId: a.memberId, rebalanceTimeoutMs: 3000, sessionTimeoutMs: 10_000 })));
    await flush();
    const gen = aj.value!.generationId;
    syncAs(h.c, G, a.memberId, gen, []);
    await flush();
    // A third member joins; b rejoins, a never does (it keeps heartbeating, though).
    const c = await joinMember(h.c, { groupId: G, rebalanceTimeoutMs: 3000, sessionTimeoutMs: 10_000 });
    const bj = track(h.c.classic.join(joinRequest({ groupId: G, memberId: b.value!.memberId, rebalanceTimeoutMs: 3000, sessionTimeoutMs: 10_000 })));
    for (let t = 0; t < 29; t++) {
      h.clock.advance(100);
      hb(h, a.memberId, gen); // alive, but never rejoins
    }
    await flush();
    expect(c.value).toBeUndefined();
    h.clock.advance(100);
    await flush();
    expect(bj.value).toMatchObject({ errorCode: 0, generationId: gen + 1 });
    expect(c.value).toMatchObject({ errorCode: 0, generationId: gen + 1 });
    expect(hb(h, a.memberId, gen)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('LeaveGroup: the others rebalance at once; the last member leaving empties the group', async () => {
    const h = harness();
    const a = await stableOne(h);
    const b = await joinMember(h.c, { groupId: G });
    const aj = track(h.c.classic.join(joinRequest({ groupId: G, memberId: a.memberId })));
    await flush();
    const gen = aj.value!.generationId;
    syncAs(h.c, G, a.memberId, gen, []);
    syncAs(h.c, G, b.value!.memberId, gen);
    await flush();

    const left = h.c.classic.leave(G, [{ memberId: b.value!.memberId, groupInstanceId: null }, { memberId: 'ghost', groupInstanceId: null }], 'bye');
    expect(left.members.map((m) => m.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(state(h)).toBe('PreparingRebalance');
    const again = track(h.c.classic.join(joinRequest({ groupId: G, memberId: a.memberId })));
    await flush();
    expect(again.value).toMatchObject({ errorCode: 0, generationId: gen + 1 }); // no waiting for anyone
    h.c.classic.leave(G, [{ memberId: a.memberId, groupInstanceId: null }], null);
    expect(state(h)).toBe('Empty');
    expect((h.c.group(G) as ClassicGroup).generationId).toBe(gen + 2);
  });

  it('a member leaving during the join phase gets UNKNOWN_MEMBER_ID for its pending join', async () => {
    const h = harness();
    const a = await stableOne(h);
    const b = await joinMember(h.c, { groupId: G });
    expect(b.value).toBeUndefined(); // waiting for a to rejoin
    const bId = [...(h.c.group(G) as ClassicGroup).members.keys()].find((id) => id !== a.memberId)!;
    h.c.classic.leave(G, [{ memberId: bId, groupInstanceId: null }], null);
    await flush();
    expect(b.value).toMatchObject({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
    expect([...(h.c.group(G) as ClassicGroup).members.keys()]).toEqual([a.memberId]);
  });

  it('a pending (MEMBER_ID_REQUIRED) member id expires after the session timeout', async () => {
    const h = harness();
    const first = await h.c.classic.join(joinRequest({ groupId: G, sessionTimeoutMs: 300 }));
    expect((h.c.group(G) as ClassicGroup).pendingMembers.size).toBe(1);
    h.clock.advance(300);
    expect((h.c.group(G) as ClassicGroup).pendingMembers.size).toBe(0);
    expect((await h.c.classic.join(joinRequest({ groupId: G, memberId: first.memberId }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('group.max.size: a member beyond the limit gets GROUP_MAX_SIZE_REACHED', async () => {
    const h = harness({ maxSize: 1 });
    await stableOne(h);
    expect((await h.c.classic.join(joinRequest({ groupId: G }))).errorCode).toBe(ErrorCode.GROUP_MAX_SIZE_REACHED);
  });

  it('group.initial.rebalance.delay.ms: the first rebalance waits for more members, extended as they come', async () => {
    const h = harness({ initialRebalanceDelayMs: 100 });
    const a = await joinMember(h.c, { groupId: G, rebalanceTimeoutMs: 1000 });
    h.clock.advance(90);
    const b = await joinMember(h.c, { groupId: G, rebalanceTimeoutMs: 1000 });
    h.clock.advance(10); // first delay over, but a member came: wait another delay
    await flush();
    expect(a.value).toBeUndefined();
    h.clock.advance(100);
    await flush();
    expect(a.value).toMatchObject({ errorCode: 0, generationId: 1 });
    expect(b.value).toMatchObject({ errorCode: 0, generationId: 1 });
  });

  it('with the default delay 0 a lone member completes its join immediately', async () => {
    const h = harness();
    const a = await joinMember(h.c, { groupId: G });
    expect(a.value).toMatchObject({ errorCode: 0, generationId: 1 });
  });
});

describe('classic groups: static membership (KIP-345)', () => {
  async function stableStaticPair(h: ReturnType<typeof harness>, sessionTimeoutMs = 1000) {
    const a = await joinMember(h.c, { groupId: G, groupInstanceId: 'instance-a', sessionTimeoutMs });
    syncAs(h.c, G, a.value!.memberId, 1, [{ memberId: a.value!.memberId, assignment: A1 }]);
    await flush();
    const b = await joinMember(h.c, { groupId: G, groupInstanceId: 'instance-b', sessionTimeoutMs });
    const aj = track(h.c.classic.join(joinRequest({ groupId: G, memberId: a.value!.memberId, groupInstanceId: 'instance-a', sessionTimeoutMs })));
    await flush();
    const gen = aj.value!.generationId;
    syncAs(h.c, G, a.value!.memberId, gen, [
      { memberId: a.value!.memberId, assignment: A1 },
      { memberId: b.value!.memberId, assignment: A2 },
    ]);
    syncAs(h.c, G, b.value!.memberId, gen);
    await flush();
    return { a: a.value!.memberId, b: b.value!.memberId, gen };
  }

  it('a static member joins without the MEMBER_ID_REQUIRED round', async () => {
    const h = harness();
    const r = await h.c.classic.join(joinRequest({ groupId: G, groupInstanceId: 'i1' }));
    expect(r).toMatchObject({ errorCode: 0, generationId: 1 });
  });

  it('a restarted static member takes its place back with no rebalance; its old id is fenced', async () => {
    const h = harness();
    const { a, b, gen } = await stableStaticPair(h);
    expect(state(h)).toBe('Stable');
    const rejoin = await h.c.classic.join(joinRequest({ groupId: G, groupInstanceId: 'instance-b' }));
    expect(rejoin.errorCode).toBe(0);
    expect(rejoin.generationId).toBe(gen);
    expect(rejoin.memberId).not.toBe(b);
    expect(rejoin.leader).toBe(a); // not itself: it must not compute an assignment
    expect(state(h)).toBe('Stable');
    expect(hb(h, a, gen)).toBe(ErrorCode.NONE); // the other member sees no rebalance
    const s = syncAs(h.c, G, rejoin.memberId, gen);
    await flush();
    expect(s.value).toMatchObject({ errorCode: 0, assignment: A2 });
    expect(hb(h, b, gen, 'instance-b')).toBe(ErrorCode.FENCED_INSTANCE_ID);
    const commit = h.c.commitOffsets({
      groupId: G,
      memberId: b,
      groupInstanceId: 'instance-b',
      generationIdOrMemberEpoch: gen,
      apiVersion: 7,
      retentionTimeMs: -1,
      partitions: [{ topic: 't', partition: 0, offset: 1, leaderEpoch: -1, metadata: null }],
    });
    expect(commit).toEqual([ErrorCode.FENCED_INSTANCE_ID]);
  });

  it('a restarted static leader keeps the group Stable and gets the old leader id back', async () => {
    const h = harness();
    const { a, gen } = await stableStaticPair(h);
    const rejoin = await h.c.classic.join(joinRequest({ groupId: G, groupInstanceId: 'instance-a' }));
    expect(rejoin).toMatchObject({ errorCode: 0, generationId: gen, leader: a, members: [] });
    expect(state(h)).toBe('Stable');
    expect((h.c.group(G) as ClassicGroup).leaderId).toBe(rejoin.memberId);
  });

  it('a restarted static member whose protocol stays selected causes no rebalance even with new metadata (as Kafka)', async () => {
    const h = harness();
    await stableStaticPair(h);
    const r = await h.c.classic.join(joinRequest({ groupId: G, groupInstanceId: 'instance-b', protocols: [{ name: 'range', metadata: subscription('t', 'u') }] }));
    expect(r.errorCode).toBe(0);
    expect(state(h)).toBe('Stable');
  });

  it('static members that miss a rebalance keep their place (and assignment) until their session expires', async () => {
    const h = harness();
    const { a, b, gen } = await stableStaticPair(h, 10_000);
    await joinMember(h.c, { groupId: G }); // a dynamic member arrives
    const aj = track(h.c.classic.join(joinRequest({ groupId: G, memberId: a, groupInstanceId: 'instance-a', sessionTimeoutMs: 10_000 })));
    h.clock.advance(2000); // rebalance timeout: b never rejoined
    await flush();
    expect(aj.value).toMatchObject({ errorCode: 0, generationId: gen + 1 });
    expect(aj.value!.members.map((m) => m.memberId)).toContain(b);
  });

  it('LeaveGroup by instance id alone removes the static member (admin removeMembersFromConsumerGroup)', async () => {
    const h = harness();
    const { b } = await stableStaticPair(h);
    const r = h.c.classic.leave(G, [{ memberId: '', groupInstanceId: 'instance-b' }, { memberId: 'wrong', groupInstanceId: 'instance-a' }], null);
    expect(r.members.map((m) => m.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.FENCED_INSTANCE_ID]);
    expect((h.c.group(G) as ClassicGroup).members.has(b)).toBe(false);
  });
});

describe('classic groups: offset commit checks', () => {
  const part = [{ topic: 't', partition: 0, offset: 5, leaderEpoch: -1, metadata: 'm' }];
  const commit = (h: ReturnType<typeof harness>, memberId: string, gen: number, apiVersion = 8) =>
    h.c.commitOffsets({ groupId: G, memberId, groupInstanceId: null, generationIdOrMemberEpoch: gen, apiVersion, retentionTimeMs: -1, partitions: part });

  it('answers ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID and REBALANCE_IN_PROGRESS like Kafka', async () => {
    const h = harness();
    expect(commit(h, 'm', 3)).toEqual([ErrorCode.ILLEGAL_GENERATION]); // no such group
    expect(commit(h, 'm', 3, 9)).toEqual([ErrorCode.GROUP_ID_NOT_FOUND]);
    h.c.deleteGroup(G);
    const a = await stableOne(h);
    expect(commit(h, a.memberId, 1)).toEqual([ErrorCode.NONE]);
    expect(commit(h, a.memberId, 0)).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(commit(h, 'stranger', 1)).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(commit(h, '', -1)).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]); // a simple commit on a live group
    // PreparingRebalance: members may still commit their generation's progress.
    const b = await joinMember(h.c, { groupId: G });
    expect(commit(h, a.memberId, 1)).toEqual([ErrorCode.NONE]);
    track(h.c.classic.join(joinRequest({ groupId: G, memberId: a.memberId })));
    await flush();
    expect(state(h)).toBe('CompletingRebalance');
    expect(commit(h, b.value!.memberId, 2)).toEqual([ErrorCode.REBALANCE_IN_PROGRESS]);
    // Member and generation are checked first (as Kafka): a stranger is unknown, not "rebalancing".
    expect(commit(h, 'stranger', 2)).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(commit(h, b.value!.memberId, 1)).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    // TxnOffsetCommit without member fields is accepted in any state; with them, not held back by the sync.
    const txn = (memberId: string, gen: number) =>
      h.c.commitOffsets({ groupId: G, memberId, groupInstanceId: null, generationIdOrMemberEpoch: gen, apiVersion: 3, retentionTimeMs: -1, transactional: true, partitions: part });
    expect(txn('', -1)).toEqual([ErrorCode.NONE]);
    expect(txn(b.value!.memberId, 2)).toEqual([ErrorCode.NONE]);
  });

  it('a simple (generation -1) commit creates an offsets-only Empty group', () => {
    const h = harness();
    expect(commit(h, '', -1)).toEqual([ErrorCode.NONE]);
    expect(state(h)).toBe('Empty');
    expect(h.c.listGroups([], [])).toEqual([{ groupId: G, protocolType: '', groupState: 'Empty', groupType: 'classic' }]);
  });
});
