/**
 * Full validation of one produced v2 batch, record by record, as Kafka's LogValidator does it where it
 * decodes records (the slow path: recompression, compacted topics, brook.produce.validation=full):
 *   - the payload decompresses (bounded) and every record parses: else CORRUPT_MESSAGE;
 *   - the records fill the payload exactly and their number matches the header's recordCount:
 *     else INVALID_RECORD;
 *   - inner offsets are incremental: record i has offsetDelta i (Kafka: "does not have incremental
 *     offsets"): a per-record INVALID_RECORD;
 *   - on a compacted topic every record has a key ("Compacted topic cannot accept message without
 *     key"): a per-record INVALID_RECORD;
 *   - CreateTime timestamps within message.timestamp.before/after.max.ms: a per-record error, and the
 *     answer is INVALID_TIMESTAMP.
 * Per-record problems are collected for the whole batch (Produce v8+ record_errors), not only the first.
 * The header (length, magic, CRC) must have been checked by the caller.
 */
import { ErrorCode } from '../../protocol/errors.js';
import {
  MAGIC_V2,
  RECORDS_OFFSET,
  batchBaseTimestamp,
  batchCompression,
  batchRecordCount,
  batchSize,
} from '../../protocol/records/batch-header.js';
import { codecFor, DEFAULT_MAX_DECOMPRESSED_BYTES } from '../../protocol/records/compression/index.js';
import { CorruptRecordError, DecompressionLimitError } from '../../protocol/records/errors.js';
import { RecordReader } from '../../protocol/records/varint.js';

/** One entry of Produce v8+ record_errors: the record's index inside its batch and why. */
export interface RecordError {
  readonly batchIndex: number;
  readonly batchIndexErrorMessage: string | null;
}

export interface ValidatedBatch {
  readonly ok: true;
  /** The batch's records, uncompressed: a view into the batch when it was sent uncompressed. */
  readonly records: Buffer;
  readonly recordCount: number;
}

export interface RejectedBatch {
  readonly ok: false;
  readonly errorCode: number;
  readonly message: string;
  /** Per-record problems (empty when the batch as a whole is bad). */
  readonly recordErrors: readonly RecordError[];
}

export interface ValidateOptions {
  /** Refuse keyless records (cleanup.policy includes compact). */
  readonly compacted: boolean;
  /** Bound on the decompressed payload (default 64 MiB). */
  readonly maxDecompressedBytes?: number;
  /** The error for a payload above that bound (default CORRUPT_MESSAGE, as for a decompression bomb). */
  readonly tooLargeErrorCode?: number;
  /** Topic-partition named in messages, as Kafka does. */
  readonly where?: string;
  /**
   * CreateTime bounds (message.timestamp.before/after.max.ms) checked per record, as Kafka's validator
   * does where it reads records: a per-record INVALID_TIMESTAMP. Omit for LogAppendTime topics.
   */
  readonly timestamps?: { readonly now: number; readonly beforeMaxMs: number; readonly afterMaxMs: number };
}

/** Most per-record errors reported for one batch (a 100k-record batch of keyless records stays small). */
const MAX_RECORD_ERRORS = 1000;

const reject = (errorCode: number, message: string, recordErrors: readonly RecordError[] = []): RejectedBatch => ({
  ok: false,
  errorCode,
  message,
  recordErrors,
});

/** What the validator needs of one record; the walk allocates nothing (no key/value/header views). */
interface RecordShape {
  timestampDelta: number;
  offsetDelta: number;
  hasKey: boolean;
}

function skip(r: RecordReader, len: number): void {
  if (len < 0 || len > r.end - r.pos) throw new CorruptRecordError(`record field length ${len} overruns the record`);
  r.pos += len;
}

/**
 * Steps over one record at the reader's position with the checks of Kafka's DefaultRecord.readFrom
 * (every length inside the record, non-negative header count and header key sizes, the declared size
 * matching what was read), filling `out`. Throws CorruptRecordError.
 */
function walkRecord(r: RecordReader, out: RecordShape): void {
  const bodySize = r.varint();
  if (bodySize <= 0 || bodySize > r.remaining) throw new CorruptRecordError(`invalid record size ${bodySize} (${r.remaining} bytes left)`);
  const end = r.pos + bodySize;
  const inner = new RecordReader(r.buf, r.pos, end);
  inner.int8(); // attributes (unused)
  out.timestampDelta = inner.varlong();
  out.offsetDelta = inner.varint();
  const keyLen = inner.varint();
  if (keyLen < -1) throw new CorruptRecordError(`invalid negative length ${keyLen}`);
  out.hasKey = keyLen >= 0;
  if (keyLen > 0) skip(inner, keyLen);
  const valueLen = inner.varint();
  if (valueLen < -1) throw new CorruptRecordError(`invalid negative length ${valueLen}`);
  if (valueLen > 0) skip(inner, valueLen);
  const headerCount = inner.varint();
  if (headerCount < 0) throw new CorruptRecordError(`invalid number of record headers ${headerCount}`);
  if (headerCount > inner.remaining / 2) throw new CorruptRecordError(`record header count ${headerCount} overruns the record`);
  for (let i = 0; i < headerCount; i++) {
    const hk = inner.varint();
    if (hk < 0) throw new CorruptRecordError(`invalid negative header key size ${hk}`);
    skip(inner, hk);
    const hv = inner.varint();
    if (hv < -1) throw new CorruptRecordError(`invalid negative length ${hv}`);
    if (hv > 0) skip(inner, hv);
  }
  if (inner.pos !== end) throw new CorruptRecordError(`invalid record size: expected ${bodySize} bytes, read ${inner.pos - (end - bodySize)}`);
  r.pos = end;
}

