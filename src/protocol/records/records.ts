/**
 * Record batch v2 (magic 2) encode and decode, records included: for tests, compaction, and format
 * conversion. The produce and fetch paths never come here; they keep batches as opaque bytes and use
 * batch-header.ts. Layout of the 61-byte header: batch-header.ts; of one record: record.ts.
 */
import {
  CompressionType,
  CONTROL_FLAG_MASK,
  DELETE_HORIZON_FLAG_MASK,
  LOG_OVERHEAD,
  MAGIC_V2,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  RECORD_BATCH_HEADER_SIZE,
  TIMESTAMP_TYPE_MASK,
  TimestampType,
  TRANSACTIONAL_FLAG_MASK,
  checkBatch,
  readBatchHeader,
  writeBatchCrc,
  writeBatchHeader,
  type RecordBatchHeader,
} from './batch-header.js';
import { codecFor } from './compression/index.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from './compression/types.js';
import { CorruptRecordError } from './errors.js';
import { logEntries, type WalkOptions } from './log-entries.js';
import { prepareRecord, readRecord, recordSize, writeRecord, type DecodedRecord, type RecordInput } from './record.js';
import { RecordReader } from './varint.js';

export interface RecordBatchInput {
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  isTransactional?: boolean;
  isControl?: boolean;
  timestampType?: TimestampType;
  compression?: CompressionType;
  compressionLevel?: number;
  /** Default: the first record's timestamp (Kafka's choice), or -1 for an empty batch. */
  baseTimestamp?: number;
  /** Default: the largest record timestamp. For LogAppendTime pass the append time. */
  maxTimestamp?: number;
  /** Sets the delete-horizon attribute (KIP-534, compaction); the horizon is stored as baseTimestamp. */
  deleteHorizonMs?: number;
  /** Default: the last record's offsetDelta. Compaction keeps the original when it drops records. */
  lastOffsetDelta?: number;
  records: readonly RecordInput[];
}

export interface DecodedRecordBatch extends RecordBatchHeader {
  compression: number;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  hasDeleteHorizon: boolean;
  /** Bytes the batch occupies in the input, log overhead included. */
  sizeInBytes: number;
  records: DecodedRecord[];
}

export interface DecodeOptions {
  /** Check the CRC-32C (default true). */
  verifyCrc?: boolean;
  /** Bound on the decompressed records of one batch. */
  maxDecompressedBytes?: number;
}

/** Encodes one v2 batch: sizes first, one allocation, CRC-32C last. */
export function encodeRecordBatch(input: RecordBatchInput): Buffer {
  const now = Date.now();
  const records = input.records;
  const timestamps = records.map((r) => r.timestamp ?? input.baseTimestamp ?? now);
  const baseTimestamp =
    input.deleteHorizonMs ?? input.baseTimestamp ?? (timestamps.length > 0 ? timestamps[0]! : NO_TIMESTAMP);
  let maxTimestamp = input.maxTimestamp;
  if (maxTimestamp === undefined) {
    maxTimestamp = NO_TIMESTAMP;
    for (const t of timestamps) if (t > maxTimestamp) maxTimestamp = t;
  }

  const prepared = records.map((r, i) => prepareRecord(r, timestamps[i]! - baseTimestamp, r.offsetDelta ?? i));
  let bodySize = 0;
  for (const p of prepared) bodySize += recordSize(p);
  let body: Buffer = Buffer.allocUnsafe(bodySize);
  let pos = 0;
  for (const p of prepared) pos = writeRecord(body, pos, p);

  const compression = input.compression ?? CompressionType.None;
  if (compression !== CompressionType.None) body = codecFor(compression).compress(body, input.compressionLevel, MAGIC_V2);

  let attributes = compression;
  if (input.timestampType === TimestampType.LogAppendTime) attributes |= TIMESTAMP_TYPE_MASK;
  if (input.isTransactional) attributes |= TRANSACTIONAL_FLAG_MASK;
  if (input.isControl) attributes |= CONTROL_FLAG_MASK;
  if (input.deleteHorizonMs !== undefined) attributes |= DELETE_HORIZON_FLAG_MASK;

  const lastOffsetDelta =
    input.lastOffsetDelta ?? (prepared.length > 0 ? prepared[prepared.length - 1]!.offsetDelta : 0);
  const out = Buffer.allocUnsafe(RECORD_BATCH_HEADER_SIZE + body.length);
  writeBatchHeader(out, 0, {
    baseOffset: input.baseOffset ?? 0,
    batchLength: RECORD_BATCH_HEADER_SIZE - LOG_OVERHEAD + body.length,
    partitionLeaderEpoch: input.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH,
    magic: MAGIC_V2,
    crc: 0,
    attributes,
    lastOffsetDelta,
    baseTimestamp,
    maxTimestamp,
    producerId: input.producerId ?? NO_PRODUCER_ID,
    producerEpoch: input.producerEpoch ?? NO_PRODUCER_EPOCH,
    baseSequence: input.baseSequence ?? NO_SEQUENCE,
    recordCount: records.length,
  });
  body.copy(out, RECORD_BATCH_HEADER_SIZE);
  writeBatchCrc(out, 0);
  return out;
}

