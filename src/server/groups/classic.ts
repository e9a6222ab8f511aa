/**
 * The classic group protocol: JoinGroup, SyncGroup, Heartbeat, LeaveGroup, and the timers behind them
 * (session expiry, rebalance deadline, initial rebalance delay), following Kafka's classic coordinator:
 *
 *   - A new dynamic member (v4+) first gets MEMBER_ID_REQUIRED with its member id and must join again
 *     with it (KIP-394); the id is pending until then and expires after the session timeout.
 *   - A join of a new member, a member that changes its protocols, the leader rejoining, a leave or a
 *     session expiry moves the group to PreparingRebalance. The join phase ends when every known member
 *     has rejoined (at once, no waiting) or when the largest rebalance timeout passes; dynamic members
 *     that did not rejoin are removed. Then the generation advances, a protocol every member supports
 *     is chosen by vote, and the leader receives every member's metadata (CompletingRebalance).
 *   - The leader's SyncGroup carries the assignment: it is persisted, handed to every member waiting in
 *     SyncGroup, and the group becomes Stable.
 *   - Static members (group.instance.id, KIP-345): a restarted member with a known instance id takes
 *     its old place under a new member id; in a Stable group with unchanged protocols that is no
 *     rebalance at all (the others keep their assignment). The old member id is fenced
 *     (FENCED_INSTANCE_ID). Static members that do not rejoin a rebalance keep their place until their
 *     session expires.
 *   - group.initial.rebalance.delay.ms: the first rebalance of an Empty group waits this long for more
 *     members (extended while members keep arriving, up to the rebalance timeout). Brook's default is 0.
 * This file answers the requests; the rebalance phases and member sessions are in ./classic-rebalance.ts.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../protocol/errors.js';
import { ClassicRebalance, EMPTY_ASSIGNMENT, type ClassicHost } from './classic-rebalance.js';
import { ClassicGroup, ClassicMember, joinError, syncError, type JoinResult, type Protocol, type SyncResult } from './group.js';

export type { ClassicHost, ClassicSettings } from './classic-rebalance.js';

/** Kafka's timeout for a new member that joined but never completed a rebalance (KIP-394). */
const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

export interface JoinRequest {
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly protocolType: string;
  readonly protocols: readonly Protocol[];
  readonly clientId: string;
  readonly clientHost: string;
  /** JoinGroup v4+: a new member must learn its id first (KIP-394). */
  readonly requireKnownMemberId: boolean;
  readonly reason: string | null;
}

export interface SyncRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignments: ReadonlyArray<{ readonly memberId: string; readonly assignment: Buffer }>;
}

export interface HeartbeatRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface MemberIdentity {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface LeaveResult {
  readonly errorCode: number;
  readonly members: ReadonlyArray<MemberIdentity & { readonly errorCode: number }>;
}

export class ClassicProtocol {
  private readonly rebalance: ClassicRebalance;

  constructor(private readonly host: ClassicHost) {
    this.rebalance = new ClassicRebalance(host);
  }

  private get now(): number {
    return this.host.scheduler.now();
  }


  // ── JoinGroup ────────────────────────────────────────────────────────────────────────────────

  join(req: JoinRequest): Promise<JoinResult> {
    const s = this.host.settings;
    if (req.groupId === '') return Promise.resolve(joinError(ErrorCode.INVALID_GROUP_ID, req.memberId));
    if (req.sessionTimeoutMs < s.minSessionTimeoutMs || req.sessionTimeoutMs > s.maxSessionTimeoutMs) {
      return Promise.resolve(joinError(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId));
    }
    if (req.protocolType === '' || req.protocols.length === 0) {
      return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    }
    const isNewMember = req.memberId === '';
    let existing = this.host.group(req.groupId);
    if (existing !== undefined && existing.type !== 'classic' && !existing.isEmpty()) {
      // A KIP-848 consumer group with members: classic members cannot join it here.
      return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    }
    if (existing !== undefined && existing.type !== 'classic') existing = undefined;
    if (existing === undefined && !isNewMember) return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
    const group = (existing as ClassicGroup | undefined) ?? this.host.createClassicGroup(req.groupId);
    if (!group.supportsProtocols(req.protocolType, req.protocols)) {
      return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    }
    return new Promise((resolve) => {
      if (isNewMember) this.joinNewMember(group, req, resolve);
      else this.joinKnownMember(group, req, resolve);
    });
  }

