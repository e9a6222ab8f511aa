/**
 * Server-side assignors of KIP-848 consumer groups (ConsumerGroupPartitionAssignor in Kafka). The
 * coordinator hands an assignor every member with the topic ids it subscribes to and its previous
 * target assignment; the assignor answers each member's new target assignment. Assignors are pure
 * and deterministic (same input, same output), so tests can state exact answers.
 */
import type { Assignment } from '../assignment.js';

export interface AssignorMember {
  readonly memberId: string;
  readonly instanceId: string | null;
  /** Topic ids this member subscribes to (existing topics only). */
  readonly topicIds: ReadonlySet<string>;
  /** The member's previous target assignment (stickiness). */
  readonly previous: Assignment;
}

export interface AssignorInput {
  readonly members: readonly AssignorMember[];
  /** Partition count of a subscribed topic. */
  partitions(topicId: string): number;
}

export interface Assignor {
  /** The name members ask for in ConsumerGroupHeartbeat's server_assignor ('uniform', 'range'). */
  readonly name: string;
  /** Every member of the input gets an entry (possibly empty). */
  assign(input: AssignorInput): Map<string, Assignment>;
}

/** Kafka's member order for assignors: static members by instance id first, then the rest by member id. */
export function sortMembers(members: readonly AssignorMember[]): AssignorMember[] {
  return [...members].sort((a, b) => {
    if (a.instanceId !== null && b.instanceId !== null) return cmp(a.instanceId, b.instanceId);
    if (a.instanceId !== null) return -1;
    if (b.instanceId !== null) return 1;
    return cmp(a.memberId, b.memberId);
  });
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
