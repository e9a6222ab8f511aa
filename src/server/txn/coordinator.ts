/**
 * The transaction coordinator (Kafka's TransactionCoordinator on a single node): transactional id →
 * producer id/epoch, the partitions and groups of the ongoing transaction, and its state machine
 *
 *   Empty / CompleteCommit / CompleteAbort ──AddPartitions/AddOffsets──▶ Ongoing
 *   Ongoing ──EndTxn(commit)──▶ PrepareCommit ──markers──▶ CompleteCommit
 *   Ongoing ──EndTxn(abort) / timeout / new InitProducerId──▶ PrepareAbort ──markers──▶ CompleteAbort
 *
 * Every transition is written to __transaction_state (./log.ts) before it is acted on; the markers
 * (./markers.ts) go straight into the local partition logs (one broker: no WriteTxnMarkers round trip),
 * so a Prepare state lasts only until the markers are appended. On load, a Prepare state left by a crash
 * is completed (its markers written again: a second marker for a finished transaction is harmless),
 * and an Ongoing transaction keeps running until its timeout aborts it (or its producer re-initialises).
 *
 * Fencing: InitProducerId bumps the epoch (a new producer id when the epoch is exhausted); requests
 * with an older epoch get PRODUCER_FENCED, and the markers carry the new epoch so the partitions fence
 * the old producer's writes (INVALID_PRODUCER_EPOCH). EndTxn v5 (KIP-890) bumps the epoch after every
 * transaction and answers with it. transactional.id.expiration.ms removes idle ids (a tombstone).
 */
import { ErrorCode } from '../../protocol/errors.js';
import { GROUP_METADATA_TOPIC, TRANSACTION_STATE_TOPIC, Topics } from '../topics/topics.js';
import type { BrokerContext } from '../handler.js';
import type { Logger } from '../logger.js';
import { ProducerStates } from '../producers/manager.js';
import { setTransactionalProduceVerifier } from '../producers/produce-hook.js';
import { appendTxnRecord, encodeTxnValue, loadTxnLog, type TxnTopicAccess } from './log.js';
import { writeMarkers } from './markers.js';
import { MAX_EPOCH, TxnState, hasPartition, type TxnMetadata } from './state.js';
import { partitionForGroup } from '../groups/records.js';

export interface InitResult {
  readonly errorCode: number;
  readonly producerId: number;
  readonly producerEpoch: number;
}

export interface TopicPartitions {
  readonly topic: string;
  readonly partitions: readonly number[];
}

const TIMEOUT_CHECK_MS = 1000;
const EXPIRATION_CHECK_MS = 3_600_000;

export class TxnCoordinator {
  readonly txns: Map<string, TxnMetadata>;
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;
  private readonly topic: TxnTopicAccess;

  private constructor(
    private readonly broker: BrokerContext,
    private readonly logger: Logger,
  ) {
    const topics = Topics.of(broker);
    const configured = broker.config.get('transaction.state.log.num.partitions');
    this.topic = {
      partitions: () => topics.byName(TRANSACTION_STATE_TOPIC)?.partitions ?? configured,
      partition: (index, create) => {
        if (create && topics.byName(TRANSACTION_STATE_TOPIC) === undefined) topics.ensureInternalTopic(TRANSACTION_STATE_TOPIC);
        return topics.partition(TRANSACTION_STATE_TOPIC, index);
      },
    };
    this.txns = loadTxnLog(this.topic, (err) => logger.warn('skipped a bad __transaction_state record', { error: err }));
    if (this.txns.size > 0) logger.info('loaded transactional ids from __transaction_state', { count: this.txns.size });
    // A Prepare state means the decision was made but its markers may be missing: finish it. The
    // partitions of open transactions get their producer state now, so their LSO is right at once.
    for (const m of this.txns.values()) {
      if (m.state === TxnState.Ongoing) {
        for (const [topic, parts] of m.partitions) {
          for (const p of parts) {
            const log = topics.partition(topic, p);
            if (log !== undefined) ProducerStates.of(broker).ensure(log);
          }
        }
      }
      if (m.state === TxnState.PrepareCommit) this.complete(m, true);
      else if (m.state === TxnState.PrepareAbort || m.state === TxnState.PrepareEpochFence) this.complete(m, false);
    }
    const t = setInterval(() => this.abortTimedOut(), TIMEOUT_CHECK_MS);
    const e = setInterval(() => this.expireIds(), Math.max(100, Math.min(EXPIRATION_CHECK_MS, broker.config.get('transactional.id.expiration.ms'))));
    t.unref();
    e.unref();
    this.timers.push(t, e);
  }

