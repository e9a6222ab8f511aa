/**
 * Record batch v2 header (magic 2): the 61 bytes in front of every batch, read and patched in place.
 *
 * Layout (big-endian; offsets relative to the start of the batch):
 *    0  baseOffset            int64   ┐ LOG_OVERHEAD (12): outside batchLength and the CRC
 *    8  batchLength           int32   ┘ = bytes after this field (total size - 12)
 *   12  partitionLeaderEpoch  int32     outside the CRC (the broker stamps it)
 *   16  magic                 int8      = 2 (byte 16 is the magic in every message format, v0/v1 too)
 *   17  crc                   uint32    CRC-32C of bytes [21, 12 + batchLength)
 *   21  attributes            int16     bits 0-2 compression, 3 timestamp type, 4 transactional,
 *                                       5 control, 6 delete horizon set
 *   23  lastOffsetDelta       int32
 *   27  baseTimestamp         int64     (firstTimestamp)
 *   35  maxTimestamp          int64
 *   43  producerId            int64
 *   51  producerEpoch         int16
 *   53  baseSequence          int32
 *   57  recordCount           int32
 *   61  records ...
 *
 * Sans-IO: works on bytes only. 64-bit fields are returned as plain numbers (exact up to 2^53,
 * far beyond any real offset or millisecond timestamp), which keeps the hot path free of bigint.
 */
import { crc32c } from './crc32c.js';

export const BASE_OFFSET_OFFSET = 0;
export const BATCH_LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORD_COUNT_OFFSET = 57;
export const RECORDS_OFFSET = 61;

/** Size of the v2 batch header. */
export const RECORD_BATCH_HEADER_SIZE = 61;
/** baseOffset + batchLength: the bytes not counted in batchLength. */
export const LOG_OVERHEAD = 12;
/** The smallest legal batchLength (a header with no records). */
export const MIN_BATCH_LENGTH = RECORD_BATCH_HEADER_SIZE - LOG_OVERHEAD;
/** First byte covered by the CRC. */
export const CRC_START_OFFSET = ATTRIBUTES_OFFSET;

export const MAGIC_V0 = 0;
export const MAGIC_V1 = 1;
export const MAGIC_V2 = 2;

export const COMPRESSION_CODEC_MASK = 0x07;
export const TIMESTAMP_TYPE_MASK = 0x08;
export const TRANSACTIONAL_FLAG_MASK = 0x10;
export const CONTROL_FLAG_MASK = 0x20;
export const DELETE_HORIZON_FLAG_MASK = 0x40;

export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;
export const NO_TIMESTAMP = -1;

export const TimestampType = { CreateTime: 0, LogAppendTime: 1 } as const;
export type TimestampType = (typeof TimestampType)[keyof typeof TimestampType];

export const CompressionType = { None: 0, Gzip: 1, Snappy: 2, Lz4: 3, Zstd: 4 } as const;
export type CompressionType = (typeof CompressionType)[keyof typeof CompressionType];

const TWO_POW_32 = 0x1_0000_0000;

/** Reads a signed int64 as a number (exact within ±2^53). */
export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_POW_32 + buf.readUInt32BE(pos + 4);
}

/** Writes a number (an integer within ±2^53) as a signed int64. */
export function writeInt64(buf: Buffer, pos: number, value: number): void {
  const hi = Math.floor(value / TWO_POW_32);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(value - hi * TWO_POW_32, pos + 4);
}

// ---- field readers: (buf, offset of the batch) → value, no copying ----

