/**
 * Groups as the coordinator keeps them. `Group` is what every group type offers the shared parts
 * (offset commits and fetches, retention, the admin APIs); `ClassicGroup` is the classic-protocol
 * group (JoinGroup/SyncGroup) and its state machine. KIP-848 consumer groups (ConsumerGroupHeartbeat)
 * implement `Group` with type 'consumer' and live in the same registry (see ./coordinator.ts).
 *
 * Classic states and the transitions Kafka allows (GroupMetadata.scala / ClassicGroupState):
 *   Empty               ← PreparingRebalance                    (no members; offsets may remain)
 *   PreparingRebalance  ← Stable | CompletingRebalance | Empty  (waiting for members to (re)join)
 *   CompletingRebalance ← PreparingRebalance                    (waiting for the leader's assignment)
 *   Stable              ← CompletingRebalance                   (assignment handed out; heartbeats)
 *   Dead                ← any                                   (deleted, or offsets expired while Empty)
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { PendingRecord } from './persistence.js';
import type { Cancel } from './scheduler.js';

export type GroupType = 'classic' | 'consumer';

/** Who commits offsets (OffsetCommit v1+, TxnOffsetCommit); generation is the member epoch for consumer groups. */
export interface CommitIdentity {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly generationIdOrMemberEpoch: number;
  /** OffsetCommit version (KIP-848 groups answer differently before v9). */
  readonly apiVersion: number;
  /** TxnOffsetCommit: KIP-848 members may commit with any version of it (no v9 requirement). */
  readonly transactional?: boolean;
}

/** What every group type offers the offsets store and the admin APIs. */
export interface Group {
  readonly groupId: string;
  readonly type: GroupType;
  /** State as DescribeGroups / ListGroups spell it ('Stable', 'Empty', …). */
  stateName(): string;
  /** ListGroups' protocol type ('consumer' for KIP-848 groups; '' for offsets-only groups). */
  protocolTypeName(): string;
  /** No members (DeleteGroups and offset retention need this). */
  isEmpty(): boolean;
  isDead(): boolean;
  /** Ends the group (deleted, or expired): pending requests are answered, timers cancelled. */
  markDead(): void;
  /** NONE, or the error an OffsetCommit from this identity gets. */
  validateOffsetCommit(who: CommitIdentity): number;
  /** OffsetFetch v9+ member check (KIP-848 groups); classic groups accept every fetch. */
  validateOffsetFetch?(memberId: string | null, memberEpoch: number): number;
  /** Topics some member subscribes to; undefined when the group's protocol is not the consumer protocol. */
  subscribedTopics(): ReadonlySet<string> | undefined;
  /** When the group last became Empty (base of offsets.retention.minutes); -1 while it has members. */
  emptySince(): number;
  /** Tombstones of the group's own records for DeleteGroups (default: the classic GroupMetadata key). */
  deletionRecords?(): PendingRecord[];
}

export type ClassicGroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

const VALID_PREVIOUS: Readonly<Record<ClassicGroupState, readonly ClassicGroupState[]>> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead'],
};

export interface JoinMemberInfo {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Buffer;
}

/** What a JoinGroup call is answered with. */
export interface JoinResult {
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leader: string;
  readonly memberId: string;
  readonly members: readonly JoinMemberInfo[];
}

export interface SyncResult {
  readonly errorCode: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: Buffer;
}

export interface Protocol {
  readonly name: string;
  readonly metadata: Buffer;
}

const EMPTY = Buffer.alloc(0);

export class ClassicMember {
  assignment: Buffer = EMPTY;
  /** Set while a JoinGroup of this member waits for the rebalance to complete. */
  awaitingJoin: ((r: JoinResult) => void) | undefined;
  /** Set while a SyncGroup of this member waits for the leader's assignment. */
  awaitingSync: ((r: SyncResult) => void) | undefined;
  /** Joined in the current rebalance and never completed one (its session is the join timeout). */
  isNew = false;
  /** Session expiry timer. */
  session: Cancel | undefined;

  constructor(
    public memberId: string,
    readonly groupInstanceId: string | null,
    public clientId: string,
    public clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    public protocolType: string,
    public protocols: readonly Protocol[],
  ) {}

  metadataFor(protocol: string): Buffer {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? EMPTY;
  }

  /** Same protocol names and metadata, in the same order (a rejoin that changes nothing). */
  sameProtocols(protocols: readonly Protocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every((p, i) => p.name === this.protocols[i]!.name && p.metadata.equals(this.protocols[i]!.metadata))
    );
  }
}

