/**
 * Randomised runs of a KIP-848 group on a fake clock with simulated clients that join, heartbeat, lag
 * behind on revocations, leave and crash, while topics grow. At every step no partition is owned by two
 * live clients (revocation before assignment); at the end, once everyone heartbeats, the group is
 * Stable, every partition is owned exactly once, and each client owns what the broker assigned it.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol/errors.js';
import type { HeartbeatResult } from '../../src/server/groups/consumer/protocol.js';
import { consumerHarness, type ConsumerHarness } from './groups-consumer-harness.js';

interface Client {
  readonly memberId: string;
  epoch: number;
  /** What the client consumes: topic id → partitions. */
  owned: Map<string, Set<number>>;
  /** Revocation received but not applied yet (a slow consumer finishing its batch). */
  lagging: Map<string, Set<number>> | undefined;
}

const wire = (a: Map<string, Set<number>>) => [...a].map(([topicId, ps]) => ({ topicId, partitions: [...ps] }));

function apply(c: Client, r: HeartbeatResult, lag: boolean): void {
  if (r.errorCode === ErrorCode.FENCED_MEMBER_EPOCH || r.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) {
    c.owned = new Map();
    c.lagging = undefined;
    c.epoch = 0;
    return;
  }
  expect(r.errorCode).toBe(0);
  c.epoch = r.memberEpoch;
  if (r.assignment === null) {
    if (c.lagging !== undefined && !lag) {
      c.owned = c.lagging;
      c.lagging = undefined;
    }
    return;
  }
  const next = new Map(r.assignment.topicPartitions.map((t) => [t.topicId, new Set(t.partitions)]));
  let revokes = false;
  for (const [t, ps] of c.owned) for (const p of ps) if (!next.get(t)?.has(p)) revokes = true;
  if (revokes && lag) {
    // Keep consuming the old set (minus nothing) for one more heartbeat; take no new partitions yet.
    c.lagging = next;
    return;
  }
  c.owned = next;
  c.lagging = undefined;
}

function heartbeat(h: ConsumerHarness, c: Client, lag: boolean): void {
  const r = h.hb({ memberId: c.memberId, memberEpoch: c.epoch, subscribedTopicNames: ['s1', 's2'], topicPartitions: c.epoch === 0 ? [] : wire(c.owned) });
  apply(c, r, lag);
}

function assertDisjoint(clients: Iterable<Client>): void {
  const seen = new Map<string, string>();
  for (const c of clients) {
    for (const [t, ps] of c.owned) {
      for (const p of ps) {
        const key = `${t}/${p}`;
        expect(seen.get(key), `partition ${key} owned by ${seen.get(key)} and ${c.memberId}`).toBeUndefined();
        seen.set(key, c.memberId);
      }
    }
  }
}

describe('randomised consumer group', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: never two owners; converges to a full, balanced assignment', (seed) => {
    let state = seed * 7919;
    const rnd = (n: number): number => ((state = (state * 1103515245 + 12345) & 0x7fffffff) % n);
    const h = consumerHarness({ sessionTimeoutMs: 10_000 });
    h.topics.create('s1', 1 + rnd(6));
    const live = new Map<string, Client>();
    let next = 0;
    for (let step = 0; step < 400; step++) {
      const action = rnd(100);
      const clients = [...live.values()];
      if (action < 10 || clients.length === 0) {
        const c: Client = { memberId: `m${next++}`, epoch: 0, owned: new Map(), lagging: undefined };
        live.set(c.memberId, c);
        heartbeat(h, c, false);
      } else if (action < 14) {
        const c = clients[rnd(clients.length)]!;
        h.hb({ memberId: c.memberId, memberEpoch: -1 });
        live.delete(c.memberId);
      } else if (action < 17) {
        // Crash: the client stops consuming at once; the broker notices at the session timeout.
        live.delete(clients[rnd(clients.length)]!.memberId);
      } else if (action < 19 && h.topics.byName('s2') === undefined) {
        h.topics.create('s2', 1 + rnd(4));
      } else if (action < 25) {
        // Time passes; live clients heartbeat within their session.
        for (const c of live.values()) heartbeat(h, c, false);
        h.clock.advance(4_000);
      } else {
        heartbeat(h, clients[rnd(clients.length)]!, rnd(3) === 0);
      }
      assertDisjoint(live.values());
    }
    // Everyone heartbeats (applying revocations promptly) until the group settles.
    h.clock.advance(11_000); // crashed members are fenced (live ones rejoin if they were too)
    for (let round = 0; round < 10; round++) for (const c of live.values()) heartbeat(h, c, false);
    assertDisjoint(live.values());
    const group = h.p.consumerGroup('g')!;
    expect(group.stateName()).toBe(live.size === 0 ? 'Empty' : 'Stable');
    if (live.size === 0) return;
    const total = [...h.topics.topics.values()].filter((t) => t.name === 's1' || t.name === 's2').reduce((n, t) => n + t.partitions, 0);
    const owned = [...live.values()].map((c) => [...c.owned.values()].reduce((n, ps) => n + ps.size, 0));
    expect(owned.reduce((a, b) => a + b, 0)).toBe(total);
    expect(Math.max(...owned) - Math.min(...owned)).toBeLessThanOrEqual(1);
    for (const c of live.values()) {
      const m = group.members.get(c.memberId)!;
      expect(wire(c.owned).sort((a, b) => (a.topicId < b.topicId ? -1 : 1))).toEqual(
        wire(m.assigned).sort((a, b) => (a.topicId < b.topicId ? -1 : 1)).map((t) => ({ ...t, partitions: [...t.partitions] })),
      );
    }
  });
});
