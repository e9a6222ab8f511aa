/**
 * Legacy message sets (magic 0 and 1): a sequence of entries (message.ts). A compressed entry is a
 * *wrapper* whose value holds a compressed inner message set:
 *   magic 0  inner offsets are absolute; the wrapper's offset is the last inner offset.
 *   magic 1  inner offsets are relative (0, 1, ...); the wrapper's offset is the absolute offset of
 *            the last inner message, so absolute = wrapper - lastInner + inner. A wrapper offset of 0
 *            (some producers send that) means the inner offsets are taken as they are.
 *            A LogAppendTime wrapper's timestamp applies to every inner message.
 * Rules from Kafka's deep iterator: inner messages share the wrapper's magic, are not compressed
 * themselves, and there is at least one; a wrapper with a null value, zstd, or an unknown codec is
 * invalid. Decoding flattens wrappers into their inner messages.
 */
import { CompressionType, TimestampType } from '../batch-header.js';
import { codecFor, isKnownCompression } from '../compression/index.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from '../compression/types.js';
import { CorruptRecordError, UnknownCompressionError } from '../errors.js';
import { logEntries, type WalkOptions } from '../log-entries.js';
import {
  legacyEntrySize,
  LEGACY_TIMESTAMP_TYPE_MASK,
  readLegacyEntry,
  writeLegacyEntry,
  type LegacyMagic,
  type LegacyMessage,
  type LegacyMessageInput,
} from './message.js';
import { toBytes, type BytesInput } from '../record.js';

export interface MessageSetDecodeOptions extends WalkOptions {
  verifyCrc?: boolean;
  /** Bound on each wrapper's decompressed inner message set. */
  maxDecompressedBytes?: number;
}

/** The inner messages of one compressed wrapper, with absolute offsets and effective timestamps. */
export function unwrapLegacyMessage(wrapper: LegacyMessage, options: MessageSetDecodeOptions = {}): LegacyMessage[] {
  const type = wrapper.compression;
  if (!isKnownCompression(type)) throw new UnknownCompressionError(type);
  if (type === CompressionType.Zstd) throw new CorruptRecordError('zstd is not allowed in legacy messages');
  if (wrapper.value === null) throw new CorruptRecordError('compressed legacy message with a null value');
  const inner = codecFor(type).decompress(
    wrapper.value,
    options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
    wrapper.magic,
  );
  const messages: LegacyMessage[] = [];
  for (const entry of logEntries(inner)) {
    const m = readLegacyEntry(inner, entry.position, options.verifyCrc ?? true);
    if (m.magic !== wrapper.magic) {
      throw new CorruptRecordError(`compressed message magic ${m.magic} does not match wrapper magic ${wrapper.magic}`);
    }
    if (m.compression !== CompressionType.None) throw new CorruptRecordError('inner messages must not be compressed');
    messages.push(m);
  }
  if (messages.length === 0) throw new CorruptRecordError('compressed message set with no inner messages');
  if (wrapper.magic === 1) {
    const lastInner = messages[messages.length - 1]!.offset;
    let base = 0;
    if (wrapper.offset !== 0) {
      if (wrapper.offset < lastInner) {
        throw new CorruptRecordError(`wrapper offset ${wrapper.offset} is less than the last inner offset ${lastInner}`);
      }
      base = wrapper.offset - lastInner;
    }
    for (const m of messages) {
      m.offset += base;
      if (wrapper.timestampType === TimestampType.LogAppendTime) {
        m.timestamp = wrapper.timestamp;
        m.timestampType = TimestampType.LogAppendTime;
      }
    }
  }
  return messages;
}

/** Every message in `buf`, compressed wrappers replaced by their inner messages (a deep iteration). */
export function decodeMessageSet(buf: Buffer, options: MessageSetDecodeOptions = {}): LegacyMessage[] {
  const out: LegacyMessage[] = [];
  for (const entry of logEntries(buf, 0, buf.length, options)) {
    const m = readLegacyEntry(buf.subarray(0, entry.position + entry.size), entry.position, options.verifyCrc ?? true);
    if (m.compression === CompressionType.None) out.push(m);
    else for (const inner of unwrapLegacyMessage(m, options)) out.push(inner);
  }
  return out;
}

export interface LegacyMessageSetInput {
  magic: LegacyMagic;
  compression?: CompressionType;
  compressionLevel?: number;
  timestampType?: TimestampType;
  /** Offset of the first message when messages carry none (default 0). */
  baseOffset?: number;
  /** The wrapper timestamp for LogAppendTime (magic 1). Default: the largest message timestamp. */
  logAppendTime?: number;
  messages: readonly { offset?: number; timestamp?: number; key?: BytesInput; value?: BytesInput }[];
}

/**
 * Encodes a message set. Uncompressed: one entry per message. Compressed: one wrapper holding all
 * messages (inner offsets relative for magic 1, absolute for magic 0), as Kafka's builder writes it.
 */
export function encodeMessageSet(input: LegacyMessageSetInput): Buffer {
  const { magic } = input;
  const compression = input.compression ?? CompressionType.None;
  if (compression === CompressionType.Zstd) throw new Error('zstd cannot be used with magic 0 or 1');
  const tsBit = magic === 1 && input.timestampType === TimestampType.LogAppendTime ? LEGACY_TIMESTAMP_TYPE_MASK : 0;
  const now = Date.now();
  const messages: LegacyMessageInput[] = input.messages.map((m, i) => ({
    offset: m.offset ?? (input.baseOffset ?? 0) + i,
    magic,
    attributes: tsBit,
    timestamp: magic === 0 ? -1 : (m.timestamp ?? now),
    key: toBytes(m.key),
    value: toBytes(m.value),
  }));
  if (compression === CompressionType.None) return writeEntries(messages);
  if (messages.length === 0) return Buffer.alloc(0);

  const lastOffset = messages[messages.length - 1]!.offset;
  const firstOffset = messages[0]!.offset;
  const inner = writeEntries(magic === 1 ? messages.map((m) => ({ ...m, offset: m.offset - firstOffset })) : messages);
  let wrapperTimestamp = -1;
  if (magic === 1) {
    if (tsBit !== 0 && input.logAppendTime !== undefined) wrapperTimestamp = input.logAppendTime;
    else for (const m of messages) wrapperTimestamp = Math.max(wrapperTimestamp, m.timestamp);
  }
  return writeEntries([
    {
      offset: lastOffset,
      magic,
      attributes: compression | tsBit,
      timestamp: wrapperTimestamp,
      key: null,
      value: codecFor(compression).compress(inner, input.compressionLevel, magic),
    },
  ]);
}

/** Writes entries back to back into one allocation. */
export function writeEntries(messages: readonly LegacyMessageInput[]): Buffer {
  let size = 0;
  for (const m of messages) size += legacyEntrySize(m.magic, m.key, m.value);
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const m of messages) pos = writeLegacyEntry(out, pos, m);
  return out;
}
