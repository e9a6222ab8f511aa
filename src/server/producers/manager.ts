/**
 * Producer state of every partition log (idempotence and transactions), attached to the logs through
 * storage's AppendInterceptor hook on first use of a log (`ensure`): the state is rebuilt then from the
 * newest `<offset>.snapshot` (./snapshot.ts) and the segments' `.txnindex` files (./txn-index.ts, the
 * aborted transactions) plus a replay of the batch headers after the snapshot, so it is
 * right after a restart before the first produce or read_committed fetch. Every later append — client
 * batches and coordinator markers alike — goes through `check` / `apply` (./partition-state.ts).
 *
 * Snapshots are written when a segment is rolled (as Kafka, at the new segment's base offset), every
 * SNAPSHOT_INTERVAL_MS for partitions whose log moved (so a crash replays at
 * most that much, idempotent or not) and at shutdown; after a crash the replay starts from the last
 * one (or the log start, for a log that never had one). Idle producers are forgotten after
 * producer.id.expiration.ms (checked every producer.id.expiration.check.interval.ms, Kafka's 10 min).
 */
import type { AppendInterceptor, AppendResult, AppendSuccess, PartitionLog } from '../../storage/index.js';
import {
  RECORD_BATCH_HEADER_SIZE,
  batchBaseOffset,
  batchLastOffsetDelta,
  batchSize,
} from '../../protocol/records/batch-header.js';
import type { BrokerContext } from '../handler.js';
import type { Logger } from '../logger.js';
import { Topics } from '../topics/topics.js';
import { PartitionProducerState } from './partition-state.js';
import { loadSnapshot, writeSnapshot } from './snapshot.js';
import { appendAbortedTxn, deleteOrphanTxnIndexes, loadTxnIndexes } from './txn-index.js';
import { ProducerIdManager } from './producer-ids.js';

const SNAPSHOT_INTERVAL_MS = 30_000;
const EXPIRATION_CHECK_MS = 600_000;
const REPLAY_CHUNK = 4 << 20;

/** Logs whose state is attached, process-wide (a log object belongs to exactly one broker's storage). */
const states = new WeakMap<PartitionLog, PartitionProducerState>();

function segmentBases(log: PartitionLog): number[] {
  const f = (log as { segmentBaseOffsets?: unknown }).segmentBaseOffsets;
  return typeof f === 'function' ? (f.call(log) as number[]) : [];
}

/** Base offset of the segment holding `offset` (the last base at or below it). */
function segmentBaseFor(log: PartitionLog, offset: number): number {
  let base = 0;
  for (const b of segmentBases(log)) if (b <= offset) base = b;
  return base;
}

function logDir(log: PartitionLog): string | undefined {
  const dir = (log as { dir?: unknown }).dir;
  return typeof dir === 'string' ? dir : undefined;
}

/** Replays batch headers of `log` from `from` into `state`. */
function replay(log: PartitionLog, state: PartitionProducerState, from: number): void {
  let offset = Math.max(from, log.logStartOffset);
  while (offset < log.logEndOffset) {
    const r = log.read(offset, REPLAY_CHUNK);
    if (r.errorCode !== 0 || r.chunks.length === 0) break;
    let next = offset;
    for (const chunk of r.chunks) {
      state.apply(chunk, offset);
      for (let p = 0; p + RECORD_BATCH_HEADER_SIZE <= chunk.length; p += batchSize(chunk, p)) {
        next = Math.max(next, batchBaseOffset(chunk, p) + batchLastOffsetDelta(chunk, p) + 1);
      }
    }
    r.release();
    if (next <= offset) break;
    offset = next;
  }
}

/** Segment count of each disk log when last seen (a roll shows as one more). */
const segmentCounts = new WeakMap<PartitionLog, number>();

/**
 * As Kafka snapshots producer state when a segment is rolled: the append that rolled starts the new
 * segment at `baseOffset`, and the state before it is the state as of that offset.
 */
function snapshotOnRoll(log: PartitionLog, state: PartitionProducerState, baseOffset: number): void {
  const count = (log as { segmentCount?: unknown }).segmentCount;
  const dir = logDir(log);
  if (typeof count !== 'number' || dir === undefined) return;
  const before = segmentCounts.get(log);
  segmentCounts.set(log, count);
  if (before === undefined || count <= before) return;
  try {
    writeSnapshot(dir, baseOffset, state, false);
  } catch {
    /* a snapshot is an optimisation; the periodic one follows */
  }
}

