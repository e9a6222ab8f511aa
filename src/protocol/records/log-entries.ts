/**
 * Walks the entries of a records buffer without decoding them. Every Kafka message format starts an
 * entry the same way: [offset int64][size int32] and the magic byte at entry offset 16 (v2: after the
 * partition leader epoch; v0/v1: after the message CRC). So one walker serves batches and legacy
 * message sets alike; `size` counts the 12-byte log overhead.
 */
import { CorruptRecordError } from './errors.js';

export const ENTRY_LOG_OVERHEAD = 12;
const MAGIC_AT = 16;

export interface LogEntrySlice {
  /** Byte position of the entry in the buffer. */
  position: number;
  /** Entry size in bytes, log overhead included. */
  size: number;
  magic: number;
}

export interface WalkOptions {
  /** Stop quietly at an incomplete last entry (fetch responses may end mid-batch). Default false: throw. */
  allowTrailingPartial?: boolean;
}

/** Yields each complete entry of `buf[start, end)`. Throws CorruptRecordError on impossible sizes. */
export function* logEntries(buf: Buffer, start = 0, end = buf.length, options: WalkOptions = {}): Generator<LogEntrySlice> {
  let pos = start;
  while (pos < end) {
    const left = end - pos;
    if (left < ENTRY_LOG_OVERHEAD + 5) {
      if (options.allowTrailingPartial) return;
      throw new CorruptRecordError(`truncated entry: ${left} bytes left at position ${pos}`);
    }
    const sizeField = buf.readInt32BE(pos + 8);
    // The smallest legal entry is a magic-0 message (14 bytes); anything smaller is corrupt.
    if (sizeField < 14) throw new CorruptRecordError(`invalid entry size ${sizeField} at position ${pos}`);
    const size = ENTRY_LOG_OVERHEAD + sizeField;
    if (size > left) {
      if (options.allowTrailingPartial) return;
      throw new CorruptRecordError(`truncated entry: needs ${size} bytes, ${left} left at position ${pos}`);
    }
    yield { position: pos, size, magic: buf.readInt8(pos + MAGIC_AT) };
    pos += size;
  }
}
