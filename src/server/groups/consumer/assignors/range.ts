/**
 * The `range` assignor (Kafka's RangeAssignor for consumer groups): topic by topic, the members that
 * subscribe to the topic, in Kafka's member order, each get one contiguous range of its partitions;
 * the first `partitions % members` members get one partition more. Members subscribed to the same
 * topics therefore get the same partition numbers of every topic (co-partitioning for joins).
 */
import { addPartition, type Assignment } from '../assignment.js';
import { cmp, sortMembers, type Assignor, type AssignorInput } from './assignor.js';

export const rangeAssignor: Assignor = {
  name: 'range',
  assign(input: AssignorInput): Map<string, Assignment> {
    const members = sortMembers(input.members);
    const out = new Map<string, Assignment>(members.map((m) => [m.memberId, new Map()]));
    const topics = new Set<string>();
    for (const m of members) for (const t of m.topicIds) topics.add(t);
    for (const topicId of [...topics].sort(cmp)) {
      const count = input.partitions(topicId);
      if (count <= 0) continue;
      const subscribers = members.filter((m) => m.topicIds.has(topicId));
      const quota = Math.floor(count / subscribers.length);
      const extra = count % subscribers.length;
      let next = 0;
      subscribers.forEach((m, i) => {
        const n = quota + (i < extra ? 1 : 0);
        const a = out.get(m.memberId)!;
        for (let p = next; p < next + n; p++) addPartition(a, topicId, p);
        next += n;
      });
    }
    return out;
  },
};
