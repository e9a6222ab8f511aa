/**
 * Conversions between legacy message sets (magic 0/1) and v2 record batches.
 *
 * Up (Produce v0–v2 into a v2 log): every message, wrappers flattened, goes into one v2 batch, the
 * way Kafka's LogValidator converts: keys, values and timestamps kept (magic 0 has none: -1), no
 * producer id, no headers; the wrapper's codec becomes the batch codec. Offsets restart at 0 unless
 * `preserveOffsets` (the broker assigns offsets on append anyway).
 *
 * Down (Fetch v0–v3 from a v2 log): each v2 batch becomes legacy messages with the batch's absolute
 * offsets and timestamps. A compressed batch becomes one compressed wrapper with the same codec (so
 * consumers decompress as before); an uncompressed batch becomes one message per record. Headers
 * are dropped (the old format has no place for them) and control batches are skipped, as Kafka does.
 * zstd cannot be expressed: UnsupportedCompressionTypeError (UNSUPPORTED_COMPRESSION_TYPE). Output
 * holds whole messages only and stops before the first one that would pass `maxBytes`.
 */
import { CompressionType, MAGIC_V2, TimestampType } from '../batch-header.js';
import { UnsupportedCompressionTypeError } from '../errors.js';
import { logEntries } from '../log-entries.js';
import type { DecodedRecord } from '../record.js';
import { encodeRecordBatch, readRecordBatch } from '../records.js';
import { readLegacyEntry, type LegacyMagic } from './message.js';
import { decodeMessageSet, encodeMessageSet, unwrapLegacyMessage } from './message-set.js';

export interface UpConvertOptions {
  /** Keep the messages' offsets (baseOffset = first offset, deltas from it). Default false. */
  preserveOffsets?: boolean;
  compressionLevel?: number;
  verifyCrc?: boolean;
  maxDecompressedBytes?: number;
}

/** One v2 batch holding every message of the legacy message set `buf` (empty input: empty buffer). */
export function messageSetToRecordBatches(buf: Buffer, options: UpConvertOptions = {}): Buffer {
  let compression: number = CompressionType.None;
  const messages = [];
  for (const entry of logEntries(buf)) {
    const m = readLegacyEntry(buf.subarray(0, entry.position + entry.size), entry.position, options.verifyCrc ?? true);
    if (m.compression === CompressionType.None) messages.push(m);
    else {
      compression = m.compression; // Kafka takes the source codec from the wrappers
      messages.push(...unwrapLegacyMessage(m, options));
    }
  }
  if (messages.length === 0) return Buffer.alloc(0);
  const first = messages[0]!.offset;
  const preserve = options.preserveOffsets ?? false;
  return encodeRecordBatch({
    baseOffset: preserve ? first : 0,
    compression: compression as CompressionType,
    compressionLevel: options.compressionLevel,
    records: messages.map((m, i) => ({
      key: m.key,
      value: m.value,
      timestamp: m.timestamp,
      offsetDelta: preserve ? m.offset - first : i,
    })),
  });
}

export interface DownConvertOptions {
  /**
   * The fetch offset: records of uncompressed batches below it are left out, as Kafka's
   * RecordsUtil.downConvert does (compressed batches go whole, since a wrapper cannot be split).
   */
  firstOffset?: number;
  /** Return the first message even when it alone exceeds maxBytes (KIP-74 style). Default false. */
  minOneMessage?: boolean;
  compressionLevel?: number;
  maxDecompressedBytes?: number;
}

/**
 * Converts the batches in `buf` (a log read; a partial last batch is ignored) to a magic-0 or
 * magic-1 message set of at most `maxBytes` bytes. Legacy entries already at or below `magic` are
 * copied; magic-1 entries going to magic 0 are rewritten.
 */
export function recordBatchesToMessageSet(
  buf: Buffer,
  magic: LegacyMagic,
  maxBytes: number,
  options: DownConvertOptions = {},
): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  // Each unit is one or more whole messages that must stay together (a compressed wrapper is one).
  const offer = (unit: Buffer): boolean => {
    if (total + unit.length > maxBytes && !(options.minOneMessage && total === 0)) return false;
    parts.push(unit);
    total += unit.length;
    return true;
  };

  outer: for (const entry of logEntries(buf, 0, buf.length, { allowTrailingPartial: true })) {
    const bytes = buf.subarray(entry.position, entry.position + entry.size);
    if (entry.magic !== MAGIC_V2) {
      if (entry.magic <= magic) {
        if (!offer(bytes)) break;
        continue;
      }
      // magic 1 → 0: decode (wrappers included) and rewrite each message without timestamps.
      const wrapper = readLegacyEntry(bytes, 0);
      const messages = decodeMessageSet(bytes, options);
      const unit = encodeMessageSet({
        magic,
        compression: wrapper.compression as CompressionType,
        compressionLevel: options.compressionLevel,
        messages: messages.map((m) => ({ offset: m.offset, key: m.key, value: m.value })),
      });
      if (!offer(unit)) break;
      continue;
    }
    const batch = readRecordBatch(bytes, 0, options);
    if (batch.isControl || batch.recordCount === 0) continue;
    if (batch.compression === CompressionType.Zstd) {
      throw new UnsupportedCompressionTypeError('zstd-compressed records cannot be down-converted to magic 0 or 1');
    }
    const common = {
      magic,
      timestampType: batch.timestampType,
      logAppendTime: batch.timestampType === TimestampType.LogAppendTime ? batch.maxTimestamp : undefined,
    };
    const toMessage = (r: DecodedRecord) => ({ offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value });
    if (batch.compression !== CompressionType.None) {
      const unit = encodeMessageSet({
        ...common,
        compression: batch.compression as CompressionType,
        compressionLevel: options.compressionLevel,
        messages: Array.from(batch.records(), toMessage),
      });
      if (!offer(unit)) break;
    } else {
      // Record by record, so a large batch is only decoded as far as maxBytes reaches.
      const first = options.firstOffset ?? -Infinity;
      for (const r of batch.records()) {
        if (r.offset < first) continue;
        if (!offer(encodeMessageSet({ ...common, messages: [toMessage(r)] }))) break outer;
      }
    }
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
}
