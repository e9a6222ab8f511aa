/**
 * A member of a KIP-848 consumer group, as the coordinator keeps it (Kafka's ConsumerGroupMember).
 *
 * Epochs: `memberEpoch` is what the member must send in its next heartbeat; it equals the target
 * assignment epoch once the member is reconciled. `previousMemberEpoch` is accepted too, because the
 * answer that bumped the epoch may have been lost (Kafka's rule, with owned partitions a subset).
 * -2 marks a static member that left temporarily (it keeps its partitions until its session ends).
 *
 * Reconciliation state (Kafka's MemberState, byte values as in the CurrentMemberAssignment record):
 *   stable (0)                 — owns `assigned`, nothing to revoke; reconciled when its epoch is the target's;
 *   unrevoked_partitions (1)   — must first give up `pendingRevocation` (and say so in a heartbeat);
 *   unreleased_partitions (2)  — waits for partitions of its target that another member still owns.
 */
import { emptyAssignment, type Assignment } from './assignment.js';
import type { Cancel } from '../scheduler.js';

export type MemberState = 'stable' | 'unrevoked_partitions' | 'unreleased_partitions';

export const MEMBER_STATE_CODES: Readonly<Record<MemberState, number>> = {
  stable: 0,
  unrevoked_partitions: 1,
  unreleased_partitions: 2,
};

export function memberStateFromCode(code: number): MemberState | undefined {
  return code === 0 ? 'stable' : code === 1 ? 'unrevoked_partitions' : code === 2 ? 'unreleased_partitions' : undefined;
}

export const LEAVE_GROUP_MEMBER_EPOCH = -1;
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

/** What a member subscribes to and who it is (ConsumerGroupMemberMetadataValue). */
export interface MemberMetadata {
  instanceId: string | null;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  subscribedTopicRegex: string | null;
  rebalanceTimeoutMs: number;
  serverAssignor: string | null;
}

export class ConsumerMember implements MemberMetadata {
  instanceId: string | null = null;
  rackId: string | null = null;
  clientId = '';
  clientHost = '';
  subscribedTopicNames: string[] = [];
  subscribedTopicRegex: string | null = null;
  rebalanceTimeoutMs = -1;
  serverAssignor: string | null = null;

  memberEpoch = 0;
  previousMemberEpoch = 0;
  state: MemberState = 'stable';
  /** Partitions the member owns (or is being given). */
  assigned: Assignment = emptyAssignment();
  /** Partitions the member must revoke before it moves on. */
  pendingRevocation: Assignment = emptyAssignment();

  session: Cancel | undefined;
  rebalanceTimer: Cancel | undefined;

  constructor(public memberId: string) {}

  isReconciledTo(targetEpoch: number): boolean {
    return this.state === 'stable' && this.memberEpoch === targetEpoch;
  }

  metadata(): MemberMetadata {
    return {
      instanceId: this.instanceId,
      rackId: this.rackId,
      clientId: this.clientId,
      clientHost: this.clientHost,
      subscribedTopicNames: [...this.subscribedTopicNames],
      subscribedTopicRegex: this.subscribedTopicRegex,
      rebalanceTimeoutMs: this.rebalanceTimeoutMs,
      serverAssignor: this.serverAssignor,
    };
  }

  cancelTimers(): void {
    this.session?.();
    this.session = undefined;
    this.rebalanceTimer?.();
    this.rebalanceTimer = undefined;
  }
}

export function sameMetadata(a: MemberMetadata, b: MemberMetadata): boolean {
  return (
    a.instanceId === b.instanceId &&
    a.rackId === b.rackId &&
    a.clientId === b.clientId &&
    a.clientHost === b.clientHost &&
    a.subscribedTopicRegex === b.subscribedTopicRegex &&
    a.rebalanceTimeoutMs === b.rebalanceTimeoutMs &&
    a.serverAssignor === b.serverAssignor &&
    sameNames(a.subscribedTopicNames, b.subscribedTopicNames)
  );
}

/** Same subscription (names compared as sets, as Kafka does). */
export function sameSubscription(a: MemberMetadata, b: MemberMetadata): boolean {
  return a.subscribedTopicRegex === b.subscribedTopicRegex && sameNames(a.subscribedTopicNames, b.subscribedTopicNames);
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size !== sb.size) return false;
  for (const x of sa) if (!sb.has(x)) return false;
  return true;
}
