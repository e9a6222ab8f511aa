/**
 * Incremental fetch sessions (KIP-227, Fetch v7+): the broker remembers the partitions a client fetches,
 * so later requests name only what changed and responses carry only partitions with news.
 *
 * Request metadata (session id, epoch) decides the context, as in Kafka's FetchManager.newContext:
 *   id 0, epoch -1  — sessionless full fetch (no session is created);
 *   id 0, epoch 0   — full fetch that creates a session (if the cache has room; else sessionless);
 *   id X, epoch -1  — closes session X, then a sessionless full fetch;
 *   id X, epoch 0   — closes session X, then a full fetch that creates a new session;
 *   id X, epoch N>0 — incremental: X must exist (FETCH_SESSION_ID_NOT_FOUND) and expect epoch N
 *                     (INVALID_FETCH_SESSION_EPOCH); the request's partitions are added or updated, the
 *                     forgotten ones removed; a session left empty is closed. The epoch then advances.
 * A session created by a full fetch expects epoch 1 next. A session keeps whether it names topics by id
 * (v13+) or by name; a request of the other kind gets FETCH_SESSION_TOPIC_ID_ERROR.
 *
 * The cache is bounded like Kafka's (max.incremental.fetch.session.cache.slots, default 1000). When
 * full, a new session may evict the least recently used session idle for longer than the eviction time
 * (Kafka's min.incremental.fetch.session.eviction.ms, 120 s), else the smallest session if the new one
 * is larger; otherwise no session is created and the client keeps doing full fetches.
 */
import { ErrorCode } from '../../protocol/errors.js';

export const INVALID_SESSION_ID = 0;
export const INITIAL_EPOCH = 0;
export const FINAL_EPOCH = -1;
export const DEFAULT_SESSION_SLOTS = 1000;
export const DEFAULT_EVICTION_MS = 120_000;

/** What a session remembers per partition: the client's fetch parameters and what it was last told. */
export interface SessionPartition {
  /** Topic name ('' while a topic id is unknown). */
  topic: string;
  /** Topic id (zero UUID for sessions that name topics). */
  topicId: string;
  readonly partition: number;
  fetchOffset: number;
  partitionMaxBytes: number;
  currentLeaderEpoch: number;
  /** Last values sent to the client (-1 before the first response): a change makes the partition news. */
  sentHighWatermark: number;
  sentLastStableOffset: number;
  sentLogStartOffset: number;
}

/** A request's partition, as the session update takes it. */
export interface RequestedPartition {
  readonly topic: string;
  readonly topicId: string;
  readonly partition: number;
  readonly fetchOffset: number;
  readonly partitionMaxBytes: number;
  readonly currentLeaderEpoch: number;
}

export interface ForgottenPartition {
  readonly topic: string;
  readonly topicId: string;
  readonly partition: number;
}

export class FetchSession {
  /** Epoch the next incremental request must carry. */
  epoch = 1;
  lastUsedMs: number;
  /** Insertion-ordered; partitions that had news move to the end (round-robin fairness, as Kafka). */
  readonly partitions = new Map<string, SessionPartition>();

  constructor(
    readonly id: number,
    readonly usesTopicIds: boolean,
    nowMs: number,
  ) {
    this.lastUsedMs = nowMs;
  }

  /** Adds or updates the request's partitions and removes the forgotten ones. */
  update(requested: readonly RequestedPartition[], forgotten: readonly ForgottenPartition[]): void {
    for (const f of forgotten) this.partitions.delete(partitionKey(this.usesTopicIds, f));
    for (const r of requested) {
      const key = partitionKey(this.usesTopicIds, r);
      const cached = this.partitions.get(key);
      if (cached === undefined) this.partitions.set(key, newSessionPartition(r));
      else {
        cached.fetchOffset = r.fetchOffset;
        cached.partitionMaxBytes = r.partitionMaxBytes;
        cached.currentLeaderEpoch = r.currentLeaderEpoch;
      }
    }
  }

  /** Moves a partition to the end of the iteration order. */
  moveToEnd(p: SessionPartition): void {
    const key = partitionKey(this.usesTopicIds, p);
    this.partitions.delete(key);
    this.partitions.set(key, p);
  }
}

