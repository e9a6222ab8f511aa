/**
 * Produce-path validation and offset assignment, shared by the disk and memory logs.
 *
 * Two passes over the batch headers of one request's records (the records themselves stay opaque):
 *   1. `validateBatches` checks every batch and touches nothing, so a bad batch leaves the log as it was;
 *   2. `assignOffsets` patches baseOffset and partitionLeaderEpoch in place (outside the CRC) and, for
 *      LogAppendTime topics, stamps maxTimestamp + the timestamp-type bit and recomputes the CRC.
 * Error codes follow Kafka's produce path: CorruptRecordException → CORRUPT_MESSAGE,
 * InvalidRecordException → INVALID_RECORD, RecordTooLargeException → MESSAGE_TOO_LARGE,
 * RecordBatchTooLargeException → RECORD_LIST_TOO_LARGE, InvalidTimestampException → INVALID_TIMESTAMP.
 */
import {
  checkBatch,
  batchSize,
  batchMagic,
  batchAttributes,
  batchRecordCountConsistent,
  batchBaseTimestamp,
  batchMaxTimestamp,
  batchLastOffsetDelta,
  setBatchBaseOffset,
  setBatchPartitionLeaderEpoch,
  setBatchLogAppendTime,
  COMPRESSION_CODEC_MASK,
  CONTROL_FLAG_MASK,
  MAGIC_V2,
} from '../protocol/records/batch-header.js';
import { StorageErrorCode } from './errors.js';
import type { LogConfig } from './types.js';

export interface BatchesSummary {
  /** Number of batches in the input. */
  readonly batchCount: number;
  /** Sum over batches of lastOffsetDelta + 1: the offsets the input consumes. */
  readonly offsetCount: number;
}

export interface ValidationError {
  readonly errorCode: number;
  readonly errorMessage: string;
  readonly batchIndex: number;
}

const fail = (errorCode: number, errorMessage: string, batchIndex: number): ValidationError => ({
  errorCode,
  errorMessage,
  batchIndex,
});

/** Checks every batch of a produce request's records. Returns a summary, or the first error. */
export function validateBatches(
  records: Buffer,
  config: LogConfig,
  now: number,
  allowControl: boolean,
): BatchesSummary | ValidationError {
  const end = records.length;
  if (end === 0) return fail(StorageErrorCode.INVALID_RECORD, 'Produce request must have at least one record batch', -1);
  if (end > config.segmentBytes) {
    return fail(
      StorageErrorCode.RECORD_LIST_TOO_LARGE,
      `Message batch size is ${end} bytes which exceeds the maximum configured segment size of ${config.segmentBytes}`,
      -1,
    );
  }
  const checkTimestamps =
    config.timestampType === 'CreateTime' &&
    (Number.isFinite(config.timestampBeforeMaxMs) || Number.isFinite(config.timestampAfterMaxMs));
  let pos = 0;
  let index = 0;
  let offsetCount = 0;
  while (pos < end) {
    // Size first: it is cheap and must win over a CRC check of a huge batch.
    if (end - pos >= 12) {
      const size = batchSize(records, pos);
      if (size > config.maxMessageBytes && size <= end - pos) {
        return fail(
          StorageErrorCode.MESSAGE_TOO_LARGE,
          `The batch is ${size} bytes, larger than max.message.bytes (${config.maxMessageBytes})`,
          index,
        );
      }
    }
    const problem = checkBatch(records, pos, end);
    if (problem !== undefined) {
      switch (problem) {
        case 'bad-magic': {
          const magic = batchMagic(records, pos);
          return magic >= 0 && magic < MAGIC_V2
            ? fail(StorageErrorCode.INVALID_RECORD, `Record batches must have magic 2, got magic ${magic}`, index)
            : fail(StorageErrorCode.CORRUPT_MESSAGE, `Invalid magic ${magic} in record batch`, index);
        }
        case 'bad-crc':
          return fail(StorageErrorCode.CORRUPT_MESSAGE, 'Record batch is corrupt (CRC-32C mismatch)', index);
        case 'truncated':
          return fail(StorageErrorCode.CORRUPT_MESSAGE, 'Record batch is truncated: its length exceeds the bytes sent', index);
        case 'bad-length':
          return fail(StorageErrorCode.CORRUPT_MESSAGE, 'Record batch length is smaller than the batch header', index);
      }
    }
    const attributes = batchAttributes(records, pos);
    if ((attributes & COMPRESSION_CODEC_MASK) > 4) {
      return fail(StorageErrorCode.CORRUPT_MESSAGE, `Unknown compression type id ${attributes & COMPRESSION_CODEC_MASK}`, index);
    }
    if (!batchRecordCountConsistent(records, pos)) {
      return fail(StorageErrorCode.INVALID_RECORD, 'Record count does not match the batch offset range (lastOffsetDelta + 1)', index);
    }
    if ((attributes & CONTROL_FLAG_MASK) !== 0 && !allowControl) {
      return fail(StorageErrorCode.INVALID_RECORD, 'Clients are not allowed to write control records', index);
    }
    if (checkTimestamps) {
      const first = batchBaseTimestamp(records, pos);
      const max = batchMaxTimestamp(records, pos);
      if (now - Math.min(first, max) > config.timestampBeforeMaxMs || Math.max(first, max) - now > config.timestampAfterMaxMs) {
        return fail(
          StorageErrorCode.INVALID_TIMESTAMP,
          `Timestamp of the record batch is out of range (message.timestamp.before.max.ms / after.max.ms)`,
          index,
        );
      }
    }
    offsetCount += batchLastOffsetDelta(records, pos) + 1;
    pos += batchSize(records, pos);
    index++;
  }
  return { batchCount: index, offsetCount };
}

export function isValidationError(r: BatchesSummary | ValidationError): r is ValidationError {
  return (r as ValidationError).errorCode !== undefined;
}

/**
 * Patches offsets (from `nextOffset`) and the leader epoch into already validated batches; stamps
 * LogAppendTime when `appendTime` >= 0. Returns the next offset after the last batch.
 */
export function assignOffsets(records: Buffer, nextOffset: number, leaderEpoch: number, appendTime: number): number {
  const end = records.length;
  let pos = 0;
  let offset = nextOffset;
  while (pos < end) {
    setBatchBaseOffset(records, pos, offset);
    setBatchPartitionLeaderEpoch(records, pos, leaderEpoch);
    if (appendTime >= 0) setBatchLogAppendTime(records, pos, appendTime);
    offset += batchLastOffsetDelta(records, pos) + 1;
    pos += batchSize(records, pos);
  }
  return offset;
}
