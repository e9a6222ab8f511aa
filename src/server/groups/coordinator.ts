/**
 * The group coordinator: one per broker (`GroupCoordinator.of(ctx.broker)`), coordinator of every group
 * (single node). It owns
 *   - the group registry, shared by every group type: classic groups here, KIP-848 consumer groups
 *     registered by their own module through `group`/`register`/`unregister`;
 *   - the offsets store (./offsets.ts), shared by every group type, with Kafka's commit checks,
 *     offset retention (offsets.retention.minutes) and OffsetDelete;
 *   - the admin views (DescribeGroups and ListGroups in ./views.ts, DeleteGroups);
 *   - persistence in `__consumer_offsets` (./persistence.ts): loaded when the coordinator is created
 *     (at broker start when that topic exists), written synchronously before any answer.
 * The classic protocol itself is in ./classic.ts (`coordinator.classic`).
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { BrokerContext } from '../handler.js';
import type { Logger } from '../logger.js';
import { GROUP_METADATA_TOPIC, Topics } from '../topics/topics.js';
import { ClassicProtocol, type ClassicSettings } from './classic.js';
import { subscribedTopics } from './consumer-protocol.js';
import { ClassicGroup, type CommitIdentity, type Group } from './group.js';
import { findExpired } from './retention.js';
import { restoreClassicGroup } from './restore.js';
import { OffsetStore, type CommittedOffset, type FetchedOffsets } from './offsets.js';
import { GroupLog, type LoadStats, type OffsetsTopicAccess, type PendingRecord } from './persistence.js';
import {
  encodeGroupKey,
  encodeGroupValue,
  encodeOffsetKey,
  encodeOffsetValue,
  type CoordinatorRecord,
  type GroupMetadataValue,
} from './records.js';
import { TimerScheduler, type Scheduler } from './scheduler.js';
import { describeGroup, listGroups, type DescribedGroup, type ListedGroup } from './views.js';

export type { FetchedOffsets, FetchedPartition } from './offsets.js';
export type { DescribedGroup, DescribedMember, ListedGroup } from './views.js';

export interface GroupSettings extends ClassicSettings {
  /** offsets.retention.minutes, in ms. */
  readonly offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms */
  readonly retentionCheckIntervalMs: number;
  /** offset.metadata.max.bytes */
  readonly offsetMetadataMaxBytes: number;
}

export interface CommitPartition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
}

export interface CommitRequest extends CommitIdentity {
  readonly groupId: string;
  /** OffsetCommit v2-v4 retention_time_ms (-1: the broker's retention). */
  readonly retentionTimeMs: number;
  readonly partitions: readonly CommitPartition[];
}

const EMPTY = Buffer.alloc(0);

export class GroupCoordinator {
  readonly offsets = new OffsetStore();
  readonly classic: ClassicProtocol;
  /** Records of types this module does not interpret (KIP-848 group records), in log order, from the last load. */
  readonly otherRecords: Array<Extract<CoordinatorRecord, { kind: 'other' }>> = [];
  private readonly groups = new Map<string, Group>();
  /**
   * Group types kept in their own modules (KIP-848 consumer groups) attach here: each runs once per
   * broker coordinator, after the load, to replay its records (`otherRecords`) and register its groups.
   */
  static readonly attachments: Array<(coordinator: GroupCoordinator, broker: BrokerContext) => void> = [];
  private expiryTimer: (() => void) | undefined;
  /** While replaying __consumer_offsets (nothing is written then). */
  private loading = false;
  private closed = false;

  constructor(
    readonly settings: GroupSettings,
    readonly scheduler: Scheduler,
    private readonly logger: Logger,
    private readonly log: GroupLog,
  ) {
    this.classic = new ClassicProtocol({
      settings,
      scheduler,
      logger,
      group: (id) => this.groups.get(id),
      createClassicGroup: (id) => this.createClassicGroup(id),
      storeGroup: (g) => this.storeGroup(g),
    });
  }

  /**
   * The broker's coordinator, created (and loaded from __consumer_offsets) on first use: at broker start
   * when __consumer_offsets exists (../broker.ts), else on the first group request.
   */
  static of(broker: BrokerContext): GroupCoordinator {
    return broker.service('brook.groups', (b) => GroupCoordinator.forBroker(b));
  }

