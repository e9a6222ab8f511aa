/**
 * Reconciliation of one member towards its target assignment (Kafka's CurrentAssignmentBuilder), the
 * heart of KIP-848's "revoke before assign": a partition moves to its new owner only after the
 * previous owner stopped reporting it in its heartbeats.
 *
 * From the member's current assignment and its target:
 *   kept      = assigned ∩ target
 *   revoking  = assigned − kept          (the member must give these up first)
 *   incoming  = target − kept − partitions another member still owns (unreleased)
 * If the member still owns something in `revoking`, it stays at its epoch in unrevoked_partitions and
 * is told its reduced assignment (`kept`). Otherwise it moves to the target epoch with kept ∪ incoming,
 * stable or — while some target partitions are still owned by others — unreleased_partitions.
 *
 * Pure: the caller applies the result to the member and to the group's partition-owner index.
 */
import { cloneAssignment, hasPartition, type Assignment } from './assignment.js';
import type { MemberState } from './member.js';

export interface ReconcileInput {
  readonly state: MemberState;
  readonly memberEpoch: number;
  readonly assigned: Assignment;
  readonly pendingRevocation: Assignment;
  readonly targetEpoch: number;
  readonly target: Assignment;
  /** Partitions the member reported owning in this heartbeat; null when it did not say. */
  readonly owned: Assignment | null;
  /** Epoch of the member currently owning a partition, -1 if nobody does (this member's own included). */
  partitionEpoch(topicId: string, partition: number): number;
}

export interface ReconcileResult {
  readonly state: MemberState;
  readonly memberEpoch: number;
  readonly assigned: Assignment;
  readonly pendingRevocation: Assignment;
}

export function reconcile(input: ReconcileInput): ReconcileResult {
  switch (input.state) {
    case 'stable':
      if (input.memberEpoch === input.targetEpoch) return unchanged(input);
      return nextAssignment(input, input.memberEpoch);
    case 'unrevoked_partitions':
      if (ownsAny(input.owned, input.pendingRevocation)) return unchanged(input);
      // Revocation acknowledged: the member moves to the next epoch and on towards the target.
      return nextAssignment(input, input.memberEpoch + 1);
    case 'unreleased_partitions':
      return nextAssignment(input, input.memberEpoch);
  }
}

function unchanged(input: ReconcileInput): ReconcileResult {
  return { state: input.state, memberEpoch: input.memberEpoch, assigned: input.assigned, pendingRevocation: input.pendingRevocation };
}

/** Whether `owned` (null: unknown, assume yes) still holds any partition of `revoking`. */
function ownsAny(owned: Assignment | null, revoking: Assignment): boolean {
  if (owned === null) return true;
  for (const [t, ps] of owned) for (const p of ps) if (hasPartition(revoking, t, p)) return true;
  return false;
}

function nextAssignment(input: ReconcileInput, epochWhileRevoking: number): ReconcileResult {
  const assigned: Assignment = new Map();
  const revoking: Assignment = new Map();
  const incoming: Assignment = new Map();
  let unreleased = false;
  const topics = new Set([...input.target.keys(), ...input.assigned.keys()]);
  for (const t of topics) {
    const target = input.target.get(t) ?? new Set<number>();
    const current = input.assigned.get(t) ?? new Set<number>();
    const kept = new Set([...current].filter((p) => target.has(p)));
    const rev = new Set([...current].filter((p) => !kept.has(p)));
    const inc = new Set<number>();
    for (const p of target) {
      if (kept.has(p)) continue;
      if (input.partitionEpoch(t, p) !== -1) unreleased = true;
      else inc.add(p);
    }
    if (kept.size > 0) assigned.set(t, kept);
    if (rev.size > 0) revoking.set(t, rev);
    if (inc.size > 0) incoming.set(t, inc);
  }
  if (revoking.size > 0 && ownsAny(input.owned, revoking)) {
    return { state: 'unrevoked_partitions', memberEpoch: epochWhileRevoking, assigned, pendingRevocation: revoking };
  }
  const next = cloneAssignment(assigned);
  for (const [t, ps] of incoming) {
    let s = next.get(t);
    if (s === undefined) next.set(t, (s = new Set()));
    for (const p of ps) s.add(p);
  }
  return {
    state: unreleased ? 'unreleased_partitions' : 'stable',
    memberEpoch: input.targetEpoch,
    assigned: next,
    pendingRevocation: new Map(),
  };
}
