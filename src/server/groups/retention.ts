/**
 * Kafka's offset retention (offsets.retention.minutes), as a pure decision over the groups and the
 * offsets store; the coordinator writes the tombstones and applies the result.
 *
 *   - An empty group's offsets expire the retention after the group became empty (after their own
 *     commit, for offsets-only groups that never had members).
 *   - A live consumer-protocol group keeps the offsets of topics its members subscribe to; the others
 *     expire the retention after their commit.
 *   - A per-commit expire time (OffsetCommit v1-v4 retention) wins over both.
 *   - An Empty classic group (or an empty KIP-848 consumer group) left without offsets is removed with them.
 */
import { ClassicGroup, type Group } from './group.js';
import type { OffsetStore } from './offsets.js';

export interface Expiry {
  readonly group: Group;
  readonly offsets: ReadonlyArray<{ readonly topic: string; readonly partition: number }>;
  /** The group goes too (an empty group with no offsets left). */
  readonly dropGroup: boolean;
}

export function findExpired(groups: Iterable<Group>, store: OffsetStore, now: number, retentionMs: number): Expiry[] {
  const out: Expiry[] = [];
  for (const group of groups) {
    if (group.isDead()) continue;
    const committed = store.of(group.groupId);
    const empty = group.isEmpty();
    let subscribed: ReadonlySet<string> | undefined;
    if (!empty) {
      subscribed = group.subscribedTopics();
      if (subscribed === undefined) continue; // not the consumer protocol: nothing is known to be unused
    }
    const emptySince = group.emptySince();
    const everHadMembers = group.protocolTypeName() !== '';
    const gone: Array<{ topic: string; partition: number }> = [];
    let total = 0;
    for (const [topic, parts] of committed ?? []) {
      total += parts.size;
      if (subscribed?.has(topic)) continue;
      for (const [partition, o] of parts) {
        const base = empty && everHadMembers && emptySince >= 0 ? emptySince : o.commitTimestamp;
        const expiresAt = o.expireTimestamp >= 0 ? o.expireTimestamp : base + retentionMs;
        if (now >= expiresAt) gone.push({ topic, partition });
      }
    }
    // KIP-848 groups say how to delete themselves (deletionRecords); Kafka removes them the same way.
    const removable = group instanceof ClassicGroup ? group.is('Empty') : empty && group.deletionRecords !== undefined;
    const dropGroup = removable && gone.length === total;
    if (gone.length > 0 || dropGroup) out.push({ group, offsets: gone, dropGroup });
  }
  return out;
}
