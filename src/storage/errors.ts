/**
 * Kafka error codes that storage reports (numbers from the Kafka protocol's error table), and the
 * error type thrown by storage's administrative calls. The hot paths (append, read) return codes
 * in their results instead of throwing, because partial success per partition is normal.
 */
export const StorageErrorCode = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  MESSAGE_TOO_LARGE: 10,
  INVALID_TOPIC_EXCEPTION: 17,
  RECORD_LIST_TOO_LARGE: 18,
  INVALID_TIMESTAMP: 32,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_CONFIG: 40,
  POLICY_VIOLATION: 44,
  KAFKA_STORAGE_ERROR: 56,
  UNKNOWN_TOPIC_ID: 100,
  INVALID_RECORD: 87,
  INCONSISTENT_TOPIC_ID: 103,
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