export const batchBaseOffset = (b: Buffer, o: number): number => readInt64(b, o + BASE_OFFSET_OFFSET);
export const batchLength = (b: Buffer, o: number): number => b.readInt32BE(o + BATCH_LENGTH_OFFSET);
/** Whole batch size in bytes, LOG_OVERHEAD included. */
export const batchSize = (b: Buffer, o: number): number => LOG_OVERHEAD + b.readInt32BE(o + BATCH_LENGTH_OFFSET);
export const batchPartitionLeaderEpoch = (b: Buffer, o: number): number => b.readInt32BE(o + PARTITION_LEADER_EPOCH_OFFSET);
export const batchMagic = (b: Buffer, o: number): number => b.readInt8(o + MAGIC_OFFSET);
export const batchCrc = (b: Buffer, o: number): number => b.readUInt32BE(o + CRC_OFFSET);
export const batchAttributes = (b: Buffer, o: number): number => b.readInt16BE(o + ATTRIBUTES_OFFSET);
export const batchLastOffsetDelta = (b: Buffer, o: number): number => b.readInt32BE(o + LAST_OFFSET_DELTA_OFFSET);
export const batchBaseTimestamp = (b: Buffer, o: number): number => readInt64(b, o + BASE_TIMESTAMP_OFFSET);
export const batchMaxTimestamp = (b: Buffer, o: number): number => readInt64(b, o + MAX_TIMESTAMP_OFFSET);
export const batchProducerId = (b: Buffer, o: number): number => readInt64(b, o + PRODUCER_ID_OFFSET);
export const batchProducerEpoch = (b: Buffer, o: number): number => b.readInt16BE(o + PRODUCER_EPOCH_OFFSET);
export const batchBaseSequence = (b: Buffer, o: number): number => b.readInt32BE(o + BASE_SEQUENCE_OFFSET);
export const batchRecordCount = (b: Buffer, o: number): number => b.readInt32BE(o + RECORD_COUNT_OFFSET);
export const batchLastOffset = (b: Buffer, o: number): number => batchBaseOffset(b, o) + batchLastOffsetDelta(b, o);
export const batchCompression = (b: Buffer, o: number): number => batchAttributes(b, o) & COMPRESSION_CODEC_MASK;
export const batchTimestampType = (b: Buffer, o: number): TimestampType =>
  (batchAttributes(b, o) & TIMESTAMP_TYPE_MASK) !== 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;
export const batchIsTransactional = (b: Buffer, o: number): boolean => (batchAttributes(b, o) & TRANSACTIONAL_FLAG_MASK) !== 0;
export const batchIsControl = (b: Buffer, o: number): boolean => (batchAttributes(b, o) & CONTROL_FLAG_MASK) !== 0;