const PROBLEM_TEXT = {
  truncated: 'record batch is truncated',
  'bad-length': 'record batch length is smaller than its header',
  'bad-magic': 'not a v2 record batch (magic is not 2)',
  'bad-crc': 'record batch CRC-32C mismatch',
} as const;

/** A checked batch whose records are read on demand, one at a time (for very large batches). */
export interface RecordBatchView extends Omit<DecodedRecordBatch, 'records'> {
  /** Decompresses (once per call) and yields the records with Kafka's per-record checks. */
  records(): Generator<DecodedRecord>;
}

/** Checks the v2 batch at `offset` (length, magic, CRC, codec id) without touching its records. */
export function readRecordBatch(buf: Buffer, offset = 0, options: DecodeOptions = {}): RecordBatchView {
  const problem = checkBatch(buf, offset, buf.length, options.verifyCrc ?? true);
  if (problem !== undefined) throw new CorruptRecordError(PROBLEM_TEXT[problem]);
  const header = readBatchHeader(buf, offset);
  const sizeInBytes = LOG_OVERHEAD + header.batchLength;
  const compression = header.attributes & 0x07;
  const codec = codecFor(compression);
  if (header.recordCount < 0) throw new CorruptRecordError(`invalid record count ${header.recordCount}`);
  const timestampType =
    (header.attributes & TIMESTAMP_TYPE_MASK) !== 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;

  function* records(): Generator<DecodedRecord> {
    const payloadStart = offset + RECORD_BATCH_HEADER_SIZE;
    const payloadEnd = offset + sizeInBytes;
    let reader: RecordReader;
    if (compression === CompressionType.None) {
      reader = new RecordReader(buf, payloadStart, payloadEnd);
    } else {
      const max = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
      const data = codec.decompress(buf.subarray(payloadStart, payloadEnd), max, MAGIC_V2);
      reader = new RecordReader(data, 0, data.length);
    }
    for (let i = 0; i < header.recordCount; i++) {
      if (reader.remaining === 0) {
        throw new CorruptRecordError(`record batch declares ${header.recordCount} records but holds ${i}`);
      }
      const record = readRecord(reader, header.baseOffset, header.baseTimestamp);
      // Kafka: with LogAppendTime every record's timestamp is the batch's maxTimestamp.
      if (timestampType === TimestampType.LogAppendTime) record.timestamp = header.maxTimestamp;
      yield record;
    }
    if (reader.remaining !== 0) {
      throw new CorruptRecordError('incorrect declared batch size: bytes remain after the last record');
    }
  }

  return {
    ...header,
    compression,
    timestampType,
    isTransactional: (header.attributes & TRANSACTIONAL_FLAG_MASK) !== 0,
    isControl: (header.attributes & CONTROL_FLAG_MASK) !== 0,
    hasDeleteHorizon: (header.attributes & DELETE_HORIZON_FLAG_MASK) !== 0,
    sizeInBytes,
    records,
  };
}

/** Decodes the v2 batch at `offset`, decompressing its records. Throws CorruptRecordError. */
export function decodeRecordBatch(buf: Buffer, offset = 0, options: DecodeOptions = {}): DecodedRecordBatch {
  const view = readRecordBatch(buf, offset, options);
  return { ...view, records: [...view.records()] };
}

/** Decodes every v2 batch in `buf[start, end)` in order. A legacy (magic 0/1) entry is corrupt here. */
export function* iterateRecordBatches(
  buf: Buffer,
  options: DecodeOptions & WalkOptions & { start?: number; end?: number } = {},
): Generator<DecodedRecordBatch> {
  for (const entry of logEntries(buf, options.start ?? 0, options.end ?? buf.length, options)) {
    if (entry.magic !== MAGIC_V2) {
      throw new CorruptRecordError(`expected magic 2 at position ${entry.position}, found ${entry.magic}`);
    }
    yield decodeRecordBatch(buf.subarray(0, entry.position + entry.size), entry.position, options);
  }
}

/** All batches of `buf` as an array. */
export function decodeRecordBatches(buf: Buffer, options: DecodeOptions & WalkOptions = {}): DecodedRecordBatch[] {
  return [...iterateRecordBatches(buf, options)];
}
