/**
 * The `uniform` assignor (Kafka's default for consumer groups): spreads the partitions of the
 * subscribed topics evenly over the members that subscribe to them, and is sticky — a partition stays
 * with its previous owner unless balance needs it elsewhere, so a rebalance moves as few partitions as
 * possible (each moved partition costs a revocation round trip).
 *
 * Steps: (1) every member keeps the partitions of its previous target that it still subscribes to
 * (first claim wins), up to its fair share; (2) each unowned partition goes to the subscribed member with the fewest
 * partitions; (3) while some member owns two or more partitions more than another member subscribed to
 * one of them, that partition moves. For members with identical subscriptions this ends with counts
 * that differ by at most one.
 */
import { addPartition, removePartition, type Assignment } from '../assignment.js';
import { cmp, sortMembers, type Assignor, type AssignorInput } from './assignor.js';

interface Slot {
  readonly memberId: string;
  readonly topicIds: ReadonlySet<string>;
  readonly assignment: Assignment;
  count: number;
}

export const uniformAssignor: Assignor = {
  name: 'uniform',
  assign(input: AssignorInput): Map<string, Assignment> {
    const slots: Slot[] = sortMembers(input.members).map((m) => ({ memberId: m.memberId, topicIds: m.topicIds, assignment: new Map(), count: 0 }));
    const topics = new Set<string>();
    for (const m of input.members) for (const t of m.topicIds) topics.add(t);
    const sortedTopics = [...topics].sort(cmp);
    const counts = new Map(sortedTopics.map((t) => [t, Math.max(0, input.partitions(t))]));
    const owner = new Map<string, Slot>(); // "topic\0partition" → slot
    const key = (t: string, p: number): string => `${t}\0${p}`;
    const give = (s: Slot, t: string, p: number): void => {
      addPartition(s.assignment, t, p);
      s.count++;
      owner.set(key(t, p), s);
    };
    const take = (s: Slot, t: string, p: number): void => {
      removePartition(s.assignment, t, p);
      s.count--;
      owner.delete(key(t, p));
    };

    // (1) stickiness, up to a fair share: ceil(partitions the member could own / members competing for
    // them) — exact for equal subscriptions, so step (3) only has a few moves left to make.
    const subscribers = new Map<string, number>();
    for (const m of input.members) for (const t of m.topicIds) subscribers.set(t, (subscribers.get(t) ?? 0) + 1);
    const byId = new Map(input.members.map((m) => [m.memberId, m]));
    for (const s of slots) {
      let eligible = 0;
      let competitors = 1;
      for (const t of s.topicIds) {
        eligible += counts.get(t) ?? 0;
        competitors = Math.max(competitors, subscribers.get(t) ?? 1);
      }
      const cap = Math.ceil(eligible / competitors);
      const prev = byId.get(s.memberId)!.previous;
      keep: for (const t of [...prev.keys()].sort(cmp)) {
        if (!s.topicIds.has(t)) continue;
        const n = counts.get(t) ?? 0;
        for (const p of [...prev.get(t)!].sort((a, b) => a - b)) {
          if (s.count >= cap) break keep;
          if (p < n && !owner.has(key(t, p))) give(s, t, p);
        }
      }
    }
    // (2) unowned partitions to the least loaded subscriber
    for (const t of sortedTopics) {
      const subscribers = slots.filter((s) => s.topicIds.has(t));
      for (let p = 0; p < counts.get(t)!; p++) {
        if (owner.has(key(t, p))) continue;
        let best = subscribers[0]!;
        for (const s of subscribers) if (s.count < best.count) best = s;
        give(best, t, p);
      }
    }
    // (3) balance: move from the most loaded members to less loaded subscribers
    for (let moved = true, rounds = 0; moved && rounds < 10_000; rounds++) {
      moved = false;
      const byLoad = [...slots].sort((a, b) => b.count - a.count || cmp(a.memberId, b.memberId));
      outer: for (const from of byLoad) {
        for (const t of [...from.assignment.keys()].sort(cmp)) {
          const candidates = slots.filter((s) => s !== from && s.topicIds.has(t) && s.count + 1 < from.count);
          if (candidates.length === 0) continue;
          let to = candidates[0]!;
          for (const s of candidates) if (s.count < to.count) to = s;
          let p = -1;
          for (const q of from.assignment.get(t)!) if (q > p) p = q;
          take(from, t, p);
          give(to, t, p);
          moved = true;
          break outer;
        }
      }
    }
    return new Map(slots.map((s) => [s.memberId, s.assignment]));
  },
};