  static of(broker: BrokerContext): TxnCoordinator {
    return broker.service('brook.txn', (b) => new TxnCoordinator(b, b.logger.child({ component: 'txn' })));
  }

  private now(): number {
    return this.broker.clock.now();
  }

  /** Writes the metadata's current state; NONE or the error to answer. */
  private persist(m: TxnMetadata): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    m.lastUpdateMs = this.now();
    try {
      return appendTxnRecord(this.topic, m.transactionalId, encodeTxnValue(m), m.lastUpdateMs);
    } catch (err) {
      this.logger.error('could not write to __transaction_state', { transactionalId: m.transactionalId, error: err as Error });
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    }
  }

  private newProducerId(): number {
    return ProducerStates.of(this.broker).ids.generate();
  }

  // ── InitProducerId ───────────────────────────────────────────────────────────────────────────

  initProducerId(transactionalId: string, timeoutMs: number, expectedPid: number, expectedEpoch: number): InitResult {
    const fail = (errorCode: number): InitResult => ({ errorCode, producerId: -1, producerEpoch: -1 });
    if (transactionalId === '') return fail(ErrorCode.INVALID_REQUEST);
    if (timeoutMs <= 0 || timeoutMs > this.broker.config.get('transaction.max.timeout.ms')) return fail(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    let m = this.txns.get(transactionalId);
    if (m === undefined) {
      const now = this.now();
      m = {
        transactionalId,
        producerId: this.newProducerId(),
        prevProducerId: -1,
        producerEpoch: 0,
        lastProducerEpoch: -1,
        timeoutMs,
        state: TxnState.Empty,
        partitions: new Map(),
        groups: new Set(),
        startTimeMs: -1,
        lastUpdateMs: now,
        clientTransactionVersion: 0,
      };
      const err = this.persist(m);
      if (err !== ErrorCode.NONE) return fail(err);
      this.txns.set(transactionalId, m);
      return { errorCode: ErrorCode.NONE, producerId: m.producerId, producerEpoch: m.producerEpoch };
    }
    if (expectedPid >= 0) {
      // KIP-360: a producer resuming with its id/epoch must still be the current (or just-bumped) one.
      const current = expectedPid === m.producerId && expectedEpoch === m.producerEpoch;
      const retried = (expectedPid === m.producerId || expectedPid === m.prevProducerId) && expectedEpoch === m.lastProducerEpoch;
      if (!current && !retried) return fail(ErrorCode.PRODUCER_FENCED);
      if (retried && m.state === TxnState.Empty) return { errorCode: ErrorCode.NONE, producerId: m.producerId, producerEpoch: m.producerEpoch };
    }
    if (m.state === TxnState.Ongoing) {
      // Fence the old producer: abort its transaction with a bumped epoch, then bump again below.
      this.fenceEpoch(m);
      const err = this.endTransaction(m, false);
      if (err !== ErrorCode.NONE) return fail(err);
    } else if (m.state === TxnState.PrepareCommit || m.state === TxnState.PrepareAbort) {
      return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
    }
    const bumped = this.bumpEpoch(m);
    if (bumped !== ErrorCode.NONE) return fail(bumped);
    m.timeoutMs = timeoutMs;
    m.state = TxnState.Empty;
    m.partitions = new Map();
    m.groups = new Set();
    m.startTimeMs = -1;
    const err = this.persist(m);
    if (err !== ErrorCode.NONE) return fail(err);
    return { errorCode: ErrorCode.NONE, producerId: m.producerId, producerEpoch: m.producerEpoch };
  }

  /** Next epoch, or a new producer id at epoch 0 when the epoch is exhausted (in memory; persisted by the caller's transition). */
  private bumpEpoch(m: TxnMetadata): number {
    m.lastProducerEpoch = m.producerEpoch;
    if (m.producerEpoch >= MAX_EPOCH - 1) {
      m.prevProducerId = m.producerId;
      m.producerId = this.newProducerId();
      m.producerEpoch = 0;
      m.lastProducerEpoch = -1;
    } else {
      m.producerEpoch++;
    }
    return ErrorCode.NONE;
  }

  /**
   * The epoch the markers of an ending transaction carry when they must fence its producer (timeouts,
   * a new InitProducerId, EndTxn v5): one more, keeping the producer id the transaction's data used.
   */
  private fenceEpoch(m: TxnMetadata): void {
    if (m.producerEpoch >= MAX_EPOCH) return;
    m.lastProducerEpoch = m.producerEpoch;
    m.producerEpoch++;
  }

  /** Common checks of AddPartitions/AddOffsets/EndTxn/TxnOffsetCommit: the metadata or an error. */
  private validate(transactionalId: string, producerId: number, producerEpoch: number): TxnMetadata | number {
    if (transactionalId === '') return ErrorCode.INVALID_REQUEST;
    const m = this.txns.get(transactionalId);
    if (m === undefined) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (m.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (m.producerEpoch !== producerEpoch) return ErrorCode.PRODUCER_FENCED;
    return m;
  }

  // ── AddPartitionsToTxn / AddOffsetsToTxn ─────────────────────────────────────────────────────

  /** Adds partitions (existing ones only: the caller filtered unknown partitions). NONE or an error for all. */
  addPartitions(transactionalId: string, producerId: number, producerEpoch: number, parts: readonly TopicPartitions[]): number {
    const m = this.validate(transactionalId, producerId, producerEpoch);
    if (typeof m === 'number') return m;
    if (m.state === TxnState.PrepareCommit || m.state === TxnState.PrepareAbort) return ErrorCode.CONCURRENT_TRANSACTIONS;
    if (m.state === TxnState.PrepareEpochFence || m.state === TxnState.Dead) return ErrorCode.INVALID_TXN_STATE;
    if (m.state === TxnState.Ongoing && parts.every((t) => t.partitions.every((p) => hasPartition(m, t.topic, p)))) return ErrorCode.NONE;
    const before = { state: m.state, partitions: new Map([...m.partitions].map(([t, s]) => [t, new Set(s)])), start: m.startTimeMs };
    if (m.state !== TxnState.Ongoing) {
      m.partitions = new Map();
      m.groups = new Set();
      m.startTimeMs = this.now();
    }
    m.state = TxnState.Ongoing;
    for (const t of parts) {
      let set = m.partitions.get(t.topic);
      if (set === undefined) m.partitions.set(t.topic, (set = new Set()));
      for (const p of t.partitions) set.add(p);
    }
    const err = this.persist(m);
    if (err !== ErrorCode.NONE) {
      m.state = before.state;
      m.partitions = before.partitions;
      m.startTimeMs = before.start;
    }
    return err;
  }

  /** AddPartitionsToTxn v4+ verifyOnly: whether the partitions are in the ongoing transaction. */
  verifyPartitions(transactionalId: string, producerId: number, producerEpoch: number, parts: readonly TopicPartitions[]): number | Map<string, Map<number, number>> {
    const m = this.validate(transactionalId, producerId, producerEpoch);
    if (typeof m === 'number') return m;
    const out = new Map<string, Map<number, number>>();
    for (const t of parts) {
      const r = new Map<number, number>();
      for (const p of t.partitions) r.set(p, m.state === TxnState.Ongoing && hasPartition(m, t.topic, p) ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE);
      out.set(t.topic, r);
    }
    return out;
  }

  addOffsets(transactionalId: string, producerId: number, producerEpoch: number, groupId: string): number {
    const topics = Topics.of(this.broker);
    if (topics.byName(GROUP_METADATA_TOPIC) === undefined) topics.ensureInternalTopic(GROUP_METADATA_TOPIC);
    const count = topics.byName(GROUP_METADATA_TOPIC)?.partitions ?? this.broker.config.get('offsets.topic.num.partitions');
    const err = this.addPartitions(transactionalId, producerId, producerEpoch, [{ topic: GROUP_METADATA_TOPIC, partitions: [partitionForGroup(groupId, count)] }]);
    if (err === ErrorCode.NONE) this.txns.get(transactionalId)!.groups.add(groupId);
    return err;
  }

  /** TxnOffsetCommit's producer check: NONE when the group's offsets partition is in the ongoing transaction. */
  checkOffsetCommit(transactionalId: string, producerId: number, producerEpoch: number, groupId: string): number {
    const m = this.validate(transactionalId, producerId, producerEpoch);
    if (typeof m === 'number') return m === ErrorCode.PRODUCER_FENCED ? ErrorCode.INVALID_PRODUCER_EPOCH : m;
    if (m.state !== TxnState.Ongoing || !m.groups.has(groupId)) return ErrorCode.INVALID_TXN_STATE;
    return ErrorCode.NONE;
  }

  /** Produce verification of a transactional batch (Kafka's transaction.partition.verification). */
  verifyProduce(transactionalId: string | null, producerId: number, producerEpoch: number, topic: string, partition: number, produceVersion: number): { errorCode: number; message: string } | undefined {
    const m = transactionalId === null ? undefined : this.txns.get(transactionalId);
    if (m === undefined || m.producerId !== producerId) {
      return { errorCode: ErrorCode.INVALID_TXN_STATE, message: `producer ${producerId} has no transaction with id ${String(transactionalId)}` };
    }
    if (producerEpoch < m.producerEpoch) {
      return { errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, message: `producer epoch ${producerEpoch} is older than ${m.producerEpoch}` };
    }
    if (m.state === TxnState.Ongoing && hasPartition(m, topic, partition)) return undefined;
    // KIP-890: Produce v12+ adds the partition to the transaction implicitly.
    if (produceVersion >= 12 && producerEpoch === m.producerEpoch) {
      const err = this.addPartitions(m.transactionalId, producerId, producerEpoch, [{ topic, partitions: [partition] }]);
      if (err === ErrorCode.NONE) return undefined;
      return { errorCode: err, message: `could not add ${topic}-${partition} to the transaction` };
    }
    return { errorCode: ErrorCode.INVALID_TXN_STATE, message: `${topic}-${partition} is not part of the ongoing transaction of ${m.transactionalId}` };
  }

  // ── EndTxn ───────────────────────────────────────────────────────────────────────────────────

  endTxn(transactionalId: string, producerId: number, producerEpoch: number, commit: boolean, bumpAfter: boolean): InitResult {
    const fail = (errorCode: number): InitResult => ({ errorCode, producerId: -1, producerEpoch: -1 });
    const m = this.txns.get(transactionalId);
    if (m === undefined || (m.producerId !== producerId && m.prevProducerId !== producerId)) return fail(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    const ok = (): InitResult => ({ errorCode: ErrorCode.NONE, producerId: m.producerId, producerEpoch: m.producerEpoch });
    // A retried EndTxn v5 comes with the epoch the transaction ran under (the epoch was bumped since).
    const isRetry = bumpAfter && producerEpoch === m.lastProducerEpoch && (m.state === TxnState.CompleteCommit || m.state === TxnState.CompleteAbort);
    if (isRetry) return (m.state === TxnState.CompleteCommit) === commit ? ok() : fail(ErrorCode.INVALID_TXN_STATE);
    if (m.producerId !== producerId || m.producerEpoch !== producerEpoch) return fail(ErrorCode.PRODUCER_FENCED);
    switch (m.state) {
      case TxnState.Ongoing:
        break;
      case TxnState.CompleteCommit:
        return commit ? ok() : fail(ErrorCode.INVALID_TXN_STATE);
      case TxnState.CompleteAbort:
        return commit ? fail(ErrorCode.INVALID_TXN_STATE) : ok();
      case TxnState.Empty:
        // KIP-890: an abort with nothing to abort is fine for v5 clients.
        if (!commit && bumpAfter) {
          this.bumpEpoch(m);
          m.clientTransactionVersion = 2;
          const err = this.persist(m);
          return err === ErrorCode.NONE ? ok() : fail(err);
        }
        return fail(ErrorCode.INVALID_TXN_STATE);
      case TxnState.PrepareCommit:
      case TxnState.PrepareAbort:
        return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
      default:
        return fail(ErrorCode.INVALID_TXN_STATE);
    }
    if (bumpAfter) {
      m.clientTransactionVersion = 2;
      this.fenceEpoch(m);
    }
    const err = this.endTransaction(m, commit);
    return err === ErrorCode.NONE ? ok() : fail(err);
  }

  /** Ongoing → Prepare* (persisted) → markers → Complete* (persisted). */
  private endTransaction(m: TxnMetadata, commit: boolean): number {
    m.state = commit ? TxnState.PrepareCommit : TxnState.PrepareAbort;
    const err = this.persist(m);
    if (err !== ErrorCode.NONE) {
      m.state = TxnState.Ongoing;
      return err;
    }
    this.complete(m, commit);
    return ErrorCode.NONE;
  }

  /** Writes the markers of a prepared transaction and its Complete state. */
  private complete(m: TxnMetadata, commit: boolean): void {
    const failed = writeMarkers(this.broker, m, commit, this.logger);
    if (failed > 0) {
      // Leave it prepared: the timer retries (Kafka's marker channel retries until it succeeds).
      this.logger.warn('transaction markers not all written; will retry', { transactionalId: m.transactionalId, failed });
      return;
    }
    m.state = commit ? TxnState.CompleteCommit : TxnState.CompleteAbort;
    m.groups = new Set();
    const err = this.persist(m);
    if (err !== ErrorCode.NONE) this.logger.warn('could not record a completed transaction', { transactionalId: m.transactionalId });
  }

  // ── timers ───────────────────────────────────────────────────────────────────────────────────

  /** Aborts transactions open longer than their timeout (with an epoch bump, fencing the producer). */
  abortTimedOut(): void {
    if (this.closed) return;
    const now = this.now();
    for (const m of this.txns.values()) {
      if (m.state === TxnState.PrepareCommit) this.complete(m, true);
      else if (m.state === TxnState.PrepareAbort) this.complete(m, false);
      else if (m.state === TxnState.Ongoing && m.startTimeMs >= 0 && now - m.startTimeMs > m.timeoutMs) {
        this.logger.info('aborting a timed-out transaction', { transactionalId: m.transactionalId, producerId: m.producerId, timeoutMs: m.timeoutMs });
        this.fenceEpoch(m);
        this.endTransaction(m, false);
      }
    }
  }

  /** transactional.id.expiration.ms: forgets ids idle that long with no transaction in flight. */
  expireIds(): void {
    if (this.closed) return;
    const now = this.now();
    const ms = this.broker.config.get('transactional.id.expiration.ms');
    for (const [id, m] of this.txns) {
      const idle = m.state === TxnState.Empty || m.state === TxnState.CompleteCommit || m.state === TxnState.CompleteAbort;
      if (idle && now - m.lastUpdateMs >= ms) {
        if (appendTxnRecord(this.topic, id, null, now) === ErrorCode.NONE) this.txns.delete(id);
      }
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
  }
}

setTransactionalProduceVerifier((broker, transactionalId, producerId, producerEpoch, topic, partition, version) =>
  TxnCoordinator.of(broker).verifyProduce(transactionalId, producerId, producerEpoch, topic, partition, version),
);