export function newSessionPartition(r: RequestedPartition): SessionPartition {
  return {
    topic: r.topic,
    topicId: r.topicId,
    partition: r.partition,
    fetchOffset: r.fetchOffset,
    partitionMaxBytes: r.partitionMaxBytes,
    currentLeaderEpoch: r.currentLeaderEpoch,
    sentHighWatermark: -1,
    sentLastStableOffset: -1,
    sentLogStartOffset: -1,
  };
}

function partitionKey(byId: boolean, p: { topic: string; topicId: string; partition: number }): string {
  return `${byId ? p.topicId : p.topic}\u0000${p.partition}`;
}

export type SessionContext =
  /** Full fetch; `session` is set when one was created for it. */
  | { readonly kind: 'full'; readonly session: FetchSession | undefined }
  | { readonly kind: 'incremental'; readonly session: FetchSession }
  | { readonly kind: 'error'; readonly errorCode: number };

export interface SessionCacheOptions {
  readonly maxSlots?: number;
  readonly evictionMs?: number;
  readonly now?: () => number;
}

export class FetchSessionCache {
  private readonly sessions = new Map<number, FetchSession>();
  private readonly maxSlots: number;
  private readonly evictionMs: number;
  private readonly now: () => number;
  private nextId = 1 + Math.floor(Math.random() * 0x3fffffff);

  constructor(options: SessionCacheOptions = {}) {
    this.maxSlots = options.maxSlots ?? DEFAULT_SESSION_SLOTS;
    this.evictionMs = options.evictionMs ?? DEFAULT_EVICTION_MS;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.sessions.size;
  }

  get(id: number): FetchSession | undefined {
    return this.sessions.get(id);
  }

  /**
   * The context for a request's session metadata. For full fetches the caller adds the request's
   * partitions to the returned session (if any); for incremental ones this applies the update.
   */
  open(
    sessionId: number,
    epoch: number,
    usesTopicIds: boolean,
    requested: readonly RequestedPartition[],
    forgotten: readonly ForgottenPartition[],
  ): SessionContext {
    const now = this.now();
    if (epoch === INITIAL_EPOCH || epoch === FINAL_EPOCH) {
      if (sessionId !== INVALID_SESSION_ID) this.sessions.delete(sessionId);
      if (epoch === FINAL_EPOCH) return { kind: 'full', session: undefined };
      const session = this.create(usesTopicIds, requested.length, now);
      session?.update(requested, []);
      return { kind: 'full', session };
    }
    const session = this.sessions.get(sessionId);
    if (session === undefined) return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND };
    if (session.epoch !== epoch) return { kind: 'error', errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
    if (session.usesTopicIds !== usesTopicIds) return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR };
    session.update(requested, forgotten);
    if (session.partitions.size === 0) {
      this.sessions.delete(sessionId);
      return { kind: 'full', session: undefined };
    }
    session.epoch = session.epoch >= 0x7fffffff ? 1 : session.epoch + 1;
    session.lastUsedMs = now;
    // Map order is recency order for eviction.
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, session);
    return { kind: 'incremental', session };
  }

  /** Closes every session (shutdown). */
  clear(): void {
    this.sessions.clear();
  }

  private create(usesTopicIds: boolean, partitionCount: number, now: number): FetchSession | undefined {
    if (this.maxSlots <= 0) return undefined;
    if (this.sessions.size >= this.maxSlots && !this.evictOne(partitionCount, now)) return undefined;
    let id = this.nextId;
    while (id === INVALID_SESSION_ID || this.sessions.has(id)) id = (id % 0x7fffffff) + 1;
    this.nextId = (id % 0x7fffffff) + 1;
    const session = new FetchSession(id, usesTopicIds, now);
    this.sessions.set(id, session);
    return session;
  }

  private evictOne(newSize: number, now: number): boolean {
    // Least recently used first: a stale one goes regardless of size.
    const lru = this.sessions.values().next().value;
    if (lru !== undefined && now - lru.lastUsedMs > this.evictionMs) {
      this.sessions.delete(lru.id);
      return true;
    }
    if (newSize <= 1) return false; // no session is smaller than one partition: skip the scan
    let smallest: FetchSession | undefined;
    for (const s of this.sessions.values()) if (smallest === undefined || s.partitions.size < smallest.partitions.size) smallest = s;
    if (smallest !== undefined && smallest.partitions.size < newSize) {
      this.sessions.delete(smallest.id);
      return true;
    }
    return false;
  }
}
