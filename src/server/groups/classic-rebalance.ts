/**
 * The rebalance engine of the classic group protocol (Kafka's classic coordinator): the join phase
 * (PreparingRebalance, ended when every member has rejoined or the largest rebalance timeout passes,
 * with the optional initial delay of an Empty group), its completion (generation, leader, protocol
 * vote, CompletingRebalance), member sessions and their expiry, and member removal. The requests
 * that drive it (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) are in ./classic.ts.
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { Logger } from '../logger.js';
import { ClassicGroup, ClassicMember, joinError, syncError, type Group, type JoinResult } from './group.js';
import type { Scheduler } from './scheduler.js';

export interface ClassicSettings {
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
  readonly initialRebalanceDelayMs: number;
  readonly maxSize: number;
}

/** What the classic protocol needs from the coordinator around it. */
export interface ClassicHost {
  readonly settings: ClassicSettings;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  /** The group with this id (any type), if any. */
  group(groupId: string): Group | undefined;
  /** Creates (and registers) an empty classic group, replacing an empty group of another type. */
  createClassicGroup(groupId: string): ClassicGroup;
  /** Persists the group's metadata record; NONE or the error to report. */
  storeGroup(group: ClassicGroup): number;
}

/** An empty assignment (a member the leader assigned nothing, or before any assignment). */
export const EMPTY_ASSIGNMENT = Buffer.alloc(0);

/** Groups in an initial delay that gained a member since the delay was (re)armed. */
const newMemberAdded = new WeakSet<ClassicGroup>();

export class ClassicRebalance {
  constructor(private readonly host: ClassicHost) {}

  private get now(): number {
    return this.host.scheduler.now();
  }

  /** A member joined a group in its initial rebalance delay: the delay is extended once more. */
  noteNewMember(group: ClassicGroup): void {
    if (group.is('PreparingRebalance') && group.initialDelayActive) newMemberAdded.add(group);
  }

