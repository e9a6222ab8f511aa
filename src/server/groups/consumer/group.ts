/**
 * A KIP-848 consumer group (Kafka's ConsumerGroup): members, the group epoch (bumped whenever the
 * subscriptions or the subscribed topics' metadata change), the target assignment and its epoch, and
 * an index of which member epoch owns each partition (partitions are handed out only when unowned).
 *
 * State, derived as Kafka derives it:
 *   Empty       — no members;
 *   Assigning   — group epoch ahead of the target assignment epoch;
 *   Reconciling — some member has not reached the target assignment yet;
 *   Stable      — every member owns exactly its target assignment;
 *   Dead        — deleted (or replaced).
 * It lives in the coordinator's registry beside classic groups (type 'consumer') and answers the
 * shared offset-commit and offset-fetch checks with member epochs (STALE_MEMBER_EPOCH).
 */
import { ErrorCode } from '../../../protocol/errors.js';
import type { CommitIdentity, Group } from '../group.js';
import type { PendingRecord } from '../persistence.js';
import { emptyAssignment, type Assignment } from './assignment.js';
import { ConsumerMember } from './member.js';
import { groupTombstones, memberTombstones } from './records.js';

export type ConsumerGroupState = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable' | 'Dead';

export class ConsumerGroup implements Group {
  readonly type = 'consumer';
  groupEpoch = 0;
  assignmentEpoch = 0;
  readonly members = new Map<string, ConsumerMember>();
  /** instance id → member id (static members). */
  readonly staticMembers = new Map<string, string>();
  /** member id → target assignment. */
  readonly targetAssignment = new Map<string, Assignment>();
  /** Topic names the target assignment was computed for, with ids and partition counts ("name:id:n" sorted). */
  subscriptionSignature = '';
  /** Topics subscribed by name or matched by a regex (OffsetDelete and retention ask). */
  resolvedTopics: ReadonlySet<string> = new Set();
  private readonly partitionOwners = new Map<string, Map<number, number>>();
  /** How many members subscribe to each topic name / regex (heartbeats resolve only these). */
  private readonly nameCounts = new Map<string, number>();
  private readonly regexCounts = new Map<string, number>();
  private dead = false;
  private emptySinceMs: number;

  constructor(
    readonly groupId: string,
    now: number,
  ) {
    this.emptySinceMs = now;
  }

  stateName(): ConsumerGroupState {
    if (this.dead) return 'Dead';
    if (this.members.size === 0) return 'Empty';
    if (this.groupEpoch > this.assignmentEpoch) return 'Assigning';
    for (const m of this.members.values()) if (!m.isReconciledTo(this.assignmentEpoch)) return 'Reconciling';
    return 'Stable';
  }

  protocolTypeName(): string {
    return 'consumer';
  }

  isEmpty(): boolean {
    return this.members.size === 0;
  }

  isDead(): boolean {
    return this.dead;
  }

  emptySince(): number {
    return this.members.size === 0 ? this.emptySinceMs : -1;
  }

  markDead(): void {
    if (this.dead) return;
    this.dead = true;
    for (const m of this.members.values()) m.cancelTimers();
    // However it dies (deleted, expired, or replaced in the registry by a classic group taking the id
    // over), its records must go, or a restart would bring it back. After DeleteGroups this writes the
    // same tombstones a second time, which is harmless.
    this.onDead?.(this);
  }

  /** Called when the group dies (the protocol writes its tombstones). */
  onDead: ((group: ConsumerGroup) => void) | undefined;

  /** Tombstones that delete the group's own records (DeleteGroups, expiry). */
  deletionRecords(): PendingRecord[] {
    const records: PendingRecord[] = [];
    for (const id of this.members.keys()) records.push(...memberTombstones(this.groupId, id));
    records.push(...groupTombstones(this.groupId));
    return records;
  }

  // ── members ──────────────────────────────────────────────────────────────────────────────────

