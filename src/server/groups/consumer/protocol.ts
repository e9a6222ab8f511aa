/**
 * The KIP-848 consumer group protocol (ConsumerGroupHeartbeat), one per group coordinator. Groups live
 * in the coordinator's registry (type 'consumer'); this module owns their heartbeats, assignment,
 * reconciliation, timers and records. Kafka's GroupMetadataManager.consumerGroupHeartbeat, step by step:
 *
 *   1. validate the request (INVALID_REQUEST, UNSUPPORTED_ASSIGNOR, INVALID_REGULAR_EXPRESSION);
 *      member epoch -1 leaves, -2 is a static member leaving for now (keeps its partitions);
 *   2. find or create the group (epoch 0 only; an empty classic group is replaced, a classic group with
 *      members answers GROUP_ID_NOT_FOUND) and the member (GROUP_MAX_SIZE_REACHED, UNKNOWN_MEMBER_ID,
 *      FENCED_MEMBER_EPOCH, static members' UNRELEASED_INSTANCE_ID / FENCED_INSTANCE_ID);
 *   3. update the member's subscription; a changed subscription, or a change of the subscribed topics
 *      (created, deleted, more partitions), bumps the group epoch;
 *   4. a group epoch ahead of the target assignment epoch recomputes the target with the assignor
 *      (the members' most asked-for server assignor, else group.consumer.assignors' first);
 *   5. reconcile this member towards its target (./reconcile.ts: revoke first, then assign);
 *   6. reschedule its session; write the records of what changed; answer with the member epoch, the
 *      heartbeat interval and — on full requests or when it changed — the member's assignment.
 * A member that does not revoke within its rebalance timeout, or whose session expires, is fenced:
 * removed, and the group epoch bumped so the others rebalance.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../../../protocol/errors.js';
import type { Logger } from '../../logger.js';
import type { Group } from '../group.js';
import type { PendingRecord } from '../persistence.js';
import { encodeGroupKey } from '../records.js';
import type { Scheduler } from '../scheduler.js';
import { assignmentsEqual, fromWire, hasPartition, toWire, type Assignment, type WireTopicPartitions } from './assignment.js';
import type { Assignor } from './assignors/index.js';
import { ConsumerGroup } from './group.js';
import {
  ConsumerMember,
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  sameMetadata,
  sameSubscription,
  type MemberMetadata,
} from './member.js';
import { reconcile } from './reconcile.js';
import { fail, HeartbeatError, validateHeartbeat } from './validate.js';
import { resolveDynamicMember, resolveStaticMember } from './membership.js';
import {
  currentAssignmentRecord,
  groupEpochRecord,
  memberMetadataRecord,
  memberTombstones,
  partitionMetadataRecord,
  targetEpochRecord,
  targetMemberRecord,
} from './records.js';
import { SubscriptionResolver, subscriptionSignature, type TopicMeta, type TopicsView } from './subscriptions.js';

export interface ConsumerGroupSettings {
  /** group.consumer.session.timeout.ms */
  readonly sessionTimeoutMs: number;
  /** group.consumer.heartbeat.interval.ms */
  readonly heartbeatIntervalMs: number;
  /** group.consumer.max.size */
  readonly maxSize: number;
  /** group.consumer.assignors, resolved; the first is the default. */
  readonly assignors: readonly Assignor[];
}

/** What the protocol needs of the group coordinator (GroupCoordinator implements it). */
export interface ConsumerGroupHost {
  readonly scheduler: Scheduler;
  group(groupId: string): Group | undefined;
  register(group: Group): void;
  unregister(groupId: string): void;
  /** Appends records of one group to __consumer_offsets; NONE or the error to answer. */
  write(groupId: string, records: readonly PendingRecord[]): number;
}

export interface HeartbeatRequest {
  readonly groupId: string;
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly instanceId: string | null;
  readonly rackId: string | null;
  readonly rebalanceTimeoutMs: number;
  readonly subscribedTopicNames: readonly string[] | null;
  readonly subscribedTopicRegex: string | null;
  readonly serverAssignor: string | null;
  readonly topicPartitions: readonly WireTopicPartitions[] | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly apiVersion: number;
}