const interceptor: AppendInterceptor = {
  beforeAppend(log: PartitionLog, records: Buffer): AppendResult | undefined {
    const state = states.get(log);
    // Internal topics are written by coordinators only (transactional offsets carry no sequences).
    if (state === undefined || Topics.isInternal(log.topic)) return undefined;
    const outcome = state.check(records);
    if (outcome.kind === 'append') return undefined;
    if (outcome.kind === 'error') {
      return { ok: false, errorCode: outcome.errorCode, errorMessage: outcome.message, batchIndex: -1, logStartOffset: log.logStartOffset };
    }
    // A retried batch: answer with where it went the first time (Kafka's duplicate handling).
    const b = outcome.batch;
    return {
      ok: true,
      errorCode: 0,
      baseOffset: b.firstOffset,
      lastOffset: b.lastOffset,
      logAppendTime: -1,
      logStartOffset: log.logStartOffset,
      recordCount: b.lastOffset - b.firstOffset + 1,
    };
  },
  afterAppend(log: PartitionLog, records: Buffer, result: AppendSuccess): void {
    const state = states.get(log);
    if (state === undefined) return;
    snapshotOnRoll(log, state, result.baseOffset);
    state.apply(records);
  },
  lastStableOffset(log: PartitionLog): number {
    return states.get(log)?.lastStableOffset(log.highWatermark) ?? log.highWatermark;
  },
};

/**
 * The producer state of a log, attached (and rebuilt from snapshot + log) on first use. Works without a
 * broker (the read path uses it); the broker's ProducerStates service snapshots what it attached.
 */
export function producerState(log: PartitionLog): PartitionProducerState {
  let state = states.get(log);
  if (state !== undefined) return state;
  const dir = logDir(log);
  const snap = dir === undefined ? undefined : loadSnapshot(dir, log.logEndOffset);
  state = snap?.state ?? new PartitionProducerState();
  if (dir !== undefined) {
    state.aborted = loadTxnIndexes(dir, segmentBases(log), log.logEndOffset);
    state.onAbort = (a, lastStableOffset) => {
      try {
        appendAbortedTxn(dir, segmentBaseFor(log, a.lastOffset), a, lastStableOffset);
      } catch {
        /* the replay after the next snapshot restores a missing entry */
      }
    };
  }
  replay(log, state, snap?.offset ?? log.logStartOffset);
  state.pruneBelow(log.logStartOffset);
  states.set(log, state);
  const segments = (log as { segmentCount?: unknown }).segmentCount;
  if (typeof segments === 'number') segmentCounts.set(log, segments);
  log.setAppendInterceptor(interceptor);
  return state;
}

/** The state if already attached (no rebuild). */
export function attachedProducerState(log: PartitionLog): PartitionProducerState | undefined {
  return states.get(log);
}

/** Per-broker: producer ids, snapshots and expiration of the logs this broker attached. */
export class ProducerStates {
  readonly ids: ProducerIdManager;
  private readonly logs = new Set<PartitionLog>();
  /** Log end offset at each log's last snapshot. */
  private readonly snapshotAt = new WeakMap<PartitionLog, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;

  private constructor(
    private readonly broker: BrokerContext,
    private readonly logger: Logger,
  ) {
    this.ids = new ProducerIdManager(broker.storage.dataDir);
    const snap = setInterval(() => this.snapshotAll(false), SNAPSHOT_INTERVAL_MS);
    const expire = setInterval(() => this.expire(), Math.max(100, Math.min(EXPIRATION_CHECK_MS, broker.config.get('producer.id.expiration.ms'))));
    snap.unref();
    expire.unref();
    this.timers.push(snap, expire);
  }

  static of(broker: BrokerContext): ProducerStates {
    return broker.service('brook.producers', (b) => new ProducerStates(b, b.logger.child({ component: 'producers' })));
  }

  /** The state of one of this broker's logs, attached on first use. */
  ensure(log: PartitionLog): PartitionProducerState {
    if (!this.logs.has(log)) this.logs.add(log);
    return producerState(log);
  }

  /** Every attached (log, state) pair of this broker (DescribeProducers uses `ensure` instead). */
  *attached(): Generator<[PartitionLog, PartitionProducerState]> {
    for (const log of this.logs) {
      const s = states.get(log);
      if (s !== undefined) yield [log, s];
    }
  }

  private snapshotAll(all: boolean): void {
    for (const log of this.logs) {
      const state = states.get(log);
      const dir = logDir(log);
      // A log of a deleted topic is not ours to write into any more.
      if (state === undefined || dir === undefined || this.broker.storage.partition(log.topic, log.partition) !== log) {
        if (this.broker.storage.partition(log.topic, log.partition) !== log) this.logs.delete(log);
        continue;
      }
      const end = log.logEndOffset;
      if (!state.dirty && !all && this.snapshotAt.get(log) === end) continue;
      try {
        writeSnapshot(dir, end, state, all);
        state.dirty = false;
        this.snapshotAt.set(log, end);
      } catch (err) {
        this.logger.warn('could not write producer-state snapshot', { topic: log.topic, partition: log.partition, error: err as Error });
      }
    }
  }

  private expire(): void {
    const now = this.broker.clock.now();
    const ms = this.broker.config.get('producer.id.expiration.ms');
    for (const [log, state] of this.attached()) {
      state.expire(now, ms);
      state.pruneBelow(log.logStartOffset);
      const dir = logDir(log);
      if (dir !== undefined && this.broker.storage.partition(log.topic, log.partition) === log) deleteOrphanTxnIndexes(dir, segmentBases(log));
    }
  }

  /** Writes the final snapshots (before storage closes). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.snapshotAll(true);
  }
}