  staticMember(instanceId: string): ConsumerMember | undefined {
    const id = this.staticMembers.get(instanceId);
    return id === undefined ? undefined : this.members.get(id);
  }

  add(member: ConsumerMember): void {
    this.members.set(member.memberId, member);
    if (member.instanceId !== null) this.staticMembers.set(member.instanceId, member.memberId);
    this.indexOwnership(member, true);
    this.countSubscription(member, 1);
  }

  remove(memberId: string, now: number): ConsumerMember | undefined {
    const m = this.members.get(memberId);
    if (m === undefined) return undefined;
    this.indexOwnership(m, false);
    this.countSubscription(m, -1);
    m.cancelTimers();
    this.members.delete(memberId);
    this.targetAssignment.delete(memberId);
    if (m.instanceId !== null && this.staticMembers.get(m.instanceId) === memberId) this.staticMembers.delete(m.instanceId);
    if (this.members.size === 0) this.emptySinceMs = now;
    return m;
  }

  /** Replaces a member's assignment state, keeping the partition-owner index right. */
  updateOwnership(member: ConsumerMember, apply: () => void): void {
    this.indexOwnership(member, false);
    apply();
    this.indexOwnership(member, true);
  }

  /** Changes a member's metadata (its subscription included), keeping the subscription counts right. */
  updateMetadata(member: ConsumerMember, apply: () => void): void {
    this.countSubscription(member, -1);
    apply();
    this.countSubscription(member, 1);
  }

  /** Topic names some member subscribes to (existing or not). */
  subscribedNames(): IterableIterator<string> {
    return this.nameCounts.keys();
  }

  /** Regular expressions some member subscribes with. */
  subscribedRegexes(): IterableIterator<string> {
    return this.regexCounts.keys();
  }

  private countSubscription(m: ConsumerMember, delta: 1 | -1): void {
    const bump = (map: Map<string, number>, key: string): void => {
      const n = (map.get(key) ?? 0) + delta;
      if (n <= 0) map.delete(key);
      else map.set(key, n);
    };
    for (const name of new Set(m.subscribedTopicNames)) bump(this.nameCounts, name);
    if (m.subscribedTopicRegex !== null && m.subscribedTopicRegex !== '') bump(this.regexCounts, m.subscribedTopicRegex);
  }

  /**
   * Remembers the group's state; the returned function puts it back (a heartbeat whose records could
   * not be written must leave no trace, as Kafka applies records only once they are in the log).
   * Only `touched` members (the ones the operation may change) have their fields saved: the others are
   * merely kept in the group. Assignments are replaced, never changed in place, so references suffice.
   * Cost: O(members) for the id list and targets, without copying member state (heartbeats stay cheap).
   */
  snapshot(touched: ReadonlyArray<ConsumerMember | undefined>): () => void {
    const scalars = {
      groupEpoch: this.groupEpoch,
      assignmentEpoch: this.assignmentEpoch,
      subscriptionSignature: this.subscriptionSignature,
      resolvedTopics: this.resolvedTopics,
      emptySinceMs: this.emptySinceMs,
    };
    const ids = [...this.members.keys()];
    const saved = new Map<string, { m: ConsumerMember; restore: () => void }>();
    for (const m of touched) if (m !== undefined) saved.set(m.memberId, { m, restore: saveMember(m) });
    const targets = new Map(this.targetAssignment);
    return () => {
      const current = new Map(this.members);
      for (const m of current.values()) {
        this.indexOwnership(m, false);
        this.countSubscription(m, -1);
      }
      this.members.clear();
      this.staticMembers.clear();
      for (const { restore } of saved.values()) restore();
      this.groupEpoch = scalars.groupEpoch;
      this.assignmentEpoch = scalars.assignmentEpoch;
      this.subscriptionSignature = scalars.subscriptionSignature;
      this.resolvedTopics = scalars.resolvedTopics;
      this.emptySinceMs = scalars.emptySinceMs;
      for (const id of ids) {
        const m = saved.get(id)?.m ?? current.get(id);
        if (m !== undefined) this.add(m);
      }
      this.targetAssignment.clear();
      for (const [id, a] of targets) this.targetAssignment.set(id, a);
    };
  }

