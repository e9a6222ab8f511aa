/**
 * Zig-zag varints on plain numbers, for record bodies (records.ts). Record fields are int32 varints
 * (lengths, offsetDelta) and one int64 varlong (timestampDelta), which we keep as a number: exact
 * within ±2^53, far beyond any millisecond delta. The protocol layer's bigint varlong
 * (primitives/varint.ts) is for wire fields that need all 64 bits.
 */
import { CorruptRecordError } from './errors.js';

const zigzag = (v: number): number => (v >= 0 ? v * 2 : -v * 2 - 1);

/** Bytes needed for a zig-zag varint/varlong holding `value` (a safe integer). */
export function varintSize(value: number): number {
  let u = zigzag(value);
  let n = 1;
  while (u >= 0x80) {
    u = Math.floor(u / 128);
    n++;
  }
  return n;
}

/** Writes a zig-zag varint/varlong at `pos`; returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, value: number): number {
  let u = zigzag(value);
  while (u >= 0x80) {
    buf[pos++] = (u % 128) | 0x80;
    u = Math.floor(u / 128);
  }
  buf[pos++] = u;
  return pos;
}

/**
 * Reads record fields from `buf[pos, end)`. Any overrun or malformed value throws CorruptRecordError
 * (record data is untrusted input; the broker answers CORRUPT_MESSAGE).
 */
export class RecordReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** A zig-zag varint of at most `maxBytes` bytes (5 for int32, 10 for int64). */
  varint(maxBytes = 5): number {
    let u = 0;
    let scale = 1;
    for (let i = 0; i < maxBytes; i++) {
      if (this.pos >= this.end) throw new CorruptRecordError('record ends inside a varint');
      const b = this.buf[this.pos++]!;
      u += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        const v = u % 2 === 1 ? -(u + 1) / 2 : u / 2;
        if (maxBytes === 5 && (v > 0x7fffffff || v < -0x80000000)) break;
        return v;
      }
      scale *= 128;
    }
    throw new CorruptRecordError('record has a malformed varint');
  }

  varlong(): number {
    return this.varint(10);
  }

  int8(): number {
    if (this.pos + 1 > this.end) throw new CorruptRecordError('record truncated');
    return this.buf.readInt8(this.pos++);
  }

  /** `len` bytes as a view (no copy). */
  bytes(len: number): Buffer {
    if (len < 0 || len > this.end - this.pos) throw new CorruptRecordError(`record field length ${len} overruns the record`);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** Varint length then bytes; -1 is null, other negatives are corrupt. */
  nullableBytes(): Buffer | null {
    const len = this.varint();
    if (len === -1) return null;
    if (len < 0) throw new CorruptRecordError(`invalid negative length ${len}`);
    return this.bytes(len);
  }
}
