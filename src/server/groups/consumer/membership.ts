/**
 * Which member a heartbeat comes from (Kafka's getOrMaybeSubscribe{Dynamic,Static}ConsumerGroupMember):
 * a join (epoch 0) creates the member, or — for a known id — starts it over owning nothing; other
 * epochs must match the member's (FENCED_MEMBER_EPOCH), its previous epoch being accepted when the
 * reported partitions fit (the answer that bumped it may have been lost). Static members: a second
 * holder of an instance id is UNRELEASED_INSTANCE_ID until the first left with -2, then it takes over
 * the old member's assignment under its new id; a stale holder is FENCED_INSTANCE_ID.
 */
import { ErrorCode } from '../../../protocol/errors.js';
import type { Logger } from '../../logger.js';
import type { PendingRecord } from '../persistence.js';
import { hasPartition, type Assignment } from './assignment.js';
import type { ConsumerGroup } from './group.js';
import { ConsumerMember, LEAVE_GROUP_STATIC_MEMBER_EPOCH } from './member.js';
import type { HeartbeatRequest } from './protocol.js';
import { currentAssignmentRecord, memberMetadataRecord, memberTombstones, targetMemberRecord } from './records.js';
import { fail } from './validate.js';

interface Resolved {
  readonly member: ConsumerMember;
  readonly isNew: boolean;
}

/** Kafka's epoch check: the current epoch, or the previous one with owned partitions a subset. */
function checkEpoch(member: ConsumerMember, epoch: number, owned: Assignment | null): void {
  if (epoch > member.memberEpoch) {
    fail(
      ErrorCode.FENCED_MEMBER_EPOCH,
      `The consumer group member has a greater member epoch (${epoch}) than the one known by the group coordinator (${member.memberEpoch}). The member must abandon all its partitions and rejoin.`,
    );
  }
  if (epoch < member.memberEpoch && (epoch !== member.previousMemberEpoch || !isSubset(owned, member.assigned))) {
    fail(
      ErrorCode.FENCED_MEMBER_EPOCH,
      `The consumer group member has a smaller member epoch (${epoch}) than the one known by the group coordinator (${member.memberEpoch}). The member must abandon all its partitions and rejoin.`,
    );
  }
}

/** The member a dynamic (no instance id) heartbeat is from, or a new one on join. */
export function resolveDynamicMember(group: ConsumerGroup, req: HeartbeatRequest, memberId: string, owned: Assignment | null): Resolved {
  const m = group.members.get(memberId);
  if (req.memberEpoch === 0) {
    if (m === undefined) return { member: new ConsumerMember(memberId), isNew: true };
    // A known member rejoining with epoch 0 (after FENCED_MEMBER_EPOCH, keeping its client-chosen id)
    // has given up every partition: it starts over from epoch 0 owning nothing.
    resetMember(group, m);
    return { member: m, isNew: false };
  }
  if (m === undefined) fail(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of group ${group.groupId}.`);
  checkEpoch(m!, req.memberEpoch, owned);
  return { member: m!, isNew: false };
}

/** The member a static heartbeat is from: new, the same one, or a replacement taking over the instance id (KIP-345). */
export function resolveStaticMember(
group: ConsumerGroup,
req: HeartbeatRequest,
memberId: string,
owned: Assignment | null,
records: PendingRecord[],
now: number,
logger: Logger,
): Resolved {
  const instanceId = req.instanceId!;
  const existing = group.staticMember(instanceId);
  if (req.memberEpoch === 0) {
    if (existing === undefined) {
      const m = group.members.get(memberId);
      if (m !== undefined) {
        resetMember(group, m);
        return { member: m, isNew: false };
      }
      return { member: new ConsumerMember(memberId), isNew: true };
    }
    if (existing.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      fail(
        ErrorCode.UNRELEASED_INSTANCE_ID,
        `Static member ${memberId} with instance id ${instanceId} cannot join the group because the instance id is owned by ${existing.memberId} member.`,
      );
    }
    // The static member is back under a new member id: it takes over the old one's assignment.
    const replacement = new ConsumerMember(memberId);
    Object.assign(replacement, existing.metadata());
    replacement.state = existing.state;
    replacement.assigned = existing.assigned;
    replacement.pendingRevocation = existing.pendingRevocation;
    replacement.memberEpoch = 0;
    replacement.previousMemberEpoch = 0;
    const target = group.target(existing.memberId);
    group.remove(existing.memberId, now);
    records.push(...memberTombstones(group.groupId, existing.memberId));
    group.add(replacement);
    group.targetAssignment.set(memberId, target);
    records.push(memberMetadataRecord(group.groupId, replacement), targetMemberRecord(group.groupId, memberId, target), currentAssignmentRecord(group.groupId, replacement));
    logger.info('static member rejoined consumer group', { group: group.groupId, instanceId, member: memberId, replaced: existing.memberId });
    return { member: replacement, isNew: false };
  }
  if (existing === undefined) fail(ErrorCode.UNKNOWN_MEMBER_ID, `Instance id ${instanceId} is unknown.`);
  if (existing!.memberId !== memberId) {
    fail(ErrorCode.FENCED_INSTANCE_ID, `Static member ${memberId} with instance id ${instanceId} was fenced by member ${existing!.memberId}.`);
  }
  checkEpoch(existing!, req.memberEpoch, owned);
  return { member: existing!, isNew: false };
}

/** A known member rejoining with epoch 0 owns nothing any more. */
function resetMember(group: ConsumerGroup, m: ConsumerMember): void {
  m.rebalanceTimer?.();
  m.rebalanceTimer = undefined;
  group.updateOwnership(m, () => {
    m.memberEpoch = 0;
    m.previousMemberEpoch = 0;
    m.state = 'stable';
    m.assigned = new Map();
    m.pendingRevocation = new Map();
  });
}

function isSubset(owned: Assignment | null, assigned: Assignment): boolean {
  if (owned === null) return false;
  for (const [t, ps] of owned) for (const p of ps) if (!hasPartition(assigned, t, p)) return false;
  return true;
}
