/**
 * The partitions of a coordinator's internal topic (`__consumer_offsets`, `__transaction_state`) as
 * the coordinators use them: records appended as one ordinary v2 batch, and a replay from the log
 * start that reads stored batches in bounded chunks and releases each read when done.
 */
import { ErrorCode } from '../protocol/errors.js';
import { encodeRecordBatch } from '../protocol/records/records.js';
import type { AppendResult, PartitionLog } from '../storage/index.js';

/** Where a coordinator's log lives: the broker gives the partitions of its internal topic. */
export interface CoordinatorTopic {
  /** Partition count of the topic (existing, or the one it will be created with). */
  partitions(): number;
  /** The partition's log; creates the topic when `create` and it is missing. */
  partition(index: number, create: boolean): PartitionLog | undefined;
}

/** A key and value in the coordinator's record format. */
export interface PendingRecord {
  readonly key: Buffer;
  /** null = tombstone */
  readonly value: Buffer | null;
}

/** Appends `records` as one batch stamped `now`. */
export function appendRecords(log: PartitionLog, records: readonly PendingRecord[], now: number): AppendResult {
  const batch = encodeRecordBatch({ records: records.map((r) => ({ key: r.key, value: r.value, timestamp: now })) });
  return log.append(batch, { origin: 'coordinator', now });
}

const READ_CHUNK = 4 << 20;

/**
 * Reads `log` from its start in chunks of whole stored batches. `visit` gets each read's chunks and the
 * offset they were read from, and returns the offset after the last batch it consumed; the replay
 * stops at the log end, on a read error, or when `visit` makes no progress.
 */
export function replayLog(log: PartitionLog, visit: (chunks: readonly Buffer[], from: number) => number): void {
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const read = log.read(offset, READ_CHUNK);
    if (read.errorCode !== ErrorCode.NONE || read.chunks.length === 0) break;
    let next: number;
    try {
      next = visit(read.chunks, offset);
    } finally {
      read.release();
    }
    if (next <= offset) break;
    offset = next;
  }
}