/** Decompresses the payload of the batch at `pos` (a view for uncompressed batches). Throws CorruptRecordError. */
export function batchPayload(buf: Buffer, pos: number, maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BYTES): Buffer {
  const body = buf.subarray(pos + RECORDS_OFFSET, pos + batchSize(buf, pos));
  const codec = codecFor(batchCompression(buf, pos));
  return codec.type === 0 ? body : codec.decompress(body, maxDecompressedBytes, MAGIC_V2);
}

/** Validates the records of the (header-checked) v2 batch at `pos`. Never throws for bad input. */
export function validateBatchRecords(buf: Buffer, pos: number, options: ValidateOptions): ValidatedBatch | RejectedBatch {
  const where = options.where !== undefined ? ` in topic partition ${options.where}` : '';
  let records: Buffer;
  try {
    records = batchPayload(buf, pos, options.maxDecompressedBytes);
  } catch (err) {
    if (err instanceof DecompressionLimitError && options.tooLargeErrorCode !== undefined) {
      return reject(options.tooLargeErrorCode, `Record batch decompresses to more than ${err.limit} bytes${where}`);
    }
    return reject(ErrorCode.CORRUPT_MESSAGE, `Record batch payload cannot be decompressed: ${(err as Error).message}`);
  }
  const declared = batchRecordCount(buf, pos);
  const reader = new RecordReader(records, 0, records.length);
  const recordErrors: RecordError[] = [];
  const record: RecordShape = { timestampDelta: 0, offsetDelta: 0, hasKey: false };
  const baseTimestamp = batchBaseTimestamp(buf, pos);
  const bounds = options.timestamps;
  let count = 0;
  let keyless = 0;
  let badTimestamps = 0;
  try {
    while (reader.remaining > 0) {
      walkRecord(reader, record);
      if (record.offsetDelta !== count && recordErrors.length < MAX_RECORD_ERRORS) {
        recordErrors.push({
          batchIndex: count,
          batchIndexErrorMessage: `Inner record at index ${count} does not have incremental offsets: offset delta ${record.offsetDelta}, expected ${count}${where}`,
        });
      }
      if (options.compacted && !record.hasKey) {
        keyless++;
        if (recordErrors.length < MAX_RECORD_ERRORS) {
          recordErrors.push({ batchIndex: count, batchIndexErrorMessage: `Compacted topic cannot accept message without key${where}` });
        }
      }
      if (bounds !== undefined) {
        const ts = baseTimestamp + record.timestampDelta;
        if (bounds.now - ts > bounds.beforeMaxMs || ts - bounds.now > bounds.afterMaxMs) {
          badTimestamps++;
          if (recordErrors.length < MAX_RECORD_ERRORS) {
            recordErrors.push({
              batchIndex: count,
              batchIndexErrorMessage: `Timestamp ${ts} of record ${count} is out of range (message.timestamp.before.max.ms / after.max.ms)${where}`,
            });
          }
        }
      }
      count++;
    }
  } catch (err) {
    const detail = err instanceof CorruptRecordError ? err.message : String(err);
    return reject(ErrorCode.CORRUPT_MESSAGE, `Record ${count} of the batch is malformed: ${detail}`);
  }
  if (count !== declared) {
    return reject(ErrorCode.INVALID_RECORD, `Record count ${declared} in the batch header does not match the ${count} records in the batch${where}`);
  }
  if (badTimestamps > 0) {
    // Kafka: any timestamp error makes the whole answer INVALID_TIMESTAMP.
    return reject(ErrorCode.INVALID_TIMESTAMP, `One or more records have been rejected due to invalid timestamp${where}`, recordErrors);
  }
  if (recordErrors.length > 0) {
    const first = recordErrors[0]!.batchIndexErrorMessage;
    const summary =
      keyless > 0 && keyless === recordErrors.length
        ? `Compacted topic cannot accept message without key${where} (${keyless} of ${count} records have none)`
        : `One or more records have been rejected due to ${recordErrors.length} record errors in total; the first: ${first}`;
    return reject(ErrorCode.INVALID_RECORD, summary, recordErrors);
  }
  return { ok: true, records, recordCount: count };
}
