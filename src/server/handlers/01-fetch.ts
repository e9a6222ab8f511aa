/**
 * Fetch (key 1): v0-18.
 *
 * Behaviour:
 *   - Reads each partition from its fetch offset (../fetch/read.ts): partition_max_bytes per partition,
 *     max_bytes (v3+) capped by fetch.max.bytes for the response (v0-2: fetch.max.bytes), at least one
 *     whole batch for the first partition with data (KIP-74, v3+). Records are the stored Buffers, passed by reference.
 *   - Long poll: when less than min_bytes is available and no partition failed, waits up to max_wait_ms
 *     for appends (../fetch/waiter.ts), then reads again; answers at once when the broker shuts down.
 *   - OFFSET_OUT_OF_RANGE outside [log start, log end]; UNKNOWN_TOPIC_OR_PARTITION; v13+ names topics by
 *     id: UNKNOWN_TOPIC_ID. current_leader_epoch (v9+) above 0: UNKNOWN_LEADER_EPOCH (one epoch, 0).
 *   - High watermark, last stable offset (oldest open transaction, ../producers), log start offset,
 *     aborted transactions (null for read_uncommitted; for read_committed those overlapping the records
 *     returned), preferred read replica -1. read_committed reads up to the last stable offset, and loads
 *     the transaction coordinator so transactions left open by a restart time out.
 *   - Incremental fetch sessions from v7 (KIP-227, ../fetch/sessions.ts): full and incremental requests,
 *     forgotten topics, FETCH_SESSION_ID_NOT_FOUND / INVALID_FETCH_SESSION_EPOCH /
 *     FETCH_SESSION_TOPIC_ID_ERROR as a top-level error; an incremental response carries only the
 *     partitions with records, an error, or a changed high watermark / LSO / log start offset. Bounded
 *     by max.incremental.fetch.session.cache.slots.
 *   - v0-3 answer with batches down-converted to message format v0 (v0-1) or v1 (v2-3); v4-9 cannot
 *     carry zstd batches: UNSUPPORTED_COMPRESSION_TYPE.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type FetchRequest, type FetchResponse } from '../../protocol/messages/01-fetch.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { defineHandler, type BrokerContext, type RequestContext } from '../handler.js';
import { readPartitions, READ_COMMITTED, type PartitionRead, type ReadTarget } from '../fetch/read.js';
import {
  FetchSessionCache,
  newSessionPartition,
  type FetchSession,
  type RequestedPartition,
  type SessionContext,
  type SessionPartition,
} from '../fetch/sessions.js';
import { FetchWaiter, type WatchedPartition } from '../fetch/waiter.js';
import { Topics } from '../topics/topics.js';
import { TxnCoordinator } from '../txn/coordinator.js';

type TopicResponse = FetchResponse['responses'][number];
type PartitionResponse = TopicResponse['partitions'][number];

const NO_EPOCH = { epoch: -1, endOffset: -1n };
const NO_LEADER = { leaderId: -1, leaderEpoch: -1 };
const NO_SNAPSHOT = { endOffset: -1n, epoch: -1 };

/** The broker's fetch-session cache, sized from max.incremental.fetch.session.cache.slots. */
export function fetchSessions(broker: BrokerContext): FetchSessionCache {
  return broker.service('brook.fetch.sessions', (b) => {
    const maxSlots = b.config.get('max.incremental.fetch.session.cache.slots');
    const cache = new FetchSessionCache({ maxSlots, now: () => b.clock.now() });
    return Object.assign(cache, { close: () => cache.clear() });
  });
}

/** Flattens the request's partitions, resolving topic ids to names (v13+) and names to ids. */
function requestedPartitions(topics: Topics, request: FetchRequest, byId: boolean): RequestedPartition[] {
  const out: RequestedPartition[] = [];
  for (const t of request.topics) {
    const info = byId ? topics.byId(t.topicId) : topics.byName(t.topic);
    const topic = byId ? (info?.name ?? '') : t.topic;
    const topicId = byId ? t.topicId : (info?.topicId ?? ZERO_UUID);
    for (const p of t.partitions) {
      out.push({
        topic,
        topicId,
        partition: p.partition,
        fetchOffset: Number(p.fetchOffset),
        partitionMaxBytes: p.partitionMaxBytes,
        currentLeaderEpoch: p.currentLeaderEpoch,
      });
    }
  }
  return out;
}

function target(topics: Topics, p: SessionPartition, byId: boolean): ReadTarget {
  // A topic named by id is looked up again each time: it may have been deleted (or re-created).
  let log;
  let missingError: number = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  if (byId) {
    const info = topics.byId(p.topicId);
    if (info === undefined) missingError = ErrorCode.UNKNOWN_TOPIC_ID;
    else {
      p.topic = info.name;
      log = topics.partition(info.name, p.partition);
    }
  } else {
    log = topics.partition(p.topic, p.partition);
    if (log !== undefined) p.topicId = log.topicId;
  }
  return {
    log,
    missingError,
    fetchOffset: p.fetchOffset,
    partitionMaxBytes: p.partitionMaxBytes,
    currentLeaderEpoch: p.currentLeaderEpoch,
  };
}

