/**
 * Partition sets of KIP-848 consumer groups: topic id (Kafka's 22-character form) → partition numbers.
 * Members' current, pending-revocation and target assignments all use this shape; the wire form
 * (ConsumerGroupHeartbeat, ConsumerGroupDescribe, the __consumer_offsets records) is a list of
 * { topicId, partitions } sorted for stable output.
 */

export type Assignment = Map<string, Set<number>>;

export interface WireTopicPartitions {
  readonly topicId: string;
  readonly partitions: readonly number[];
}

export function emptyAssignment(): Assignment {
  return new Map();
}

export function cloneAssignment(a: Assignment): Assignment {
  const out: Assignment = new Map();
  for (const [t, ps] of a) out.set(t, new Set(ps));
  return out;
}

export function addPartition(a: Assignment, topicId: string, partition: number): void {
  let s = a.get(topicId);
  if (s === undefined) a.set(topicId, (s = new Set()));
  s.add(partition);
}

export function removePartition(a: Assignment, topicId: string, partition: number): void {
  const s = a.get(topicId);
  if (s === undefined) return;
  s.delete(partition);
  if (s.size === 0) a.delete(topicId);
}

export function hasPartition(a: Assignment, topicId: string, partition: number): boolean {
  return a.get(topicId)?.has(partition) ?? false;
}

export function assignmentSize(a: Assignment): number {
  let n = 0;
  for (const s of a.values()) n += s.size;
  return n;
}

export function isEmptyAssignment(a: Assignment): boolean {
  for (const s of a.values()) if (s.size > 0) return false;
  return true;
}

export function assignmentsEqual(a: Assignment, b: Assignment): boolean {
  let na = 0;
  for (const [t, ps] of a) {
    if (ps.size === 0) continue;
    na++;
    const other = b.get(t);
    if (other === undefined || other.size !== ps.size) return false;
    for (const p of ps) if (!other.has(p)) return false;
  }
  let nb = 0;
  for (const ps of b.values()) if (ps.size > 0) nb++;
  return na === nb;
}

/** The wire form: topics and partitions sorted. */
export function toWire(a: Assignment): Array<{ topicId: string; partitions: number[] }> {
  return [...a.entries()]
    .filter(([, ps]) => ps.size > 0)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([topicId, ps]) => ({ topicId, partitions: [...ps].sort((x, y) => x - y) }));
}

export function fromWire(list: readonly WireTopicPartitions[]): Assignment {
  const out: Assignment = new Map();
  for (const t of list) for (const p of t.partitions) addPartition(out, t.topicId, p);
  return out;
}