  /** The JoinGroup answer of a member in the current generation: the leader gets every member's metadata. */
  currentJoinResult(group: ClassicGroup, member: ClassicMember): JoinResult {
    const protocol = group.protocolName ?? '';
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      memberId: member.memberId,
      members: group.isLeader(member.memberId)
        ? [...group.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadataFor(protocol) }))
        : [],
    };
  }

  // ── rebalance phases ─────────────────────────────────────────────────────────────────────────

  maybePrepareRebalance(group: ClassicGroup, reason: string): void {
    if (group.is('Stable') || group.is('CompletingRebalance') || group.is('Empty')) this.prepareRebalance(group, reason);
    else if (group.is('PreparingRebalance')) this.checkJoinComplete(group);
  }

  prepareRebalance(group: ClassicGroup, reason: string): void {
    if (group.is('CompletingRebalance')) this.resetAssignments(group, ErrorCode.REBALANCE_IN_PROGRESS);
    const wasEmpty = group.is('Empty');
    group.transition('PreparingRebalance', this.now);
    group.joinTimer?.();
    const rebalanceTimeout = group.rebalanceTimeoutMs();
    const delay = this.host.settings.initialRebalanceDelayMs;
    this.host.logger.info('preparing to rebalance group', { group: group.groupId, generation: group.generationId, reason });
    if (wasEmpty && delay > 0) {
      group.initialDelayActive = true;
      this.scheduleInitialDelay(group, Math.min(delay, rebalanceTimeout), Math.max(rebalanceTimeout - delay, 0));
    } else {
      group.joinTimer = this.host.scheduler.schedule(rebalanceTimeout, () => this.completeJoin(group));
      this.checkJoinComplete(group);
    }
  }

  private scheduleInitialDelay(group: ClassicGroup, delayMs: number, remainingMs: number): void {
    group.joinTimer = this.host.scheduler.schedule(delayMs, () => {
      if (!group.is('PreparingRebalance')) return;
      if (newMemberAdded.has(group) && remainingMs > 0) {
        newMemberAdded.delete(group);
        const next = Math.min(this.host.settings.initialRebalanceDelayMs, remainingMs);
        this.scheduleInitialDelay(group, next, Math.max(remainingMs - next, 0));
        return;
      }
      newMemberAdded.delete(group);
      group.initialDelayActive = false;
      this.completeJoin(group);
    });
  }

  checkJoinComplete(group: ClassicGroup): void {
    if (group.is('PreparingRebalance') && !group.initialDelayActive && group.hasAllMembersJoined()) this.completeJoin(group);
  }

  /** Ends the join phase (everyone rejoined, or the deadline passed). Kafka's onCompleteJoin. */
  private completeJoin(group: ClassicGroup): void {
    if (!group.is('PreparingRebalance')) return;
    group.joinTimer?.();
    group.joinTimer = undefined;
    group.initialDelayActive = false;
    for (const m of [...group.members.values()]) {
      if (m.awaitingJoin === undefined && m.groupInstanceId === null) {
        group.remove(m.memberId);
        this.host.logger.info('member removed: did not rejoin in time', { group: group.groupId, memberId: m.memberId });
      }
    }
    if (!group.isEmpty() && !group.electJoinedLeader()) {
      // Only static members that have not rejoined remain: wait for them (or their session expiry).
      group.joinTimer = this.host.scheduler.schedule(group.rebalanceTimeoutMs(), () => this.completeJoin(group));
      return;
    }
    group.generationId++;
    if (group.isEmpty()) {
      group.protocolName = null;
      group.leaderId = null;
      group.transition('Empty', this.now);
      this.host.logger.info('group is empty', { group: group.groupId, generation: group.generationId });
      const err = this.host.storeGroup(group);
      if (err !== ErrorCode.NONE) this.host.logger.warn('could not persist empty group', { group: group.groupId, error: err });
      return;
    }
    group.protocolName = group.selectProtocol();
    group.transition('CompletingRebalance', this.now);
    this.host.logger.info('group rebalanced', {
      group: group.groupId,
      generation: group.generationId,
      protocol: group.protocolName,
      members: group.members.size,
      leader: group.leaderId,
    });
    for (const m of group.members.values()) {
      const answer = m.awaitingJoin;
      if (answer === undefined) continue;
      m.awaitingJoin = undefined;
      m.isNew = false;
      this.scheduleSession(group, m);
      answer(this.currentJoinResult(group, m));
    }
  }

  /** Clears every assignment and answers members waiting in SyncGroup with `errorCode`. */
  resetAssignments(group: ClassicGroup, errorCode: number): void {
    for (const m of group.members.values()) {
      m.assignment = EMPTY_ASSIGNMENT;
      const answer = m.awaitingSync;
      m.awaitingSync = undefined;
      answer?.(syncError(errorCode));
    }
  }

  // ── member removal ───────────────────────────────────────────────────────────────────────────

  /** Removes a member (left or expired), answers its pending requests, and rebalances the rest. */
  removeMemberAndUpdateGroup(group: ClassicGroup, member: ClassicMember, reason: string): void {
    const join = member.awaitingJoin;
    const sync = member.awaitingSync;
    member.awaitingJoin = undefined;
    member.awaitingSync = undefined;
    group.remove(member.memberId);
    join?.(joinError(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    sync?.(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (group.is('Stable') || group.is('CompletingRebalance')) this.prepareRebalance(group, reason);
    else if (group.is('PreparingRebalance')) this.checkJoinComplete(group);
  }

  // ── sessions ─────────────────────────────────────────────────────────────────────────────────

  /** (Re)starts the member's session timer: `timeoutMs` without a heartbeat and it is removed. */
  scheduleSession(group: ClassicGroup, member: ClassicMember, timeoutMs = member.sessionTimeoutMs): void {
    member.session?.();
    member.session = this.host.scheduler.schedule(timeoutMs, () => this.sessionExpired(group, member));
  }

  private sessionExpired(group: ClassicGroup, member: ClassicMember): void {
    member.session = undefined;
    if (group.isDead() || group.members.get(member.memberId) !== member) return;
    // Kafka keeps alive a member waiting in SyncGroup, or an old member waiting in JoinGroup.
    if (member.awaitingSync !== undefined || (member.awaitingJoin !== undefined && !member.isNew)) {
      this.scheduleSession(group, member);
      return;
    }
    this.host.logger.info('member session expired', { group: group.groupId, memberId: member.memberId, sessionTimeoutMs: member.sessionTimeoutMs });
    this.removeMemberAndUpdateGroup(group, member, `member ${member.memberId} session expired`);
  }
}
