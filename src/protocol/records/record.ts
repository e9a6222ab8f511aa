/**
 * One record inside a v2 batch (Kafka's DefaultRecord):
 *
 *   length          varint   bytes that follow
 *   attributes      int8     unused, 0
 *   timestampDelta  varlong  timestamp - batch baseTimestamp
 *   offsetDelta     varint   offset - batch baseOffset
 *   key             varint length (-1 = null) + bytes
 *   value           varint length (-1 = null) + bytes
 *   headers         varint count, then per header:
 *                     key   varint length + UTF-8 (never null)
 *                     value varint length (-1 = null) + bytes
 *
 * Decoded keys, values and header values are views into the (decompressed) input, not copies.
 */
import { CorruptRecordError } from './errors.js';
import { RecordReader, varintSize, writeVarint } from './varint.js';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** A record as decoded from a batch, offsets and timestamps made absolute. */
export interface DecodedRecord {
  offset: number;
  offsetDelta: number;
  timestamp: number;
  timestampDelta: number;
  attributes: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** Bytes accepted where a record takes bytes: strings are written as UTF-8. */
export type BytesInput = Buffer | Uint8Array | string | null | undefined;

export interface RecordHeaderInput {
  key: string;
  value: BytesInput;
}

/** A record to encode. `timestamp` defaults to the batch's base timestamp; `offsetDelta` to its index. */
export interface RecordInput {
  key?: BytesInput;
  value?: BytesInput;
  headers?: readonly RecordHeaderInput[];
  timestamp?: number;
  offsetDelta?: number;
}

export function toBytes(value: BytesInput): Buffer | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** A record with its fields resolved to bytes and deltas, ready to size and write. */
export interface PreparedRecord {
  timestampDelta: number;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: Buffer; value: Buffer | null }[];
  bodySize: number;
}

const nullableSize = (b: Buffer | null): number => (b === null ? 1 : varintSize(b.length) + b.length);

export function prepareRecord(r: RecordInput, timestampDelta: number, offsetDelta: number): PreparedRecord {
  const key = toBytes(r.key);
  const value = toBytes(r.value);
  const headers = (r.headers ?? []).map((h) => ({ key: Buffer.from(h.key, 'utf8'), value: toBytes(h.value) }));
  let bodySize = 1 + varintSize(timestampDelta) + varintSize(offsetDelta) + nullableSize(key) + nullableSize(value);
  bodySize += varintSize(headers.length);
  for (const h of headers) bodySize += varintSize(h.key.length) + h.key.length + nullableSize(h.value);
  return { timestampDelta, offsetDelta, key, value, headers, bodySize };
}

/** Total encoded size, length prefix included. */
export const recordSize = (r: PreparedRecord): number => varintSize(r.bodySize) + r.bodySize;

function writeNullable(buf: Buffer, pos: number, b: Buffer | null): number {
  if (b === null) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, b.length);
  return pos + b.copy(buf, pos);
}

/** Writes the record at `pos`; returns the position after it. */
export function writeRecord(buf: Buffer, pos: number, r: PreparedRecord): number {
  pos = writeVarint(buf, pos, r.bodySize);
  buf[pos++] = 0; // attributes
  pos = writeVarint(buf, pos, r.timestampDelta);
  pos = writeVarint(buf, pos, r.offsetDelta);
  pos = writeNullable(buf, pos, r.key);
  pos = writeNullable(buf, pos, r.value);
  pos = writeVarint(buf, pos, r.headers.length);
  for (const h of r.headers) {
    pos = writeVarint(buf, pos, h.key.length);
    pos += h.key.copy(buf, pos);
    pos = writeNullable(buf, pos, h.value);
  }
  return pos;
}

/**
 * Reads one record at the reader's position, with Kafka's checks (DefaultRecord.readFrom): every
 * length inside the record, non-negative header count and key sizes, and the declared length
 * matching what was read.
 */
export function readRecord(reader: RecordReader, baseOffset: number, baseTimestamp: number): DecodedRecord {
  const bodySize = reader.varint();
  if (bodySize <= 0 || bodySize > reader.remaining) {
    throw new CorruptRecordError(`invalid record size ${bodySize} (${reader.remaining} bytes left)`);
  }
  const end = reader.pos + bodySize;
  const r = new RecordReader(reader.buf, reader.pos, end);
  const attributes = r.int8();
  const timestampDelta = r.varlong();
  const offsetDelta = r.varint();
  const key = r.nullableBytes();
  const value = r.nullableBytes();
  const headerCount = r.varint();
  if (headerCount < 0) throw new CorruptRecordError(`invalid number of record headers ${headerCount}`);
  // Each header takes at least two bytes: no allocation beyond what the record can hold.
  if (headerCount > r.remaining / 2) throw new CorruptRecordError(`record header count ${headerCount} overruns the record`);
  const headers: RecordHeader[] = [];
  for (let i = 0; i < headerCount; i++) {
    const keyLen = r.varint();
    if (keyLen < 0) throw new CorruptRecordError(`invalid negative header key size ${keyLen}`);
    const hk = r.bytes(keyLen).toString('utf8');
    headers.push({ key: hk, value: r.nullableBytes() });
  }
  if (r.pos !== end) {
    throw new CorruptRecordError(`invalid record size: expected ${bodySize} bytes, read ${r.pos - (end - bodySize)}`);
  }
  reader.pos = end;
  return {
    offset: baseOffset + offsetDelta,
    offsetDelta,
    timestamp: baseTimestamp + timestampDelta,
    timestampDelta,
    attributes,
    key,
    value,
    headers,
  };
}
