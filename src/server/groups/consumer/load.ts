/**
 * Rebuilds KIP-848 consumer groups from their `__consumer_offsets` records (./records.ts) after a
 * restart: replayed in log order (later records win, tombstones delete), then each group whose epoch
 * record survives is registered with its members, target assignment and current assignments. Members
 * must heartbeat within their session after the restart or they are fenced; a member that was asked to
 * revoke gets its rebalance timeout again. Records that do not decode are skipped and counted.
 */
import type { PendingRecord } from '../persistence.js';
import type { Assignment } from './assignment.js';
import { ConsumerGroup } from './group.js';
import { ConsumerMember, type MemberMetadata } from './member.js';
import type { ConsumerGroupProtocol } from './protocol.js';
import { decodeConsumerGroupRecord, type CurrentAssignmentValue } from './records.js';
import type { TopicMeta } from './subscriptions.js';

interface GroupImage {
  epoch: number | undefined;
  assignmentEpoch: number;
  partitionMetadata: TopicMeta[] | undefined;
  readonly members: Map<string, MemberMetadata>;
  readonly targets: Map<string, Assignment>;
  readonly current: Map<string, CurrentAssignmentValue>;
}

export interface ReplayStats {
  readonly groups: number;
  readonly members: number;
  readonly skipped: number;
}

/** Replays `records` (key/value bytes in log order) and registers the groups through `register`. */
export function replayConsumerGroups(
  records: Iterable<PendingRecord>,
  protocol: ConsumerGroupProtocol,
  register: (g: ConsumerGroup) => void,
  now: number,
  onBadRecord: (err: Error) => void,
): ReplayStats {
  const images = new Map<string, GroupImage>();
  const image = (id: string): GroupImage => {
    let g = images.get(id);
    if (g === undefined) images.set(id, (g = { epoch: undefined, assignmentEpoch: 0, partitionMetadata: undefined, members: new Map(), targets: new Map(), current: new Map() }));
    return g;
  };
  let skipped = 0;
  for (const r of records) {
    let rec;
    try {
      rec = decodeConsumerGroupRecord(r.key, r.value);
    } catch (err) {
      skipped++;
      onBadRecord(err as Error);
      continue;
    }
    if (rec === undefined) continue;
    const g = image(rec.groupId);
    switch (rec.kind) {
      case 'groupEpoch':
        if (rec.value === undefined) images.delete(rec.groupId);
        else g.epoch = rec.value;
        break;
      case 'targetEpoch':
        g.assignmentEpoch = rec.value ?? 0;
        break;
      case 'partitionMetadata':
        g.partitionMetadata = rec.value;
        break;
      case 'memberMetadata':
        if (rec.value === undefined) g.members.delete(rec.memberId);
        else g.members.set(rec.memberId, rec.value);
        break;
      case 'targetMember':
        if (rec.value === undefined) g.targets.delete(rec.memberId);
        else g.targets.set(rec.memberId, rec.value);
        break;
      case 'currentAssignment':
        if (rec.value === undefined) g.current.delete(rec.memberId);
        else g.current.set(rec.memberId, rec.value);
        break;
    }
  }
  let groups = 0;
  let members = 0;
  for (const [groupId, img] of images) {
    if (img.epoch === undefined) continue;
    const group = new ConsumerGroup(groupId, now);
    group.groupEpoch = img.epoch;
    group.assignmentEpoch = img.assignmentEpoch;
    for (const [memberId, meta] of img.members) {
      const m = new ConsumerMember(memberId);
      Object.assign(m, meta);
      const cur = img.current.get(memberId);
      if (cur !== undefined) {
        m.memberEpoch = cur.memberEpoch;
        m.previousMemberEpoch = cur.previousMemberEpoch;
        m.state = cur.state;
        m.assigned = cur.assigned;
        m.pendingRevocation = cur.pendingRevocation;
      }
      group.add(m);
      const target = img.targets.get(memberId);
      if (target !== undefined) group.targetAssignment.set(memberId, target);
      members++;
    }
    protocol.restoreSubscriptions(group, img.partitionMetadata);
    protocol.adopt(group);
    register(group);
    for (const m of group.members.values()) {
      protocol.scheduleSession(group, m);
      if (m.state === 'unrevoked_partitions') protocol.scheduleRebalanceTimeout(group, m);
    }
    groups++;
  }
  return { groups, members, skipped };
}
