/**
 * Re-encodes a produced v2 batch with another codec (compression.type differs from the producer's).
 *
 * The uncompressed records body is kept byte for byte (offset deltas, timestamp deltas, keys, values,
 * headers) and only the payload is recompressed; the header is copied, so the producer id, epoch,
 * base sequence, transactional flag, timestamps, leader epoch and offsets survive. The attributes
 * get the new codec bits, batchLength the new size, and the CRC-32C is recomputed.
 */
import {
  ATTRIBUTES_OFFSET,
  BATCH_LENGTH_OFFSET,
  COMPRESSION_CODEC_MASK,
  LOG_OVERHEAD,
  MAGIC_V2,
  RECORD_BATCH_HEADER_SIZE,
  batchAttributes,
  writeBatchCrc,
} from '../../protocol/records/batch-header.js';
import { codecFor } from '../../protocol/records/compression/index.js';

/**
 * A new batch with the header of the batch at `pos` in `buf` and `records` (its uncompressed records
 * body) compressed with codec `target` at `level` (undefined: the codec's default).
 */
export function recompressBatch(buf: Buffer, pos: number, records: Buffer, target: number, level?: number): Buffer {
  const body = target === 0 ? records : codecFor(target).compress(records, level, MAGIC_V2);
  const out = Buffer.allocUnsafe(RECORD_BATCH_HEADER_SIZE + body.length);
  buf.copy(out, 0, pos, pos + RECORD_BATCH_HEADER_SIZE);
  body.copy(out, RECORD_BATCH_HEADER_SIZE);
  out.writeInt32BE(RECORD_BATCH_HEADER_SIZE - LOG_OVERHEAD + body.length, BATCH_LENGTH_OFFSET);
  out.writeInt16BE((batchAttributes(buf, pos) & ~COMPRESSION_CODEC_MASK) | target, ATTRIBUTES_OFFSET);
  writeBatchCrc(out, 0);
  return out;
}