/** A decoded copy of the header fields, for code off the hot path (tools, tests, logs). */
export interface RecordBatchHeader {
  baseOffset: number;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export function readBatchHeader(b: Buffer, o: number): RecordBatchHeader {
  return {
    baseOffset: batchBaseOffset(b, o),
    batchLength: batchLength(b, o),
    partitionLeaderEpoch: batchPartitionLeaderEpoch(b, o),
    magic: batchMagic(b, o),
    crc: batchCrc(b, o),
    attributes: batchAttributes(b, o),
    lastOffsetDelta: batchLastOffsetDelta(b, o),
    baseTimestamp: batchBaseTimestamp(b, o),
    maxTimestamp: batchMaxTimestamp(b, o),
    producerId: batchProducerId(b, o),
    producerEpoch: batchProducerEpoch(b, o),
    baseSequence: batchBaseSequence(b, o),
    recordCount: batchRecordCount(b, o),
  };
}

/** Writes a whole header (CRC field included as given); `writeBatchCrc` afterwards if records follow. */
export function writeBatchHeader(b: Buffer, o: number, h: RecordBatchHeader): void {
  writeInt64(b, o + BASE_OFFSET_OFFSET, h.baseOffset);
  b.writeInt32BE(h.batchLength, o + BATCH_LENGTH_OFFSET);
  b.writeInt32BE(h.partitionLeaderEpoch, o + PARTITION_LEADER_EPOCH_OFFSET);
  b.writeInt8(h.magic, o + MAGIC_OFFSET);
  b.writeUInt32BE(h.crc >>> 0, o + CRC_OFFSET);
  b.writeInt16BE(h.attributes, o + ATTRIBUTES_OFFSET);
  b.writeInt32BE(h.lastOffsetDelta, o + LAST_OFFSET_DELTA_OFFSET);
  writeInt64(b, o + BASE_TIMESTAMP_OFFSET, h.baseTimestamp);
  writeInt64(b, o + MAX_TIMESTAMP_OFFSET, h.maxTimestamp);
  writeInt64(b, o + PRODUCER_ID_OFFSET, h.producerId);
  b.writeInt16BE(h.producerEpoch, o + PRODUCER_EPOCH_OFFSET);
  b.writeInt32BE(h.baseSequence, o + BASE_SEQUENCE_OFFSET);
  b.writeInt32BE(h.recordCount, o + RECORD_COUNT_OFFSET);
}

// ---- setters (fields outside the CRC need no recomputation) ----

/** Patches baseOffset; outside the CRC, so the checksum stays valid. */
export function setBatchBaseOffset(b: Buffer, o: number, baseOffset: number): void {
  writeInt64(b, o + BASE_OFFSET_OFFSET, baseOffset);
}

/** Patches partitionLeaderEpoch; outside the CRC. */
export function setBatchPartitionLeaderEpoch(b: Buffer, o: number, epoch: number): void {
  b.writeInt32BE(epoch, o + PARTITION_LEADER_EPOCH_OFFSET);
}

/** Sets maxTimestamp (inside the CRC: call `writeBatchCrc` afterwards). */
export function setBatchMaxTimestamp(b: Buffer, o: number, timestamp: number): void {
  writeInt64(b, o + MAX_TIMESTAMP_OFFSET, timestamp);
}

/** Sets the timestamp-type attribute bit (inside the CRC: call `writeBatchCrc` afterwards). */
export function setBatchTimestampType(b: Buffer, o: number, type: TimestampType): void {
  const attrs = batchAttributes(b, o);
  const next = type === TimestampType.LogAppendTime ? attrs | TIMESTAMP_TYPE_MASK : attrs & ~TIMESTAMP_TYPE_MASK;
  b.writeInt16BE(next, o + ATTRIBUTES_OFFSET);
}

/**
 * What the broker does for `message.timestamp.type=LogAppendTime`: stamp the max timestamp and the
 * timestamp-type bit, then recompute the CRC.
 */
export function setBatchLogAppendTime(b: Buffer, o: number, appendTime: number): void {
  setBatchTimestampType(b, o, TimestampType.LogAppendTime);
  setBatchMaxTimestamp(b, o, appendTime);
  writeBatchCrc(b, o);
}

// ---- CRC ----

/** CRC-32C over [attributes, end of batch), using batchLength from the header. */
export function computeBatchCrc(b: Buffer, o: number): number {
  const start = o + CRC_START_OFFSET;
  const len = LOG_OVERHEAD + batchLength(b, o) - CRC_START_OFFSET;
  // Out-of-range lengths (a corrupt header) checksum whatever is there, as subarray would clamp.
  if (len < 0 || start + len > b.length) return crc32c(b.subarray(start, start + Math.max(0, len)));
  // A plain Uint8Array view is cheaper to make than Buffer#subarray on this hot path.
  return crc32c(new Uint8Array(b.buffer, b.byteOffset + start, len));
}

/** True when the stored CRC matches the bytes. The caller must ensure the whole batch is in `b`. */
export function verifyBatchCrc(b: Buffer, o: number): boolean {
  return computeBatchCrc(b, o) === batchCrc(b, o);
}

/** Recomputes and stores the CRC (after changing attributes, timestamps or records). */
export function writeBatchCrc(b: Buffer, o: number): void {
  b.writeUInt32BE(computeBatchCrc(b, o), o + CRC_OFFSET);
}

// ---- structural check ----

/** Why a batch header is unusable; storage maps these to Kafka error codes. */
export type BatchHeaderProblem =
  | 'truncated' // fewer bytes than the header or than batchLength says
  | 'bad-length' // batchLength smaller than a header
  | 'bad-magic' // not magic 2
  | 'bad-crc';

/**
 * Checks the batch starting at `o` within `b[o, end)`: length, magic and (when `checkCrc`) the CRC.
 * Returns undefined when it is sound. Order matters: the magic is checked before any v2 field, and
 * the length before the CRC reads the body.
 */
export function checkBatch(b: Buffer, o: number, end: number, checkCrc = true): BatchHeaderProblem | undefined {
  const available = end - o;
  if (available < LOG_OVERHEAD + 5) return 'truncated';
  const len = batchLength(b, o);
  if (len < MIN_BATCH_LENGTH) {
    // A legacy message (magic 0/1) is shorter than a v2 header; report the magic first.
    return batchMagic(b, o) !== MAGIC_V2 ? 'bad-magic' : 'bad-length';
  }
  if (batchMagic(b, o) !== MAGIC_V2) return 'bad-magic';
  if (len > available - LOG_OVERHEAD) return 'truncated';
  if (checkCrc && !verifyBatchCrc(b, o)) return 'bad-crc';
  return undefined;
}

/**
 * A producer's batch must say recordCount = lastOffsetDelta + 1 > 0 (Kafka's produce validation).
 * Compacted batches on disk may legally break this, so it is separate from `checkBatch`.
 */
export function batchRecordCountConsistent(b: Buffer, o: number): boolean {
  const count = batchRecordCount(b, o);
  return count > 0 && count === batchLastOffsetDelta(b, o) + 1;
}
