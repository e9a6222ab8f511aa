/**
 * Record-level lookups inside one batch, for ListOffsets (first record with timestamp >= T, the record
 * holding the max timestamp). Uncompressed batches are walked directly (record: length varint,
 * attributes int8, timestampDelta varlong, offsetDelta varint, ...). Compressed batches are
 * decompressed with the records module's codecs (bounded output); `setRecordsDecompressor` replaces
 * that (tests, embedding). If the records cannot be walked, the answer falls back to the batch's base
 * offset: a consumer then starts slightly early, never late.
 */
import {
  batchAttributes,
  batchBaseOffset,
  batchBaseTimestamp,
  batchMaxTimestamp,
  batchPartitionLeaderEpoch,
  batchSize,
  COMPRESSION_CODEC_MASK,
  RECORDS_OFFSET,
  TIMESTAMP_TYPE_MASK,
} from '../protocol/records/batch-header.js';
import { decompress } from '../protocol/records/compression/index.js';

/** (compression codec id 1-4, compressed records bytes) → the uncompressed records bytes. */
export type RecordsDecompressor = (codec: number, compressed: Buffer) => Buffer;

let decompressor: RecordsDecompressor | undefined = (codec, compressed) => decompress(codec, compressed);

export function setRecordsDecompressor(fn: RecordsDecompressor | undefined): void {
  decompressor = fn;
}

export interface RecordHit {
  readonly offset: number;
  readonly timestamp: number;
  /** The batch's partitionLeaderEpoch. */
  readonly leaderEpoch: number;
}

/** Reads a zigzag varint at `pos`; returns [value, next position], or undefined when malformed. */
function readVarint(b: Buffer, pos: number): [number, number] | undefined {
  let raw = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= b.length) return undefined;
    const byte = b[pos++]!;
    raw += (byte & 0x7f) * mul;
    if ((byte & 0x80) === 0) {
      const value = raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
      return [value, pos];
    }
    mul *= 128;
  }
  return undefined;
}

/** Calls `visit(offsetDelta, timestamp)` per record until it returns true. False if the records could not be walked. */
function walkRecords(batch: Buffer, visit: (offsetDelta: number, timestamp: number) => boolean): boolean {
  const attrs = batchAttributes(batch, 0);
  const codec = attrs & COMPRESSION_CODEC_MASK;
  let records = batch.subarray(RECORDS_OFFSET, batchSize(batch, 0));
  if (codec !== 0) {
    if (decompressor === undefined) return false;
    try {
      records = decompressor(codec, records);
    } catch {
      return false;
    }
  }
  const base = batchBaseTimestamp(batch, 0);
  let pos = 0;
  while (pos < records.length) {
    const len = readVarint(records, pos);
    if (!len) return false;
    const bodyStart = len[1];
    const ts = readVarint(records, bodyStart + 1);
    if (!ts) return false;
    const od = readVarint(records, ts[1]);
    if (!od) return false;
    if (visit(od[0], base + ts[0])) return true;
    pos = bodyStart + len[0];
  }
  return true;
}

/** First record in `batch` (a whole batch at offset 0) with timestamp >= `timestamp`. */
export function firstRecordAtOrAfter(batch: Buffer, timestamp: number): RecordHit {
  const baseOffset = batchBaseOffset(batch, 0);
  const maxTs = batchMaxTimestamp(batch, 0);
  const leaderEpoch = batchPartitionLeaderEpoch(batch, 0);
  if ((batchAttributes(batch, 0) & TIMESTAMP_TYPE_MASK) !== 0) return { offset: baseOffset, timestamp: maxTs, leaderEpoch };
  let hit: RecordHit | undefined;
  const ok = walkRecords(batch, (delta, ts) => {
    if (ts >= timestamp) {
      hit = { offset: baseOffset + delta, timestamp: ts, leaderEpoch };
      return true;
    }
    return false;
  });
  return ok && hit ? hit : { offset: baseOffset, timestamp: maxTs, leaderEpoch };
}

/** The first record in `batch` whose timestamp equals the batch's max timestamp. */
export function recordWithMaxTimestamp(batch: Buffer): RecordHit {
  const maxTs = batchMaxTimestamp(batch, 0);
  return firstRecordAtOrAfter(batch, maxTs);
}
