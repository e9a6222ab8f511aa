/**
 * Typed errors of the record layer. The broker maps them to Kafka error codes in produce responses
 * (CORRUPT_MESSAGE = 2 for anything it cannot decode), so they carry the code they stand for.
 * Decoders throw only these for bad input: native codec errors are wrapped, never leaked.
 */

/** Kafka error codes the record layer reports (from the protocol spec's error table). */
export const RecordsErrorCode = {
  CorruptMessage: 2,
  UnsupportedCompressionType: 76,
} as const;
export type RecordsErrorCode = (typeof RecordsErrorCode)[keyof typeof RecordsErrorCode];

/** Bytes that cannot be decoded: bad frame, truncated input, bad checksum, impossible length. */
export class CorruptRecordError extends Error {
  readonly errorCode: RecordsErrorCode = RecordsErrorCode.CorruptMessage;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CorruptRecordError';
  }
}

/** Decompressed output would exceed the caller's limit (a decompression bomb, or simply too big). */
export class DecompressionLimitError extends CorruptRecordError {
  readonly limit: number;

  constructor(codec: string, limit: number) {
    super(`${codec}: decompressed size exceeds the limit of ${limit} bytes`);
    this.name = 'DecompressionLimitError';
    this.limit = limit;
  }
}

/** A compression id outside 0..4 (the attribute bits can hold 5..7). Kafka treats these as corrupt. */
export class UnknownCompressionError extends CorruptRecordError {
  readonly compressionId: number;

  constructor(id: number) {
    super(`unknown compression type id ${id}`);
    this.name = 'UnknownCompressionError';
    this.compressionId = id;
  }
}

/**
 * The data is fine but the requester cannot take its codec: zstd for a consumer on a message format
 * older than v2 (Fetch < v10 down-conversion), as Kafka answers UNSUPPORTED_COMPRESSION_TYPE.
 */
export class UnsupportedCompressionTypeError extends Error {
  readonly errorCode: RecordsErrorCode = RecordsErrorCode.UnsupportedCompressionType;

  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedCompressionTypeError';
  }
}

/** Wraps whatever a native codec threw into a CorruptRecordError, keeping the cause. */
export function corrupt(codec: string, err: unknown): CorruptRecordError {
  if (err instanceof CorruptRecordError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new CorruptRecordError(`${codec}: corrupt compressed data (${detail})`, { cause: err });
}