  private static forBroker(b: BrokerContext): GroupCoordinator {
    const c = b.config;
    const topics = Topics.of(b);
    const access: OffsetsTopicAccess = {
      partitions: () => topics.byName(GROUP_METADATA_TOPIC)?.partitions ?? c.get('offsets.topic.num.partitions'),
      partition: (index, create) => {
        if (create && topics.byName(GROUP_METADATA_TOPIC) === undefined) topics.ensureInternalTopic(GROUP_METADATA_TOPIC);
        return topics.partition(GROUP_METADATA_TOPIC, index);
      },
    };
    const scheduler = new TimerScheduler(b.clock);
    const settings: GroupSettings = {
      minSessionTimeoutMs: c.get('group.min.session.timeout.ms'),
      maxSessionTimeoutMs: c.get('group.max.session.timeout.ms'),
      initialRebalanceDelayMs: c.get('group.initial.rebalance.delay.ms'),
      maxSize: c.get('group.max.size'),
      offsetsRetentionMs: c.get('offsets.retention.minutes') * 60_000,
      retentionCheckIntervalMs: c.get('offsets.retention.check.interval.ms'),
      offsetMetadataMaxBytes: c.get('offset.metadata.max.bytes'),
    };
    const logger = b.logger.child({ component: 'groups' });
    const coordinator = new GroupCoordinator(settings, scheduler, logger, new GroupLog(access, () => scheduler.now()));
    b.signal.addEventListener('abort', () => coordinator.shutdown(), { once: true });
    const t0 = performance.now();
    const stats = coordinator.load();
    if (stats.records > 0) {
      logger.info('loaded groups and offsets from __consumer_offsets', {
        records: stats.records,
        groups: coordinator.groups.size,
        skipped: stats.skipped,
        ms: Math.round(performance.now() - t0),
      });
    }
    for (const attach of GroupCoordinator.attachments) attach(coordinator, b);
    coordinator.startExpiry();
    return coordinator;
  }

  // ── registry ─────────────────────────────────────────────────────────────────────────────────

  group(groupId: string): Group | undefined {
    return this.groups.get(groupId);
  }

  /** Registers a group (another group type's module uses this); replaces an empty group of that id. */
  register(group: Group): void {
    const old = this.groups.get(group.groupId);
    if (old !== undefined && old !== group) old.markDead();
    this.groups.set(group.groupId, group);
  }

  unregister(groupId: string): void {
    this.groups.delete(groupId);
  }

  allGroups(): IterableIterator<Group> {
    return this.groups.values();
  }

  private createClassicGroup(groupId: string): ClassicGroup {
    // An empty group of another type gives way (as Kafka converts an empty consumer group): its own
    // records get tombstones first, so a reload does not bring it back beside the classic group.
    const old = this.groups.get(groupId);
    if (old !== undefined && old.type !== 'classic' && old.deletionRecords !== undefined && !this.loading) {
      this.write(groupId, old.deletionRecords());
    }
    const g = new ClassicGroup(groupId, this.scheduler.now(), subscribedTopics);
    this.register(g);
    return g;
  }