export class ClassicGroup implements Group {
  readonly type = 'classic';
  state: ClassicGroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, ClassicMember>();
  /** group.instance.id → member id (KIP-345). */
  readonly staticMembers = new Map<string, string>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, not yet joined with (KIP-394), and their expiry. */
  readonly pendingMembers = new Map<string, Cancel>();
  /** Deadline of the current join phase (rebalance timeout or initial delay). */
  joinTimer: Cancel | undefined;
  /** While the initial delay runs, joins do not complete the phase early. */
  initialDelayActive = false;
  stateTimestamp: number;
  private subscriptionCache: { generation: number; topics: ReadonlySet<string> | undefined } | undefined;

  constructor(
    readonly groupId: string,
    now: number,
    private readonly parseSubscription: (metadata: Buffer) => readonly string[] | undefined,
  ) {
    this.stateTimestamp = now;
  }

  transition(to: ClassicGroupState, now: number): void {
    if (!VALID_PREVIOUS[to].includes(this.state)) {
      throw new Error(`group ${this.groupId}: illegal transition ${this.state} → ${to}`);
    }
    this.state = to;
    this.stateTimestamp = now;
  }

  is(state: ClassicGroupState): boolean {
    return this.state === state;
  }

  stateName(): string {
    return this.state;
  }

  protocolTypeName(): string {
    return this.protocolType ?? '';
  }

  isEmpty(): boolean {
    return this.members.size === 0;
  }

  isDead(): boolean {
    return this.state === 'Dead';
  }

  emptySince(): number {
    return this.state === 'Empty' || this.state === 'Dead' ? this.stateTimestamp : -1;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  /** A member with this instance id exists under another member id: the caller is a fenced zombie. */
  isStaticMemberFenced(groupInstanceId: string | null, memberId: string): boolean {
    if (groupInstanceId === null) return false;
    const current = this.staticMembers.get(groupInstanceId);
    return current !== undefined && current !== memberId;
  }

  add(member: ClassicMember): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    if (this.leaderId === null) this.leaderId = member.memberId;
  }

  remove(memberId: string): ClassicMember | undefined {
    const m = this.members.get(memberId);
    if (m === undefined) return undefined;
    this.members.delete(memberId);
    if (m.groupInstanceId !== null && this.staticMembers.get(m.groupInstanceId) === memberId) {
      this.staticMembers.delete(m.groupInstanceId);
    }
    m.session?.();
    m.session = undefined;
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
    return m;
  }