  private joinNewMember(group: ClassicGroup, req: JoinRequest, resolve: (r: JoinResult) => void): void {
    const memberId = `${req.clientId}-${randomUUID()}`;
    if (req.groupInstanceId !== null) {
      const oldMemberId = group.staticMembers.get(req.groupInstanceId);
      if (oldMemberId !== undefined) {
        this.rejoinStaticMember(group, req, oldMemberId, memberId, resolve);
        return;
      }
    }
    if (group.members.size + group.pendingMembers.size >= this.host.settings.maxSize) {
      resolve(joinError(ErrorCode.GROUP_MAX_SIZE_REACHED, ''));
      return;
    }
    if (req.groupInstanceId === null && req.requireKnownMemberId) {
      const expire = this.host.scheduler.schedule(req.sessionTimeoutMs, () => {
        if (group.pendingMembers.delete(memberId)) this.rebalance.checkJoinComplete(group);
      });
      group.pendingMembers.set(memberId, expire);
      resolve(joinError(ErrorCode.MEMBER_ID_REQUIRED, memberId));
      return;
    }
    this.addMemberAndRebalance(group, req, memberId, resolve);
  }

  private joinKnownMember(group: ClassicGroup, req: JoinRequest, resolve: (r: JoinResult) => void): void {
    const pending = group.pendingMembers.get(req.memberId);
    if (pending !== undefined) {
      pending();
      group.pendingMembers.delete(req.memberId);
      this.addMemberAndRebalance(group, req, req.memberId, resolve);
      return;
    }
    if (group.isStaticMemberFenced(req.groupInstanceId, req.memberId)) {
      resolve(joinError(ErrorCode.FENCED_INSTANCE_ID, req.memberId));
      return;
    }
    const member = group.members.get(req.memberId);
    if (member === undefined || member.groupInstanceId !== req.groupInstanceId) {
      resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
      return;
    }
    switch (group.state) {
      case 'PreparingRebalance':
        this.updateMemberAndRebalance(group, member, req, resolve);
        return;
      case 'CompletingRebalance':
        // A retried JoinGroup whose answer was lost: give the same answer again.
        if (member.sameProtocols(req.protocols)) resolve(this.rebalance.currentJoinResult(group, member));
        else this.updateMemberAndRebalance(group, member, req, resolve);
        return;
      case 'Stable':
        if (group.isLeader(member.memberId) || !member.sameProtocols(req.protocols)) {
          this.updateMemberAndRebalance(group, member, req, resolve);
        } else {
          this.scheduleSession(group, member);
          resolve(this.rebalance.currentJoinResult(group, member));
        }
        return;
      default:
        resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
    }
  }

