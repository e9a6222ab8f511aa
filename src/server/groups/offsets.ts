/**
 * Committed offsets of every group (classic and KIP-848 consumer groups share this store), in memory;
 * `__consumer_offsets` (./persistence.ts) is their durable copy and rebuilds this store on start.
 *
 * Also holds transactional offsets that are staged but not yet committed (TxnOffsetCommit before its
 * EndTxn): OffsetFetch with require_stable answers UNSTABLE_OFFSET_COMMIT for those partitions, as Kafka.
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { OffsetRecordValue } from './records.js';

export type CommittedOffset = OffsetRecordValue;

export interface FetchedPartition {
  readonly partition: number;
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
  readonly errorCode: number;
}

export interface FetchedOffsets {
  readonly errorCode: number;
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly FetchedPartition[] }>;
}

/** Kafka's "no offset" answer in OffsetFetch. */
const NO_OFFSET = -1;

type PartitionMap = Map<number, CommittedOffset>;
/** topic → partition → offset */
export type GroupOffsets = Map<string, PartitionMap>;

export class OffsetStore {
  private readonly groups = new Map<string, GroupOffsets>();
  /** group → producer id → "topic\0partition" → staged offset */
  private readonly pending = new Map<string, Map<number, Map<string, { topic: string; partition: number; value: CommittedOffset }>>>();

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(group)?.get(topic)?.get(partition);
  }

  set(group: string, topic: string, partition: number, value: CommittedOffset): void {
    let g = this.groups.get(group);
    if (g === undefined) this.groups.set(group, (g = new Map()));
    let t = g.get(topic);
    if (t === undefined) g.set(topic, (t = new Map()));
    t.set(partition, value);
  }

  /** Removes one offset; true if there was one. */
  delete(group: string, topic: string, partition: number): boolean {
    const g = this.groups.get(group);
    const t = g?.get(topic);
    if (t === undefined || !t.delete(partition)) return false;
    if (t.size === 0) g!.delete(topic);
    if (g!.size === 0) this.groups.delete(group);
    return true;
  }

  /** Every offset of a group (live view; do not mutate). */
  of(group: string): GroupOffsets | undefined {
    return this.groups.get(group);
  }

  has(group: string): boolean {
    return this.groups.has(group);
  }

  /** Removes a group's offsets and returns what was removed. */
  deleteGroup(group: string): Array<{ topic: string; partition: number }> {
    const g = this.groups.get(group);
    const out: Array<{ topic: string; partition: number }> = [];
    if (g !== undefined) for (const [topic, parts] of g) for (const partition of parts.keys()) out.push({ topic, partition });
    this.groups.delete(group);
    this.pending.delete(group);
    return out;
  }

  groupIds(): IterableIterator<string> {
    return this.groups.keys();
  }

  /** Stages a transactional offset for `producerId` (visible to OffsetFetch only once committed). */
  stagePending(group: string, producerId: number, topic: string, partition: number, value: CommittedOffset): void {
    let g = this.pending.get(group);
    if (g === undefined) this.pending.set(group, (g = new Map()));
    let p = g.get(producerId);
    if (p === undefined) g.set(producerId, (p = new Map()));
    p.set(`${topic}\0${partition}`, { topic, partition, value });
  }

  /** Ends a producer's staged offsets in `group`; returns them (the caller applies them on commit). */
  takePending(group: string, producerId: number): Array<{ topic: string; partition: number; value: CommittedOffset }> {
    const g = this.pending.get(group);
    const p = g?.get(producerId);
    if (p === undefined) return [];
    g!.delete(producerId);
    if (g!.size === 0) this.pending.delete(group);
    return [...p.values()];
  }

  /** Ends a producer's staged offsets in every group (a transaction marker); returns them. */
  takePendingOfProducer(producerId: number): Array<{ group: string; topic: string; partition: number; value: CommittedOffset }> {
    const out: Array<{ group: string; topic: string; partition: number; value: CommittedOffset }> = [];
    for (const group of [...this.pending.keys()]) {
      for (const s of this.takePending(group, producerId)) out.push({ group, ...s });
    }
    return out;
  }

  /** Whether a transaction has an uncommitted offset for this partition (require_stable). */
  hasPending(group: string, topic: string, partition: number): boolean {
    const g = this.pending.get(group);
    if (g === undefined) return false;
    const key = `${topic}\0${partition}`;
    for (const p of g.values()) if (p.has(key)) return true;
    return false;
  }

  /**
   * OffsetFetch answer for one group. `topics` null = every committed offset. A partition without a
   * committed offset answers offset -1 and no error, as Kafka does; with `requireStable`, a partition
   * with a pending transactional offset answers UNSTABLE_OFFSET_COMMIT.
   */
  fetch(
    groupId: string,
    topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }> | null,
    requireStable: boolean,
  ): FetchedOffsets {
    const committed = this.of(groupId);
    const answer = (topic: string, partition: number): FetchedPartition => {
      if (requireStable && this.hasPending(groupId, topic, partition)) {
        return { partition, offset: NO_OFFSET, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT };
      }
      const o = committed?.get(topic)?.get(partition);
      if (o === undefined) return { partition, offset: NO_OFFSET, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE };
      return { partition, offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: ErrorCode.NONE };
    };
    if (topics === null) {
      const out: Array<{ topic: string; partitions: FetchedPartition[] }> = [];
      for (const [topic, parts] of committed ?? []) {
        out.push({ topic, partitions: [...parts.keys()].sort((a, b) => a - b).map((p) => answer(topic, p)) });
      }
      return { errorCode: ErrorCode.NONE, topics: out };
    }
    return {
      errorCode: ErrorCode.NONE,
      topics: topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => answer(t.topic, p)) })),
    };
  }
}