export interface HeartbeatResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly memberId: string | null;
  readonly memberEpoch: number;
  readonly heartbeatIntervalMs: number;
  readonly assignment: { topicPartitions: Array<{ topicId: string; partitions: number[] }> } | null;
}

/** Kafka's member ids: a random UUID in its 22-character URL-safe base64 form. */
export function newMemberId(): string {
  return randomBytes(16).toString('base64url');
}

export class ConsumerGroupProtocol {
  constructor(
    readonly settings: ConsumerGroupSettings,
    private readonly host: ConsumerGroupHost,
    readonly topics: TopicsView,
    private readonly logger: Logger,
  ) {}

  get defaultAssignor(): Assignor {
    return this.settings.assignors[0]!;
  }

  /** The consumer group with this id, if there is a live one. */
  consumerGroup(groupId: string): ConsumerGroup | undefined {
    const g = this.host.group(groupId);
    return g instanceof ConsumerGroup && !g.isDead() ? g : undefined;
  }

  /** Why `groupId` is not a consumer group, as Kafka words it. */
  notFoundMessage(groupId: string): string {
    const g = this.host.group(groupId);
    return g === undefined || g.isDead() ? `Group ${groupId} not found.` : `Group ${groupId} is not a consumer group.`;
  }

  heartbeat(req: HeartbeatRequest): HeartbeatResult {
    try {
      validateHeartbeat(req, this.settings.assignors);
      if (req.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH || req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) return this.leave(req);
      return this.join(req);
    } catch (err) {
      if (err instanceof HeartbeatError) {
        return { errorCode: err.errorCode, errorMessage: err.message, memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null };
      }
      throw err;
    }
  }

  // ── 2-6. join / heartbeat ────────────────────────────────────────────────────────────────────

  /** Runs a join/heartbeat; on any error its changes to the group are undone (nothing was written). */
  private join(req: HeartbeatRequest): HeartbeatResult {
    const existing = this.consumerGroup(req.groupId);
    // The members this request can change: its own, and the holder of its instance id.
    const restore = existing?.snapshot([existing.members.get(req.memberId), req.instanceId === null ? undefined : existing.staticMember(req.instanceId)]);
    try {
      return this.joinOrHeartbeat(req);
    } catch (err) {
      const group = this.consumerGroup(req.groupId);
      if (group !== undefined && group !== existing) {
        // Created by this request: it never existed.
        for (const m of group.members.values()) m.cancelTimers();
        this.host.unregister(group.groupId);
      } else if (group !== undefined && restore !== undefined) {
        restore();
        this.rearmTimers(group);
      }
      throw err;
    }
  }

  /** After a rollback: rebalance deadlines follow the restored states; sessions continue. */
  private rearmTimers(group: ConsumerGroup): void {
    for (const m of group.members.values()) {
      m.rebalanceTimer?.();
      m.rebalanceTimer = undefined;
      if (m.state === 'unrevoked_partitions') this.scheduleRebalanceTimeout(group, m);
      if (m.session === undefined) this.scheduleSession(group, m);
    }
  }