  private rejoinStaticMember(
    group: ClassicGroup,
    req: JoinRequest,
    oldMemberId: string,
    newMemberId: string,
    resolve: (r: JoinResult) => void,
  ): void {
    const previousLeader = group.leaderId;
    const member = group.replaceStaticMember(req.groupInstanceId!, oldMemberId, newMemberId);
    const oldProtocols = member.protocols;
    const oldTimeouts = [member.rebalanceTimeoutMs, member.sessionTimeoutMs] as const;
    this.applyJoin(member, req);
    this.host.logger.info('static member rejoined', { group: group.groupId, instance: req.groupInstanceId, memberId: newMemberId, state: group.state });
    switch (group.state) {
      case 'Stable': {
        if (group.protocolName !== null && group.selectProtocol() === group.protocolName) {
          const err = this.host.storeGroup(group);
          if (err !== ErrorCode.NONE) {
            // Put the old member back, as Kafka does when the store fails.
            member.protocols = oldProtocols;
            [member.rebalanceTimeoutMs, member.sessionTimeoutMs] = oldTimeouts;
            group.replaceStaticMember(req.groupInstanceId!, newMemberId, oldMemberId);
            this.scheduleSession(group, member);
            resolve(joinError(err, newMemberId));
            return;
          }
          this.scheduleSession(group, member);
          // The previous leader id is answered so that a rejoining leader does not compute a new
          // assignment a Stable group would never hand out; it syncs and gets its old assignment.
          resolve({
            errorCode: ErrorCode.NONE,
            generationId: group.generationId,
            protocolType: group.protocolType,
            protocolName: group.protocolName,
            leader: previousLeader ?? '',
            memberId: newMemberId,
            members: [],
          });
        } else {
          member.awaitingJoin = resolve;
          this.scheduleSession(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
          this.rebalance.prepareRebalance(group, `static member ${req.groupInstanceId} rejoined with other protocols`);
        }
        return;
      }
      case 'CompletingRebalance':
        // The leader may already be assigning to the old member id: rebalance again.
        member.awaitingJoin = resolve;
        this.rebalance.prepareRebalance(group, `static member ${req.groupInstanceId} rejoined during CompletingRebalance`);
        return;
      default:
        // PreparingRebalance: answered when the join phase completes.
        member.awaitingJoin = resolve;
        this.scheduleSession(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
        this.rebalance.checkJoinComplete(group);
    }
  }

  private applyJoin(member: ClassicMember, req: JoinRequest): void {
    member.protocols = req.protocols;
    member.protocolType = req.protocolType;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.clientId = req.clientId;
    member.clientHost = req.clientHost;
  }

  private addMemberAndRebalance(group: ClassicGroup, req: JoinRequest, memberId: string, resolve: (r: JoinResult) => void): void {
    const member = new ClassicMember(
      memberId,
      req.groupInstanceId,
      req.clientId,
      req.clientHost,
      req.rebalanceTimeoutMs,
      req.sessionTimeoutMs,
      req.protocolType,
      req.protocols,
    );
    member.isNew = true;
    member.awaitingJoin = resolve;
    group.add(member);
    this.rebalance.noteNewMember(group);
    this.scheduleSession(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
    this.rebalance.maybePrepareRebalance(group, `member ${memberId} joined${req.reason ? ` (${req.reason})` : ''}`);
  }

  private updateMemberAndRebalance(group: ClassicGroup, member: ClassicMember, req: JoinRequest, resolve: (r: JoinResult) => void): void {
    this.applyJoin(member, req);
    // A second JoinGroup from the same member replaces the first; the first must still be answered.
    member.awaitingJoin?.(joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
    member.awaitingJoin = resolve;
    this.scheduleSession(group, member);
    this.rebalance.maybePrepareRebalance(group, `member ${member.memberId} rejoined${req.reason ? ` (${req.reason})` : ''}`);
  }

  // ── SyncGroup ────────────────────────────────────────────────────────────────────────────────

  sync(req: SyncRequest): Promise<SyncResult> {
    const g = this.host.group(req.groupId);
    if (req.groupId === '') return Promise.resolve(syncError(ErrorCode.INVALID_GROUP_ID));
    if (g === undefined || g.type !== 'classic') return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    const group = g as ClassicGroup;
    const invalid = group.validateMember(req.memberId, req.groupInstanceId);
    if (invalid !== ErrorCode.NONE) return Promise.resolve(syncError(invalid));
    const member = group.members.get(req.memberId)!;
    if (req.generationId !== group.generationId) return Promise.resolve(syncError(ErrorCode.ILLEGAL_GENERATION));
    if (
      (req.protocolType !== null && req.protocolType !== group.protocolType) ||
      (req.protocolName !== null && req.protocolName !== group.protocolName)
    ) {
      return Promise.resolve(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    switch (group.state) {
      case 'PreparingRebalance':
        return Promise.resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'Stable':
        this.scheduleSession(group, member);
        return Promise.resolve(this.syncResult(group, member.assignment));
      case 'CompletingRebalance':
        return new Promise((resolve) => {
          member.awaitingSync?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
          member.awaitingSync = resolve;
          this.scheduleSession(group, member);
          if (group.isLeader(member.memberId)) this.applyLeaderAssignment(group, req.assignments);
        });
      default:
        return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private applyLeaderAssignment(group: ClassicGroup, assignments: SyncRequest['assignments']): void {
    const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
    // Persist first (with the new assignment); members get it only once it is durable.
    const previous = new Map([...group.members.values()].map((m) => [m.memberId, m.assignment]));
    for (const m of group.members.values()) m.assignment = byMember.get(m.memberId) ?? EMPTY_ASSIGNMENT;
    const err = this.host.storeGroup(group);
    if (err !== ErrorCode.NONE) {
      for (const m of group.members.values()) m.assignment = previous.get(m.memberId) ?? EMPTY_ASSIGNMENT;
      this.rebalance.resetAssignments(group, err);
      this.rebalance.prepareRebalance(group, 'could not persist the assignment');
      return;
    }
    group.transition('Stable', this.now);
    for (const m of group.members.values()) {
      const answer = m.awaitingSync;
      m.awaitingSync = undefined;
      answer?.(this.syncResult(group, m.assignment));
    }
  }

  private syncResult(group: ClassicGroup, assignment: Buffer): SyncResult {
    return { errorCode: ErrorCode.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment };
  }

  // ── Heartbeat ────────────────────────────────────────────────────────────────────────────────

  heartbeat(req: HeartbeatRequest): number {
    const g = this.host.group(req.groupId);
    if (req.groupId === '') return ErrorCode.INVALID_GROUP_ID;
    if (g === undefined || g.type !== 'classic') return ErrorCode.UNKNOWN_MEMBER_ID;
    const group = g as ClassicGroup;
    const invalid = group.validateMember(req.memberId, req.groupInstanceId);
    if (invalid !== ErrorCode.NONE) return invalid;
    const member = group.members.get(req.memberId)!;
    if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    switch (group.state) {
      case 'CompletingRebalance':
      case 'Stable':
        this.scheduleSession(group, member);
        return ErrorCode.NONE;
      case 'PreparingRebalance':
        this.scheduleSession(group, member);
        return ErrorCode.REBALANCE_IN_PROGRESS;
      default:
        return ErrorCode.UNKNOWN_MEMBER_ID;
    }
  }

  /** An offset commit from a member counts as a heartbeat (as in Kafka). */
  touch(group: ClassicGroup, memberId: string): void {
    const member = group.members.get(memberId);
    if (member !== undefined && (group.is('Stable') || group.is('PreparingRebalance'))) this.scheduleSession(group, member);
  }

  // ── LeaveGroup ───────────────────────────────────────────────────────────────────────────────

  leave(groupId: string, members: readonly MemberIdentity[], reason: string | null): LeaveResult {
    const g = this.host.group(groupId);
    if (groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
    if (g === undefined || g.type !== 'classic') {
      return { errorCode: ErrorCode.NONE, members: members.map((m) => ({ ...m, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })) };
    }
    const group = g as ClassicGroup;
    const out = members.map((who) => ({ ...who, errorCode: this.leaveOne(group, who, reason) }));
    return { errorCode: ErrorCode.NONE, members: out };
  }

  private leaveOne(group: ClassicGroup, who: MemberIdentity, reason: string | null): number {
    let memberId = who.memberId;
    if (who.groupInstanceId !== null) {
      const current = group.staticMembers.get(who.groupInstanceId);
      if (memberId === '') {
        if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
        memberId = current;
      } else if (current !== undefined && current !== memberId) {
        return ErrorCode.FENCED_INSTANCE_ID;
      }
    }
    const pending = group.pendingMembers.get(memberId);
    if (pending !== undefined) {
      pending();
      group.pendingMembers.delete(memberId);
      this.rebalance.checkJoinComplete(group);
      return ErrorCode.NONE;
    }
    const member = group.members.get(memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.host.logger.info('member left group', { group: group.groupId, memberId, reason: reason ?? undefined });
    this.rebalance.removeMemberAndUpdateGroup(group, member, `member ${memberId} left`);
    return ErrorCode.NONE;
  }

  /** (Re)starts the member's session timer: `timeoutMs` without a heartbeat and it is removed. */
  scheduleSession(group: ClassicGroup, member: ClassicMember, timeoutMs = member.sessionTimeoutMs): void {
    this.rebalance.scheduleSession(group, member, timeoutMs);
  }
}