  /** KIP-345: a restarted static member takes over its old member's place under a new member id. */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): ClassicMember {
    const m = this.members.get(oldMemberId)!;
    this.members.delete(oldMemberId);
    m.session?.();
    m.session = undefined;
    // The old incarnation's pending calls are answered: it has been fenced.
    m.awaitingJoin?.(joinError(ErrorCode.FENCED_INSTANCE_ID, oldMemberId));
    m.awaitingJoin = undefined;
    m.awaitingSync?.(syncError(ErrorCode.FENCED_INSTANCE_ID));
    m.awaitingSync = undefined;
    m.memberId = newMemberId;
    this.members.set(newMemberId, m);
    this.subscriptionCache = undefined; // the rejoined member may bring new metadata in the same generation
    this.staticMembers.set(groupInstanceId, newMemberId);
    if (this.leaderId === oldMemberId) this.leaderId = newMemberId;
    return m;
  }

  /** Largest rebalance timeout of the members: how long a rebalance waits for them to rejoin. */
  rebalanceTimeoutMs(): number {
    let t = 0;
    for (const m of this.members.values()) if (m.rebalanceTimeoutMs > t) t = m.rebalanceTimeoutMs;
    return t;
  }

  awaitingJoinCount(): number {
    let n = 0;
    for (const m of this.members.values()) if (m.awaitingJoin !== undefined) n++;
    return n;
  }

  hasAllMembersJoined(): boolean {
    return this.awaitingJoinCount() === this.members.size && this.pendingMembers.size === 0;
  }

  /** Protocols every member supports. */
  candidateProtocols(): string[] {
    const members = [...this.members.values()];
    if (members.length === 0) return [];
    return members[0]!.protocols.map((p) => p.name).filter((name) => members.every((m) => m.protocols.some((q) => q.name === name)));
  }

  /** Whether a member with these protocols could join the group as it is. */
  supportsProtocols(protocolType: string, protocols: readonly Protocol[]): boolean {
    if (this.members.size === 0) return protocolType !== '' && protocols.length > 0;
    if (protocolType !== this.protocolType) return false;
    const candidates = this.candidateProtocols();
    return protocols.some((p) => candidates.includes(p.name));
  }

  /**
   * Kafka's protocol selection: among the protocols every member supports, each member votes for the
   * first one in its own preference order; the most votes win (ties: earliest in the first member's order).
   */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    if (candidates.length === 0) throw new Error(`group ${this.groupId}: no protocol all members support`);
    const votes = new Map<string, number>(candidates.map((c) => [c, 0]));
    for (const m of this.members.values()) {
      const choice = m.protocols.find((p) => votes.has(p.name))!.name;
      votes.set(choice, votes.get(choice)! + 1);
    }
    let best = candidates[0]!;
    for (const c of candidates) if (votes.get(c)! > votes.get(best)!) best = c;
    return best;
  }

  /** If the leader has not rejoined, a member that has takes over. False when nobody rejoined. */
  electJoinedLeader(): boolean {
    const leader = this.leaderId === null ? undefined : this.members.get(this.leaderId);
    if (leader?.awaitingJoin !== undefined) return true;
    for (const m of this.members.values()) {
      if (m.awaitingJoin !== undefined) {
        this.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  markDead(): void {
    if (this.state === 'Dead') return;
    this.state = 'Dead';
    this.joinTimer?.();
    this.joinTimer = undefined;
    for (const cancel of this.pendingMembers.values()) cancel();
    this.pendingMembers.clear();
    for (const m of this.members.values()) {
      m.session?.();
      m.awaitingJoin?.(joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, m.memberId));
      m.awaitingJoin = undefined;
      m.awaitingSync?.(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
      m.awaitingSync = undefined;
    }
  }

  /** Answers every waiting JoinGroup/SyncGroup with `errorCode` (coordinator shutting down). */
  answerPendingWith(errorCode: number): void {
    for (const m of this.members.values()) {
      m.awaitingJoin?.(joinError(errorCode, m.memberId));
      m.awaitingJoin = undefined;
      m.awaitingSync?.(syncError(errorCode));
      m.awaitingSync = undefined;
    }
  }

  /** Kafka's classic-group offset-commit check (ClassicGroup.validateOffsetCommit), TxnOffsetCommit included. */
  validateOffsetCommit(who: CommitIdentity): number {
    if (this.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    // Generation -1 on an empty group: the admin client or a consumer without group management.
    if (who.generationIdOrMemberEpoch < 0 && this.state === 'Empty') return ErrorCode.NONE;
    const transactional = who.transactional === true;
    if (who.generationIdOrMemberEpoch >= 0 || who.memberId !== '' || who.groupInstanceId !== null) {
      const err = this.validateMember(who.memberId, who.groupInstanceId);
      if (err !== ErrorCode.NONE) return err;
      if (who.generationIdOrMemberEpoch !== this.generationId) return ErrorCode.ILLEGAL_GENERATION;
    } else if (!transactional && this.state !== 'Empty') {
      // No member id and no generation (OffsetCommit v0): only an empty group accepts it.
      return ErrorCode.UNKNOWN_MEMBER_ID;
    }
    // A member with a valid generation that commits before its SyncGroup: let it retry after the sync.
    if (!transactional && this.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  /** Kafka's validateMember: a static member must be the current holder of its instance id. */
  validateMember(memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const current = this.staticMembers.get(groupInstanceId);
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (current !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
    }
    return this.members.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  subscribedTopics(): ReadonlySet<string> | undefined {
    if (this.protocolType !== 'consumer' || this.protocolName === null) return undefined;
    const cached = this.subscriptionCache;
    if (cached !== undefined && cached.generation === this.generationId) return cached.topics;
    let topics: Set<string> | undefined = new Set();
    for (const m of this.members.values()) {
      const parsed = this.parseSubscription(m.metadataFor(this.protocolName));
      if (parsed === undefined) {
        topics = undefined;
        break;
      }
      for (const t of parsed) topics.add(t);
    }
    this.subscriptionCache = { generation: this.generationId, topics };
    return topics;
  }
}

export function joinError(errorCode: number, memberId: string): JoinResult {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId, members: [] };
}

export function syncError(errorCode: number): SyncResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: EMPTY };
}