  /** Epoch of the member owning (or still revoking) a partition; -1 if free. */
  partitionEpoch(topicId: string, partition: number): number {
    return this.partitionOwners.get(topicId)?.get(partition) ?? -1;
  }

  target(memberId: string): Assignment {
    return this.targetAssignment.get(memberId) ?? emptyAssignment();
  }

  private indexOwnership(m: ConsumerMember, add: boolean): void {
    for (const a of [m.assigned, m.pendingRevocation]) {
      for (const [t, ps] of a) {
        let owners = this.partitionOwners.get(t);
        if (owners === undefined) {
          if (!add) continue;
          this.partitionOwners.set(t, (owners = new Map()));
        }
        for (const p of ps) {
          if (add) owners.set(p, m.memberEpoch);
          else owners.delete(p);
        }
        if (owners.size === 0) this.partitionOwners.delete(t);
      }
    }
  }

  /** The assignor most members ask for, if any asks (Kafka's preferred server assignor). */
  preferredAssignor(): string | undefined {
    const votes = new Map<string, number>();
    for (const m of this.members.values()) if (m.serverAssignor !== null) votes.set(m.serverAssignor, (votes.get(m.serverAssignor) ?? 0) + 1);
    let best: string | undefined;
    for (const [name, n] of votes) if (best === undefined || n > votes.get(best)!) best = name;
    return best;
  }

  // ── shared checks ────────────────────────────────────────────────────────────────────────────

  /** Kafka's ConsumerGroup.validateOffsetCommit. */
  validateOffsetCommit(who: CommitIdentity): number {
    if (this.dead) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    // Epoch -1: the admin client or a consumer without group management; fine on an empty group.
    if (who.generationIdOrMemberEpoch < 0 && this.members.size === 0) return ErrorCode.NONE;
    const member = this.members.get(who.memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    // Members of the new protocol must commit with OffsetCommit v9+ (TxnOffsetCommit excepted).
    if (who.transactional !== true && who.apiVersion < 9) return ErrorCode.UNSUPPORTED_VERSION;
    return who.generationIdOrMemberEpoch === member.memberEpoch ? ErrorCode.NONE : ErrorCode.STALE_MEMBER_EPOCH;
  }

  /** Kafka's ConsumerGroup.validateOffsetFetch (OffsetFetch v9+). */
  validateOffsetFetch(memberId: string | null, memberEpoch: number): number {
    if (memberId === null && memberEpoch < 0) return ErrorCode.NONE;
    const member = memberId === null ? undefined : this.members.get(memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    return memberEpoch === member.memberEpoch ? ErrorCode.NONE : ErrorCode.STALE_MEMBER_EPOCH;
  }

  subscribedTopics(): ReadonlySet<string> {
    return this.resolvedTopics;
  }
}

/** Saves every field of a member a heartbeat may change; the result puts them back. */
function saveMember(m: ConsumerMember): () => void {
  const { memberId, instanceId, rackId, clientId, clientHost, subscribedTopicNames, subscribedTopicRegex, rebalanceTimeoutMs, serverAssignor } = m;
  const { memberEpoch, previousMemberEpoch, state, assigned, pendingRevocation } = m;
  return () => {
    m.memberId = memberId;
    m.instanceId = instanceId;
    m.rackId = rackId;
    m.clientId = clientId;
    m.clientHost = clientHost;
    m.subscribedTopicNames = subscribedTopicNames;
    m.subscribedTopicRegex = subscribedTopicRegex;
    m.rebalanceTimeoutMs = rebalanceTimeoutMs;
    m.serverAssignor = serverAssignor;
    m.memberEpoch = memberEpoch;
    m.previousMemberEpoch = previousMemberEpoch;
    m.state = state;
    m.assigned = assigned;
    m.pendingRevocation = pendingRevocation;
  };
}
