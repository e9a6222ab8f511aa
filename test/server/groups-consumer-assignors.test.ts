/** KIP-848 server-side assignors: range (contiguous, co-partitioned) and uniform (balanced, sticky). */
import { describe, expect, it } from 'vitest';
import { assignmentSize, type Assignment } from '../../src/server/groups/consumer/assignment.js';
import { rangeAssignor, resolveAssignors, uniformAssignor, type AssignorMember } from '../../src/server/groups/consumer/assignors/index.js';

const member = (memberId: string, topics: string[], previous: Record<string, number[]> = {}, instanceId: string | null = null): AssignorMember => ({
  memberId,
  instanceId,
  topicIds: new Set(topics),
  previous: new Map(Object.entries(previous).map(([t, ps]) => [t, new Set(ps)])),
});

const plain = (result: Map<string, Assignment>): Record<string, Record<string, number[]>> => {
  const out: Record<string, Record<string, number[]>> = {};
  for (const [m, a] of result) {
    out[m] = {};
    for (const [t, ps] of a) out[m][t] = [...ps].sort((x, y) => x - y);
  }
  return out;
};

describe('range assignor', () => {
  it('gives each member one contiguous range per topic, the first members one more', () => {
    const r = rangeAssignor.assign({ members: [member('b', ['t']), member('a', ['t'])], partitions: () => 5 });
    expect(plain(r)).toEqual({ a: { t: [0, 1, 2] }, b: { t: [3, 4] } });
  });

  it('co-partitions topics with the same partition count; static members sort first', () => {
    const r = rangeAssignor.assign({
      members: [member('a', ['x', 'y']), member('z', ['x', 'y'], {}, 'i-1')],
      partitions: () => 4,
    });
    expect(plain(r)).toEqual({ z: { x: [0, 1], y: [0, 1] }, a: { x: [2, 3], y: [2, 3] } });
  });

  it('only subscribers of a topic share it; more members than partitions leaves some empty', () => {
    const r = rangeAssignor.assign({ members: [member('a', ['x']), member('b', ['x', 'y']), member('c', ['x'])], partitions: (t) => (t === 'x' ? 2 : 3) });
    expect(plain(r)).toEqual({ a: { x: [0] }, b: { x: [1], y: [0, 1, 2] }, c: {} });
  });
});

describe('uniform assignor', () => {
  it('splits 4 partitions 2 and 2', () => {
    const r = uniformAssignor.assign({ members: [member('a', ['t']), member('b', ['t'])], partitions: () => 4 });
    expect([...r.values()].map(assignmentSize)).toEqual([2, 2]);
    expect(plain(r)).toEqual({ a: { t: [0, 2] }, b: { t: [1, 3] } });
  });

  it('is sticky: a new member takes partitions from the others, nothing else moves', () => {
    const r = uniformAssignor.assign({
      members: [member('a', ['t'], { t: [0, 1, 2] }), member('b', ['t'], { t: [3, 4, 5] }), member('c', ['t'])],
      partitions: () => 6,
    });
    const p = plain(r);
    expect(p.a!.t!.length + p.b!.t!.length + p.c!.t!.length).toBe(6);
    expect(p.a!.t!.every((x) => [0, 1, 2].includes(x))).toBe(true);
    expect(p.b!.t!.every((x) => [3, 4, 5].includes(x))).toBe(true);
    expect([p.a!.t!.length, p.b!.t!.length, p.c!.t!.length]).toEqual([2, 2, 2]);
  });

  it('a leaving member’s partitions go to the rest; the rest keep theirs', () => {
    const r = uniformAssignor.assign({ members: [member('a', ['t'], { t: [0, 1] })], partitions: () => 4 });
    expect(plain(r)).toEqual({ a: { t: [0, 1, 2, 3] } });
  });

  it('random subscriptions: every partition exactly once, only to subscribers; equal subscriptions differ by at most one', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let round = 0; round < 200; round++) {
      const topics = ['t0', 't1', 't2'].slice(0, 1 + rnd(3));
      const counts = new Map(topics.map((t) => [t, rnd(9)]));
      const homogeneous = rnd(2) === 0;
      const members = Array.from({ length: 1 + rnd(5) }, (_, i) => {
        const subs = homogeneous ? topics : topics.filter(() => rnd(2) === 0);
        const previous: Record<string, number[]> = {};
        for (const t of subs) previous[t] = Array.from({ length: rnd(4) }, () => rnd(10));
        return member(`m${i}`, subs, previous);
      });
      const r = uniformAssignor.assign({ members, partitions: (t) => counts.get(t) ?? 0 });
      const seen = new Set<string>();
      for (const m of members) {
        for (const [t, ps] of r.get(m.memberId)!) {
          expect(m.topicIds.has(t)).toBe(true);
          for (const p of ps) {
            expect(p).toBeLessThan(counts.get(t)!);
            expect(seen.has(`${t}/${p}`)).toBe(false);
            seen.add(`${t}/${p}`);
          }
        }
      }
      const subscribed = new Set(members.flatMap((m) => [...m.topicIds]));
      expect(seen.size).toBe([...subscribed].reduce((n, t) => n + counts.get(t)!, 0));
      if (homogeneous) {
        const sizes = members.map((m) => assignmentSize(r.get(m.memberId)!));
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('group.consumer.assignors', () => {
  it('takes names and Kafka class names, in order; rejects unknown ones', () => {
    expect(resolveAssignors(['range', 'uniform']).map((a) => a.name)).toEqual(['range', 'uniform']);
    expect(resolveAssignors(['org.apache.kafka.coordinator.group.assignor.UniformAssignor']).map((a) => a.name)).toEqual(['uniform']);
    expect(() => resolveAssignors(['sticky'])).toThrow(/unknown assignor 'sticky'/);
  });
});