  private joinOrHeartbeat(req: HeartbeatRequest): HeartbeatResult {
    const now = this.host.scheduler.now();
    const records: PendingRecord[] = [];
    const group = this.groupFor(req, records, now);
    if (group.members.size >= this.settings.maxSize && (req.memberId === '' || !group.members.has(req.memberId))) {
      fail(ErrorCode.GROUP_MAX_SIZE_REACHED, `The consumer group has reached its maximum capacity of ${this.settings.maxSize} members.`);
    }
    const memberId = req.memberId === '' ? newMemberId() : req.memberId;
    const owned = req.topicPartitions === null ? null : fromWire(req.topicPartitions);
    const { member, isNew } = req.instanceId === null ? resolveDynamicMember(group, req, memberId, owned) : resolveStaticMember(group, req, memberId, owned, records, now, this.logger);

    // 3. subscription
    const before = member.metadata();
    const after: MemberMetadata = {
      instanceId: req.instanceId ?? before.instanceId,
      rackId: req.rackId ?? before.rackId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      subscribedTopicNames: req.subscribedTopicNames === null ? before.subscribedTopicNames : [...req.subscribedTopicNames],
      subscribedTopicRegex: req.subscribedTopicRegex ?? before.subscribedTopicRegex,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs !== -1 ? req.rebalanceTimeoutMs : before.rebalanceTimeoutMs,
      serverAssignor: req.serverAssignor ?? before.serverAssignor,
    };
    let bump = isNew || !sameSubscription(before, after);
    if (isNew) Object.assign(member, after);
    else group.updateMetadata(member, () => Object.assign(member, after));
    if (isNew) {
      group.add(member);
      this.logger.info('member joined consumer group', { group: group.groupId, member: memberId });
    }
    if (isNew || !sameMetadata(before, after)) records.push(memberMetadataRecord(group.groupId, member));
    if (this.refreshSubscriptions(group, records)) bump = true;
    if (bump) {
      group.groupEpoch++;
      records.push(groupEpochRecord(group.groupId, group.groupEpoch));
    }

    // 4. target assignment
    if (group.groupEpoch > group.assignmentEpoch) this.computeTargetAssignment(group, records);

    // 5. reconciliation
    const assignedBefore = member.assigned;
    this.reconcileMember(group, member, owned, records);

    // 6. session, records, answer
    this.scheduleSession(group, member);
    const err = this.host.write(group.groupId, records);
    if (err !== ErrorCode.NONE) fail(err, 'The coordinator could not write the group state.');
    const full =
      req.memberEpoch === 0 ||
      (req.rebalanceTimeoutMs !== -1 && (req.subscribedTopicNames !== null || req.subscribedTopicRegex !== null) && req.topicPartitions !== null);
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      memberId,
      memberEpoch: member.memberEpoch,
      heartbeatIntervalMs: this.settings.heartbeatIntervalMs,
      assignment: full || !assignmentsEqual(assignedBefore, member.assigned) ? { topicPartitions: toWire(member.assigned) } : null,
    };
  }

  private groupFor(req: HeartbeatRequest, records: PendingRecord[], now: number): ConsumerGroup {
    const existing = this.host.group(req.groupId);
    if (existing instanceof ConsumerGroup && !existing.isDead()) return existing;
    const create = req.memberEpoch === 0;
    if (existing === undefined || existing.isDead()) {
      if (!create) fail(ErrorCode.GROUP_ID_NOT_FOUND, `Consumer group ${req.groupId} not found.`);
    } else if (!create || !existing.isEmpty()) {
      // Converting a classic group with members (KIP-848 online upgrade) is not supported.
      fail(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${req.groupId} is not a consumer group.`);
    } else {
      // An empty classic group (e.g. one that only has committed offsets) becomes a consumer group;
      // its offsets stay, its classic metadata goes.
      records.push({ key: encodeGroupKey(req.groupId), value: null });
    }
    const group = new ConsumerGroup(req.groupId, now);
    this.adopt(group);
    this.host.register(group);
    this.logger.info('consumer group created', { group: req.groupId });
    return group;
  }

  /**
   * Re-resolves the group's subscriptions; true (and a partition-metadata record) when the subscribed
   * topics' metadata changed.
   */
  private refreshSubscriptions(group: ConsumerGroup, records: PendingRecord[] | undefined): boolean {
    const topics = new SubscriptionResolver(this.topics).topicsOf(group.subscribedNames(), group.subscribedRegexes());
    const { signature, names } = subscriptionSignature(topics);
    group.resolvedTopics = names;
    if (signature === group.subscriptionSignature) return false;
    group.subscriptionSignature = signature;
    records?.push(partitionMetadataRecord(group.groupId, topics));
    return true;
  }

  /** Takes charge of a group's lifecycle: when it is replaced in the registry, its records are deleted. */
  adopt(group: ConsumerGroup): void {
    group.onDead = (g) => {
      const err = this.host.write(g.groupId, g.deletionRecords());
      if (err !== ErrorCode.NONE) this.logger.warn('could not delete the records of a consumer group', { group: g.groupId, errorCode: err });
    };
  }

  /** After a load: the subscription the stored target assignment stands for (no rebalance on restart). */
  restoreSubscriptions(group: ConsumerGroup, stored: readonly TopicMeta[] | undefined): void {
    if (stored === undefined) {
      this.refreshSubscriptions(group, undefined);
      return;
    }
    // What it was computed for: a topic change during the downtime bumps the epoch at the first heartbeat.
    const { signature, names } = subscriptionSignature(stored);
    group.subscriptionSignature = signature;
    group.resolvedTopics = names;
  }

  private computeTargetAssignment(group: ConsumerGroup, records: PendingRecord[]): void {
    const preferred = group.preferredAssignor();
    const assignor = this.settings.assignors.find((a) => a.name === preferred) ?? this.defaultAssignor;
    const resolver = new SubscriptionResolver(this.topics);
    const counts = new Map<string, number>();
    const members = [...group.members.values()].map((m) => {
      const topicIds = new Set<string>();
      for (const t of resolver.memberTopics(m)) {
        topicIds.add(t.topicId);
        counts.set(t.topicId, t.partitions);
      }
      return { memberId: m.memberId, instanceId: m.instanceId, topicIds, previous: group.target(m.memberId) };
    });
    const result = assignor.assign({ members, partitions: (id) => counts.get(id) ?? 0 });
    for (const m of members) {
      const next = result.get(m.memberId) ?? new Map<string, Set<number>>();
      if (!assignmentsEqual(m.previous, next) || !group.targetAssignment.has(m.memberId)) {
        records.push(targetMemberRecord(group.groupId, m.memberId, next));
      }
      group.targetAssignment.set(m.memberId, next);
    }
    group.assignmentEpoch = group.groupEpoch;
    records.push(targetEpochRecord(group.groupId, group.assignmentEpoch));
    this.logger.debug('computed target assignment', { group: group.groupId, epoch: group.groupEpoch, assignor: assignor.name, members: members.length });
  }

  private reconcileMember(group: ConsumerGroup, member: ConsumerMember, owned: Assignment | null, records: PendingRecord[]): void {
    if (member.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) return;
    if (member.isReconciledTo(group.assignmentEpoch)) return;
    const next = reconcile({
      state: member.state,
      memberEpoch: member.memberEpoch,
      assigned: member.assigned,
      pendingRevocation: member.pendingRevocation,
      targetEpoch: group.assignmentEpoch,
      target: group.target(member.memberId),
      owned,
      partitionEpoch: (t, p) => (hasPartition(member.assigned, t, p) || hasPartition(member.pendingRevocation, t, p) ? -1 : group.partitionEpoch(t, p)),
    });
    const changed =
      next.state !== member.state ||
      next.memberEpoch !== member.memberEpoch ||
      !assignmentsEqual(next.assigned, member.assigned) ||
      !assignmentsEqual(next.pendingRevocation, member.pendingRevocation);
    if (!changed) return;
    group.updateOwnership(member, () => {
      member.previousMemberEpoch = member.memberEpoch;
      member.memberEpoch = next.memberEpoch;
      member.state = next.state;
      member.assigned = next.assigned;
      member.pendingRevocation = next.pendingRevocation;
    });
    records.push(currentAssignmentRecord(group.groupId, member));
    member.rebalanceTimer?.();
    member.rebalanceTimer = undefined;
    if (member.state === 'unrevoked_partitions') this.scheduleRebalanceTimeout(group, member);
  }

  // ── leave and fencing ────────────────────────────────────────────────────────────────────────

  private leave(req: HeartbeatRequest): HeartbeatResult {
    const group = this.consumerGroup(req.groupId);
    if (group === undefined) fail(ErrorCode.GROUP_ID_NOT_FOUND, this.notFoundMessage(req.groupId));
    const g = group!;
    let member: ConsumerMember | undefined;
    if (req.instanceId === null) {
      member = g.members.get(req.memberId);
      if (member === undefined) fail(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${req.memberId} is not a member of group ${g.groupId}.`);
    } else {
      member = g.staticMember(req.instanceId);
      if (member === undefined) fail(ErrorCode.UNKNOWN_MEMBER_ID, `Instance id ${req.instanceId} is unknown.`);
      if (member!.memberId !== req.memberId) {
        fail(ErrorCode.FENCED_INSTANCE_ID, `Static member ${req.memberId} with instance id ${req.instanceId} was fenced by member ${member!.memberId}.`);
      }
      if (req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
        // Gone for now (a rolling restart): keeps its assignment until its session expires.
        const m = member!;
        const restore = g.snapshot([m]);
        g.updateOwnership(m, () => {
          m.memberEpoch = LEAVE_GROUP_STATIC_MEMBER_EPOCH;
          m.pendingRevocation = new Map();
        });
        m.rebalanceTimer?.();
        m.rebalanceTimer = undefined;
        const err = this.host.write(g.groupId, [currentAssignmentRecord(g.groupId, m)]);
        if (err !== ErrorCode.NONE) {
          restore();
          this.rearmTimers(g);
          fail(err, 'The coordinator could not write the group state.');
        }
        this.logger.info('static member left consumer group temporarily', { group: g.groupId, member: m.memberId, instanceId: req.instanceId });
        return { errorCode: ErrorCode.NONE, errorMessage: null, memberId: m.memberId, memberEpoch: LEAVE_GROUP_STATIC_MEMBER_EPOCH, heartbeatIntervalMs: 0, assignment: null };
      }
    }
    const err = this.fence(g, member!, 'left the group');
    if (err !== ErrorCode.NONE) fail(err, 'The coordinator could not write the group state.');
    return { errorCode: ErrorCode.NONE, errorMessage: null, memberId: req.memberId, memberEpoch: req.memberEpoch, heartbeatIntervalMs: 0, assignment: null };
  }

  /** Removes a member and bumps the group epoch so the others rebalance. */
  fence(group: ConsumerGroup, member: ConsumerMember, reason: string): number {
    const now = this.host.scheduler.now();
    const restore = group.snapshot([member]);
    group.remove(member.memberId, now);
    const records = memberTombstones(group.groupId, member.memberId);
    this.refreshSubscriptions(group, records);
    group.groupEpoch++;
    records.push(groupEpochRecord(group.groupId, group.groupEpoch));
    const err = this.host.write(group.groupId, records);
    if (err !== ErrorCode.NONE) {
      // Nothing written: the member stays, and gets a new session to leave or expire in.
      restore();
      this.rearmTimers(group);
      this.logger.warn(`could not write that a member ${reason}`, { group: group.groupId, member: member.memberId, errorCode: err });
      return err;
    }
    this.logger.info(`member ${reason}`, { group: group.groupId, member: member.memberId, groupEpoch: group.groupEpoch });
    return err;
  }

  /** The member's session: it must heartbeat again within group.consumer.session.timeout.ms. */
  scheduleSession(group: ConsumerGroup, member: ConsumerMember): void {
    member.session?.();
    member.session = this.host.scheduler.schedule(this.settings.sessionTimeoutMs, () => {
      member.session = undefined;
      if (group.isDead() || group.members.get(member.memberId) !== member) return;
      this.fence(group, member, 'fenced: session expired');
    });
  }

  /** A member asked to revoke must do so within its rebalance timeout, or it is fenced. */
  scheduleRebalanceTimeout(group: ConsumerGroup, member: ConsumerMember): void {
    const epoch = member.memberEpoch;
    const timeout = member.rebalanceTimeoutMs > 0 ? member.rebalanceTimeoutMs : this.settings.sessionTimeoutMs;
    member.rebalanceTimer = this.host.scheduler.schedule(timeout, () => {
      member.rebalanceTimer = undefined;
      if (group.isDead() || group.members.get(member.memberId) !== member || member.memberEpoch !== epoch) return;
      this.fence(group, member, `fenced: did not revoke partitions within ${timeout} ms`);
    });
  }
}
