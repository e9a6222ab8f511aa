import { ErrorCode } from '../protocol/errors.js';

/**
 * Kafka error codes that storage reports (a subset of the shared table in src/protocol/errors.ts), and the
 * error type thrown by storage's administrative calls. The hot paths (append, read) return codes
 * in their results instead of throwing, because partial success per partition is normal.
 */
export const StorageErrorCode = {
  NONE: ErrorCode.NONE,
  OFFSET_OUT_OF_RANGE: ErrorCode.OFFSET_OUT_OF_RANGE,
  CORRUPT_MESSAGE: ErrorCode.CORRUPT_MESSAGE,
  UNKNOWN_TOPIC_OR_PARTITION: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  MESSAGE_TOO_LARGE: ErrorCode.MESSAGE_TOO_LARGE,
  INVALID_TOPIC_EXCEPTION: ErrorCode.INVALID_TOPIC_EXCEPTION,
  RECORD_LIST_TOO_LARGE: ErrorCode.RECORD_LIST_TOO_LARGE,
  INVALID_TIMESTAMP: ErrorCode.INVALID_TIMESTAMP,
  TOPIC_ALREADY_EXISTS: ErrorCode.TOPIC_ALREADY_EXISTS,
  INVALID_PARTITIONS: ErrorCode.INVALID_PARTITIONS,
  INVALID_CONFIG: ErrorCode.INVALID_CONFIG,
  POLICY_VIOLATION: ErrorCode.POLICY_VIOLATION,
  KAFKA_STORAGE_ERROR: ErrorCode.KAFKA_STORAGE_ERROR,
  UNKNOWN_TOPIC_ID: ErrorCode.UNKNOWN_TOPIC_ID,
  INVALID_RECORD: ErrorCode.INVALID_RECORD,
  INCONSISTENT_TOPIC_ID: ErrorCode.INCONSISTENT_TOPIC_ID,
} as const;
export type StorageErrorCode = (typeof StorageErrorCode)[keyof typeof StorageErrorCode];

/** Thrown by create/delete/alter calls and by opening a data directory; carries a Kafka error code. */
export class StorageError extends Error {
  readonly errorCode: number;

  constructor(errorCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.errorCode = errorCode;
  }
}
