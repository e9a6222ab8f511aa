/**
 * ListOffsets (key 2): v0-11.
 *
 * Behaviour, per partition (single node, leader epoch 0, no tiered storage):
 *   - -2 EARLIEST: the log start offset. -1 LATEST: the high watermark, or the last stable offset for
 *     read_committed (v2+). -3 MAX_TIMESTAMP (v7+): the first record with the largest timestamp.
 *     -4 EARLIEST_LOCAL (v8+): the log start offset (the whole log is local). -5 LATEST_TIERED (v9+) and
 *     -6 EARLIEST_PENDING_UPLOAD (v11+): nothing is tiered, so offset -1, as Kafka answers without
 *     remote storage. A special timestamp the version does not know: UNSUPPORTED_VERSION.
 *   - A timestamp >= 0: the first offset whose record timestamp is at or after it (below the high
 *     watermark / LSO), or offset -1 and timestamp -1 when there is none.
 *   - Found offsets carry leader epoch 0 (v4+); current_leader_epoch above 0: UNKNOWN_LEADER_EPOCH.
 *   - v0 answers the old form: up to max_num_offsets offsets, newest first (LATEST: the high watermark
 *     and then the log start offset; EARLIEST: the log start offset).
 *   - Unknown topic or partition: UNKNOWN_TOPIC_OR_PARTITION; a partition named twice in one request
 *     (v1+): INVALID_REQUEST for each, as Kafka.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type ListOffsetsResponse } from '../../protocol/messages/02-list-offsets.js';
import type { PartitionLog } from '../../storage/index.js';
import { defineHandler } from '../handler.js';
import { READ_COMMITTED } from '../fetch/read.js';
import { LEADER_EPOCH, Topics } from '../topics/topics.js';
import { producerState } from '../producers/manager.js';
import { TxnCoordinator } from '../txn/coordinator.js';

type PartitionResponse = ListOffsetsResponse['topics'][number]['partitions'][number];

export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;
export const MAX_TIMESTAMP = -3;
export const EARLIEST_LOCAL_TIMESTAMP = -4;
export const LATEST_TIERED_TIMESTAMP = -5;
export const EARLIEST_PENDING_UPLOAD_TIMESTAMP = -6;

/** The first version that knows each special timestamp. */
const SINCE_VERSION: Readonly<Record<number, number>> = { [-1]: 0, [-2]: 0, [-3]: 7, [-4]: 8, [-5]: 9, [-6]: 11 };

interface Found {
  readonly offset: number;
  readonly timestamp: number;
  readonly leaderEpoch: number;
}

const NOT_FOUND: Found = { offset: -1, timestamp: -1, leaderEpoch: -1 };

function at(offset: number): Found {
  return { offset, timestamp: -1, leaderEpoch: LEADER_EPOCH };
}

/** A lookup, or KAFKA_STORAGE_ERROR when reading the log fails (a partition's error, not the connection's). */
function safeLookup(log: PartitionLog, timestamp: number, readCommitted: boolean): Found | number {
  try {
    return lookup(log, timestamp, readCommitted);
  } catch {
    return ErrorCode.KAFKA_STORAGE_ERROR;
  }
}

function lookup(log: PartitionLog, timestamp: number, readCommitted: boolean): Found {
  // read_committed: the partition's producer state (rebuilt on first use) knows the open transactions.
  const upTo = readCommitted ? producerState(log).lastStableOffset(log.highWatermark) : log.highWatermark;
  switch (timestamp) {
    case EARLIEST_TIMESTAMP:
    case EARLIEST_LOCAL_TIMESTAMP:
      return at(log.logStartOffset);
    case LATEST_TIMESTAMP:
      return at(upTo);
    case LATEST_TIERED_TIMESTAMP:
    case EARLIEST_PENDING_UPLOAD_TIMESTAMP:
      return NOT_FOUND;
    case MAX_TIMESTAMP: {
      const m = log.maxTimestampOffset();
      return m === undefined || m.offset >= upTo ? NOT_FOUND : { offset: m.offset, timestamp: m.timestamp, leaderEpoch: LEADER_EPOCH };
    }
    default: {
      const m = log.offsetForTimestamp(timestamp);
      return m === undefined || m.offset >= upTo ? NOT_FOUND : { offset: m.offset, timestamp: m.timestamp, leaderEpoch: LEADER_EPOCH };
    }
  }
}

function failed(partitionIndex: number, errorCode: number): PartitionResponse {
  return { partitionIndex, errorCode, oldStyleOffsets: [], timestamp: -1n, offset: -1n, leaderEpoch: -1 };
}

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 11,
  handle(ctx, request, version): ListOffsetsResponse {
    const topics = Topics.of(ctx.broker);
    const readCommitted = version >= 2 && request.isolationLevel === READ_COMMITTED;
    if (readCommitted) TxnCoordinator.of(ctx.broker); // transactions left open by a restart time out

    // Kafka rejects a partition named twice (v1+) rather than answering it twice.
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    if (version >= 1) {
      for (const t of request.topics) {
        for (const p of t.partitions) {
          const key = `${t.name}\u0000${p.partitionIndex}`;
          if (seen.has(key)) duplicates.add(key);
          seen.add(key);
        }
      }
    }

    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p): PartitionResponse => {
          const index = p.partitionIndex;
          if (duplicates.has(`${t.name}\u0000${index}`)) return failed(index, ErrorCode.INVALID_REQUEST);
          const log = topics.partition(t.name, index);
          if (log === undefined) return failed(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          if (p.currentLeaderEpoch > LEADER_EPOCH) return failed(index, ErrorCode.UNKNOWN_LEADER_EPOCH);
          const ts = Number(p.timestamp);
          const since = SINCE_VERSION[ts];
          if (since !== undefined && version < since) return failed(index, ErrorCode.UNSUPPORTED_VERSION);

          if (version === 0) {
            const offsets: bigint[] = [];
            if (ts === LATEST_TIMESTAMP) {
              offsets.push(BigInt(log.highWatermark));
              if (log.logStartOffset !== log.highWatermark) offsets.push(BigInt(log.logStartOffset));
            } else {
              const f = safeLookup(log, ts, false);
              if (typeof f === 'number') return failed(index, f);
              if (f.offset >= 0) offsets.push(BigInt(f.offset));
            }
            return { ...failed(index, ErrorCode.NONE), oldStyleOffsets: offsets.slice(0, Math.max(0, p.maxNumOffsets)) };
          }
          const f = safeLookup(log, ts, readCommitted);
          if (typeof f === 'number') return failed(index, f);
          return {
            partitionIndex: index,
            errorCode: ErrorCode.NONE,
            oldStyleOffsets: [],
            timestamp: BigInt(f.timestamp),
            offset: BigInt(f.offset),
            leaderEpoch: version >= 4 ? f.leaderEpoch : -1,
          };
        }),
      })),
    };
  },
});