  /** Persists a group's metadata record (Kafka's GroupMetadataValue). */
  storeGroup(group: ClassicGroup): number {
    const protocol = group.protocolName;
    const value: GroupMetadataValue = {
      protocolType: group.protocolType ?? '',
      generation: group.generationId,
      protocol,
      leader: group.leaderId,
      currentStateTimestamp: BigInt(group.stateTimestamp),
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeout: m.rebalanceTimeoutMs,
        sessionTimeout: m.sessionTimeoutMs,
        subscription: protocol === null ? EMPTY : m.metadataFor(protocol),
        assignment: m.assignment,
      })),
    };
    return this.write(group.groupId, [{ key: encodeGroupKey(group.groupId), value: encodeGroupValue(value) }]);
  }

  /** Appends records of one group to its __consumer_offsets partition. */
  write(groupId: string, records: readonly PendingRecord[]): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    try {
      return this.log.append(groupId, records);
    } catch (err) {
      this.logger.error('could not write to __consumer_offsets', { group: groupId, error: err as Error });
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    }
  }

  // ── offsets ──────────────────────────────────────────────────────────────────────────────────

  /** OffsetCommit: one error code per partition of `req.partitions`, in order. */
  commitOffsets(req: CommitRequest): number[] {
    const all = (code: number): number[] => req.partitions.map(() => code);
    let group = this.groups.get(req.groupId);
    if (group === undefined) {
      if (req.generationIdOrMemberEpoch >= 0 || req.memberId !== '') {
        // A member of a generation this coordinator does not know (e.g. the group was deleted).
        return all(req.apiVersion >= 9 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION);
      }
      group = this.createClassicGroup(req.groupId); // offsets-only ("simple") group
    }
    const err = group.validateOffsetCommit(req);
    if (err !== ErrorCode.NONE) return all(err);
    if (group instanceof ClassicGroup) this.classic.touch(group, req.memberId);

    const now = this.scheduler.now();
    const expireTimestamp = req.retentionTimeMs >= 0 ? now + req.retentionTimeMs : -1;
    const out = new Array<number>(req.partitions.length);
    const records: PendingRecord[] = [];
    const accepted: Array<{ index: number; value: CommittedOffset }> = [];
    req.partitions.forEach((p, index) => {
      const metadata = p.metadata ?? '';
      if (Buffer.byteLength(metadata) > this.settings.offsetMetadataMaxBytes) {
        out[index] = ErrorCode.OFFSET_METADATA_TOO_LARGE;
        return;
      }
      const value: CommittedOffset = { offset: p.offset, leaderEpoch: p.leaderEpoch, metadata, commitTimestamp: now, expireTimestamp };
      records.push({ key: encodeOffsetKey(req.groupId, p.topic, p.partition), value: encodeOffsetValue(value) });
      accepted.push({ index, value });
    });
    const writeErr = this.write(req.groupId, records);
    for (const { index, value } of accepted) {
      out[index] = writeErr;
      if (writeErr === ErrorCode.NONE) {
        const p = req.partitions[index]!;
        this.offsets.set(req.groupId, p.topic, p.partition, value);
      }
    }
    return out;
  }

  /** OffsetFetch for one group: the member is checked (KIP-848 groups), then the store answers (./offsets.ts). */
  fetchOffsets(
    groupId: string,
    topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }> | null,
    requireStable: boolean,
    member?: { readonly memberId: string | null; readonly memberEpoch: number },
  ): FetchedOffsets {
    const group = this.groups.get(groupId);
    if (member !== undefined && group?.validateOffsetFetch !== undefined) {
      const err = group.validateOffsetFetch(member.memberId, member.memberEpoch);
      if (err !== ErrorCode.NONE) return { errorCode: err, topics: [] };
    }
    return this.offsets.fetch(groupId, topics, requireStable);
  }

  /**
   * OffsetDelete: removes committed offsets of a group that is empty, or of topics its consumers do not
   * subscribe to (GROUP_SUBSCRIBED_TO_TOPIC otherwise). Returns the top-level error and, when NONE,
   * one error per partition.
   */
  deleteOffsets(
    groupId: string,
    topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly number[] }>,
  ): { errorCode: number; partitionErrors: number[][] } {
    const group = this.groups.get(groupId);
    if (group === undefined || group.isDead()) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, partitionErrors: [] };
    let subscribed: ReadonlySet<string> | undefined;
    if (!group.isEmpty()) {
      subscribed = group.subscribedTopics();
      if (subscribed === undefined) return { errorCode: ErrorCode.NON_EMPTY_GROUP, partitionErrors: [] };
    }
    const records: PendingRecord[] = [];
    const removals: Array<{ topic: string; partition: number }> = [];
    const partitionErrors = topics.map((t) =>
      t.partitions.map((partition) => {
        if (subscribed?.has(t.topic)) return ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC;
        if (this.offsets.get(groupId, t.topic, partition) !== undefined) {
          records.push({ key: encodeOffsetKey(groupId, t.topic, partition), value: null });
          removals.push({ topic: t.topic, partition });
        }
        return ErrorCode.NONE;
      }),
    );
    const err = this.write(groupId, records);
    if (err !== ErrorCode.NONE) return { errorCode: err, partitionErrors: [] };
    for (const r of removals) this.offsets.delete(groupId, r.topic, r.partition);
    return { errorCode: ErrorCode.NONE, partitionErrors };
  }

  // ── admin ────────────────────────────────────────────────────────────────────────────────────

  /** DescribeGroups for one id (./views.ts). */
  describeGroup(groupId: string, version: number): DescribedGroup {
    return describeGroup(groupId, this.groups.get(groupId), version);
  }

  /** ListGroups, with KIP-518 state and KIP-848 type filters (./views.ts). */
  listGroups(statesFilter: readonly string[], typesFilter: readonly string[]): ListedGroup[] {
    return listGroups(this.groups.values(), statesFilter, typesFilter);
  }

  /** DeleteGroups: an empty group and its offsets go (tombstones); NON_EMPTY_GROUP while it has members. */
  deleteGroup(groupId: string): number {
    const group = this.groups.get(groupId);
    if (group === undefined || group.isDead()) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (!group.isEmpty()) return ErrorCode.NON_EMPTY_GROUP;
    const records: PendingRecord[] = [];
    for (const [topic, parts] of this.offsets.of(groupId) ?? []) {
      for (const partition of parts.keys()) records.push({ key: encodeOffsetKey(groupId, topic, partition), value: null });
    }
    records.push(...(group.deletionRecords?.() ?? [{ key: encodeGroupKey(groupId), value: null }]));
    const err = this.write(groupId, records);
    if (err !== ErrorCode.NONE) return err;
    this.offsets.deleteGroup(groupId);
    group.markDead();
    this.groups.delete(groupId);
    this.logger.info('group deleted', { group: groupId });
    return ErrorCode.NONE;
  }

  // ── retention ────────────────────────────────────────────────────────────────────────────────

  private startExpiry(): void {
    const tick = (): void => {
      if (this.closed) return;
      try {
        this.expireOffsets();
      } catch (err) {
        this.logger.error('offset expiration failed', { error: err as Error });
      }
      this.expiryTimer = this.scheduler.schedule(this.settings.retentionCheckIntervalMs, tick);
    };
    this.expiryTimer = this.scheduler.schedule(this.settings.retentionCheckIntervalMs, tick);
  }

  /** Applies offsets.retention.minutes (./retention.ts): tombstones, then removal. Returns offsets removed. */
  expireOffsets(): number {
    let removed = 0;
    for (const e of findExpired([...this.groups.values()], this.offsets, this.scheduler.now(), this.settings.offsetsRetentionMs)) {
      const id = e.group.groupId;
      const records: PendingRecord[] = e.offsets.map((o) => ({ key: encodeOffsetKey(id, o.topic, o.partition), value: null }));
      if (e.dropGroup) records.push(...(e.group.deletionRecords?.() ?? [{ key: encodeGroupKey(id), value: null }]));
      if (this.write(id, records) !== ErrorCode.NONE) continue;
      for (const o of e.offsets) this.offsets.delete(id, o.topic, o.partition);
      removed += e.offsets.length;
      if (e.dropGroup) {
        e.group.markDead();
        this.groups.delete(id);
      }
      this.logger.info('expired offsets', { group: id, offsets: e.offsets.length, groupRemoved: e.dropGroup });
    }
    return removed;
  }

  // ── load and shutdown ────────────────────────────────────────────────────────────────────────

  /** Rebuilds groups and offsets from __consumer_offsets. */
  load(): LoadStats {
    this.loading = true;
    try {
      return this.replay();
    } finally {
      this.loading = false;
    }
  }

  private replay(): LoadStats {
    const groupValues = new Map<string, { value: GroupMetadataValue; timestamp: number }>();
    const stats = this.log.load(
      (rec, timestamp) => {
        switch (rec.kind) {
          case 'offset':
            if (rec.value === undefined) this.offsets.delete(rec.group, rec.topic, rec.partition);
            else this.offsets.set(rec.group, rec.topic, rec.partition, rec.value);
            return;
          case 'group':
            if (rec.value === undefined) groupValues.delete(rec.group);
            else groupValues.set(rec.group, { value: rec.value, timestamp });
            return;
          default:
            this.otherRecords.push(rec);
        }
      },
      (err) => this.logger.warn('skipped an unreadable __consumer_offsets record', { error: err.message }),
      // Offsets of a transaction still open wait, staged, for its marker (../txn/markers.ts).
      (producerId, records) => {
        for (const { record: r } of records) if (r.kind === 'offset' && r.value !== undefined) this.offsets.stagePending(r.group, producerId, r.topic, r.partition, r.value);
      },
    );
    for (const [groupId, { value, timestamp }] of groupValues) {
      const g = this.createClassicGroup(groupId);
      restoreClassicGroup(g, value, timestamp);
      // Members must heartbeat within their session after the restart, or they are removed.
      for (const m of g.members.values()) this.classic.scheduleSession(g, m);
    }
    for (const groupId of this.offsets.groupIds()) {
      if (!this.groups.has(groupId)) this.createClassicGroup(groupId);
    }
    return stats;
  }

  /** Graceful shutdown began: answer every waiting JoinGroup/SyncGroup so connections can drain. */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.expiryTimer?.();
    for (const g of this.groups.values()) if (g instanceof ClassicGroup) g.answerPendingWith(ErrorCode.NOT_COORDINATOR);
    if (this.scheduler instanceof TimerScheduler) this.scheduler.cancelAll();
  }

  close(): void {
    this.shutdown();
  }
}
