/**
 * One legacy log entry: [offset int64][size int32] followed by a message (Kafka's LegacyRecord):
 *
 *   12  crc         uint32  CRC-32 (IEEE) of magic .. end of message
 *   16  magic       int8    0 or 1
 *   17  attributes  int8    bits 0-2 compression (0-3; zstd never appears here), bit 3 timestamp
 *                           type (magic 1: 1 = LogAppendTime)
 *   18  timestamp   int64   magic 1 only
 *       key         int32 length (-1 = null) + bytes
 *       value       int32 length (-1 = null) + bytes; a compressed wrapper's value is the
 *                           compressed inner message set
 */
import { readInt64, writeInt64, TimestampType } from '../batch-header.js';
import { CorruptRecordError } from '../errors.js';
import { crc32 } from './crc32.js';

export const LEGACY_LOG_OVERHEAD = 12;
/** crc + magic + attributes + key length + value length. */
export const MESSAGE_OVERHEAD_V0 = 14;
/** ... plus the timestamp. */
export const MESSAGE_OVERHEAD_V1 = 22;
export const LEGACY_COMPRESSION_MASK = 0x07;
export const LEGACY_TIMESTAMP_TYPE_MASK = 0x08;

export type LegacyMagic = 0 | 1;

export interface LegacyMessage {
  offset: number;
  magic: LegacyMagic;
  attributes: number;
  compression: number;
  timestampType: TimestampType;
  /** -1 for magic 0 (no timestamp). */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
}

/** Bytes one entry takes, log overhead included. */
export function legacyEntrySize(magic: LegacyMagic, key: Buffer | null, value: Buffer | null): number {
  return (
    LEGACY_LOG_OVERHEAD +
    (magic === 0 ? MESSAGE_OVERHEAD_V0 : MESSAGE_OVERHEAD_V1) +
    (key?.length ?? 0) +
    (value?.length ?? 0)
  );
}

export interface LegacyMessageInput {
  offset: number;
  magic: LegacyMagic;
  attributes: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
}

/** Writes one entry at `pos`; returns the position after it. */
export function writeLegacyEntry(buf: Buffer, pos: number, m: LegacyMessageInput): number {
  const size = legacyEntrySize(m.magic, m.key, m.value);
  writeInt64(buf, pos, m.offset);
  buf.writeInt32BE(size - LEGACY_LOG_OVERHEAD, pos + 8);
  let p = pos + 16;
  buf.writeInt8(m.magic, p++);
  buf.writeInt8(m.attributes, p++);
  if (m.magic === 1) {
    writeInt64(buf, p, m.timestamp);
    p += 8;
  }
  for (const field of [m.key, m.value]) {
    if (field === null) {
      buf.writeInt32BE(-1, p);
      p += 4;
    } else {
      buf.writeInt32BE(field.length, p);
      p += 4;
      p += field.copy(buf, p);
    }
  }
  buf.writeUInt32BE(crc32(buf, pos + 16, p), pos + 12);
  return p;
}

/** Reads the entry at `pos` (which must lie wholly within `buf`), with Kafka's validity checks. */
export function readLegacyEntry(buf: Buffer, pos: number, verifyCrc = true): LegacyMessage {
  if (buf.length - pos < LEGACY_LOG_OVERHEAD + MESSAGE_OVERHEAD_V0) throw new CorruptRecordError('legacy message truncated');
  const size = buf.readInt32BE(pos + 8);
  const end = pos + LEGACY_LOG_OVERHEAD + size;
  if (size < MESSAGE_OVERHEAD_V0) throw new CorruptRecordError(`legacy message size ${size} is below the minimum`);
  if (end > buf.length) throw new CorruptRecordError('legacy message truncated');
  const magic = buf.readInt8(pos + 16);
  if (magic !== 0 && magic !== 1) throw new CorruptRecordError(`invalid legacy magic ${magic}`);
  if (magic === 1 && size < MESSAGE_OVERHEAD_V1) throw new CorruptRecordError(`legacy message size ${size} is below the minimum`);
  if (verifyCrc) {
    const stored = buf.readUInt32BE(pos + 12);
    const computed = crc32(buf, pos + 16, end);
    if (stored !== computed) {
      throw new CorruptRecordError(`message is corrupt (stored crc = ${stored}, computed crc = ${computed})`);
    }
  }
  const attributes = buf.readInt8(pos + 17);
  let p = pos + 18;
  let timestamp = -1;
  if (magic === 1) {
    timestamp = readInt64(buf, p);
    p += 8;
  }
  const fields: (Buffer | null)[] = [];
  for (let i = 0; i < 2; i++) {
    if (p + 4 > end) throw new CorruptRecordError('legacy message ends inside a length field');
    const len = buf.readInt32BE(p);
    p += 4;
    if (len === -1) fields.push(null);
    else if (len < 0 || len > end - p) throw new CorruptRecordError(`invalid legacy ${i === 0 ? 'key' : 'value'} size ${len}`);
    else {
      fields.push(buf.subarray(p, p + len));
      p += len;
    }
  }
  if (p !== end) throw new CorruptRecordError('legacy message has bytes after its value');
  return {
    offset: readInt64(buf, pos),
    magic,
    attributes,
    compression: attributes & LEGACY_COMPRESSION_MASK,
    timestampType:
      magic === 1 && (attributes & LEGACY_TIMESTAMP_TYPE_MASK) !== 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime,
    timestamp,
    key: fields[0]!,
    value: fields[1]!,
  };
}