function partitionResponse(p: SessionPartition, r: PartitionRead, readCommitted: boolean): PartitionResponse {
  return {
    partitionIndex: p.partition,
    errorCode: r.errorCode,
    highWatermark: BigInt(r.highWatermark),
    lastStableOffset: BigInt(r.lastStableOffset),
    logStartOffset: BigInt(r.logStartOffset),
    divergingEpoch: NO_EPOCH,
    currentLeader: NO_LEADER,
    snapshotId: NO_SNAPSHOT,
    abortedTransactions: readCommitted && r.errorCode === ErrorCode.NONE ? (r.abortedTransactions ?? []) : null,
    preferredReadReplica: -1,
    records: r.records,
  };
}

/** Groups consecutive partitions of one topic, as Kafka's response does. */
function groupByTopic(items: ReadonlyArray<{ p: SessionPartition; res: PartitionResponse }>): TopicResponse[] {
  const out: TopicResponse[] = [];
  let last: TopicResponse | undefined;
  let lastKey = '';
  for (const { p, res } of items) {
    const key = `${p.topic}\u0000${p.topicId}`;
    if (last === undefined || key !== lastKey) {
      last = { topic: p.topic, topicId: p.topicId, partitions: [] };
      lastKey = key;
      out.push(last);
    }
    last.partitions.push(res);
  }
  return out;
}

function response(errorCode: number, sessionId: number, responses: TopicResponse[]): FetchResponse {
  return { throttleTimeMs: 0, errorCode, sessionId, responses, nodeEndpoints: [] };
}

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 18,
  handle(ctx: RequestContext, request, version) {
    const broker = ctx.broker;
    const topics = Topics.of(broker);
    const byId = version >= 13;
    const requested = requestedPartitions(topics, request, byId);

    // The partitions this fetch reads, and the session (if any) it belongs to.
    let context: SessionContext;
    if (version < 7) context = { kind: 'full', session: undefined };
    else {
      const forgotten = request.forgottenTopicsData.flatMap((f) => {
        const topic = byId ? (topics.byId(f.topicId)?.name ?? '') : f.topic;
        return f.partitions.map((partition) => ({ topic, topicId: f.topicId, partition }));
      });
      context = fetchSessions(broker).open(request.sessionId, request.sessionEpoch, byId, requested, forgotten);
    }
    if (context.kind === 'error') return response(context.errorCode, 0, []);
    const session: FetchSession | undefined = context.session;
    const incremental = context.kind === 'incremental';
    const partitions: SessionPartition[] = session ? [...session.partitions.values()] : requested.map(newSessionPartition);

    const isolation = version >= 4 ? request.isolationLevel : 0;
    if (isolation === READ_COMMITTED) TxnCoordinator.of(ctx.broker);
    // v0-2 have no response limit; fetch.max.bytes bounds them too, so no request can make Brook read
    // more than that into memory (Kafka sends file slices without reading them).
    const fetchMaxBytes = broker.config.get('fetch.max.bytes');
    const maxBytes = version >= 3 ? Math.min(request.maxBytes, fetchMaxBytes) : fetchMaxBytes;
    const readAll = () => readPartitions(partitions.map((p) => target(topics, p, byId)), version, isolation, maxBytes);

    const finish = (pass: ReturnType<typeof readAll>): FetchResponse => {
      const items: Array<{ p: SessionPartition; res: PartitionResponse }> = [];
      for (let i = 0; i < partitions.length; i++) {
        const p = partitions[i]!;
        const r = pass.reads[i]!;
        const news =
          !incremental ||
          r.bytes > 0 ||
          r.errorCode !== ErrorCode.NONE ||
          r.highWatermark !== p.sentHighWatermark ||
          r.lastStableOffset !== p.sentLastStableOffset ||
          r.logStartOffset !== p.sentLogStartOffset;
        p.sentHighWatermark = r.highWatermark;
        p.sentLastStableOffset = r.lastStableOffset;
        p.sentLogStartOffset = r.logStartOffset;
        if (!news) continue;
        items.push({ p, res: partitionResponse(p, r, isolation === READ_COMMITTED) });
        if (incremental) session!.moveToEnd(p);
      }
      return response(ErrorCode.NONE, session?.id ?? 0, groupByTopic(items));
    };

    const first = readAll();
    if (first.bytes >= request.minBytes || first.anyError || request.maxWaitMs <= 0 || partitions.length === 0) {
      return finish(first);
    }
    // Long poll: each partition tells the waiter how much it could return now (what the next read would
    // find, below the HW or LSO, capped at its limit); an error there ends the wait at once.
    const watched: WatchedPartition[] = [];
    for (let i = 0; i < partitions.length; i++) {
      const t = target(topics, partitions[i]!, byId);
      const log = t.log;
      if (log === undefined) continue;
      const limit = Math.max(1, Math.min(t.partitionMaxBytes, maxBytes));
      watched.push({
        log,
        initialBytes: first.reads[i]!.bytes,
        available: () => {
          const maxOffset = isolation === READ_COMMITTED ? log.lastStableOffset : log.highWatermark;
          const r = log.read(t.fetchOffset, limit, { maxOffset, minOneBatch: true });
          return r.errorCode !== ErrorCode.NONE ? Infinity : Math.min(r.bytes, limit);
        },
      });
    }
    return FetchWaiter.of(broker)
      .wait({ partitions: watched, minBytes: request.minBytes, maxWaitMs: request.maxWaitMs })
      .then(() => finish(readAll()));
  },
});
