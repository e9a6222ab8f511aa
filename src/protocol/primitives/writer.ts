/**
 * Writes into a buffer allocated once at the size the compiled sizer computed beforehand
 * (compute size → allocate once → write). Large opaque record batches are never copied: the writer
 * closes the current chunk, appends the batch buffers by reference and carries on in the same
 * allocation, so the output is a Buffer[] ready for `socket.cork()` + writes (or writev).
 * Small batches (under RECORDS_INLINE_LIMIT) are copied inline: a copy is cheaper than an extra chunk.
 */
import { uvarintSize } from './varint.js';
import { zigzag64 } from './varint.js';
import { writeUuid } from './uuid.js';

/** Record buffers shorter than this are copied into the main buffer; longer ones go by reference. */
export const RECORDS_INLINE_LIMIT = 1024;

export class Writer {
  readonly buf: Buffer;
  pos: number;
  private chunkStart: number;
  private readonly chunks: Buffer[] = [];
  /**
   * Lengths the sizer measured, consumed in the same order by the encoder (string byte lengths,
   * records lengths, tagged-field sizes and counts), so nothing is measured twice.
   */
  readonly lens: number[];
  li = 0;

  constructor(buf: Buffer, offset = 0, lens: number[] = []) {
    this.buf = buf;
    this.pos = offset;
    this.chunkStart = offset;
    this.lens = lens;
  }

  /** The next measured length. */
  len(): number {
    return this.lens[this.li++]!;
  }

  // Fixed-width writes go byte by byte: Buffer#writeInt32BE's argument checks cost more than the write.
  // Values are truncated to the field's width, as Kafka's Java encoder does with its casts.

  int8(v: number): void {
    this.buf[this.pos++] = v;
  }

  bool(v: boolean): void {
    this.buf[this.pos++] = v ? 1 : 0;
  }

  int16(v: number): void {
    const buf = this.buf;
    const p = this.pos;
    buf[p] = v >> 8;
    buf[p + 1] = v;
    this.pos = p + 2;
  }

  uint16(v: number): void {
    this.int16(v);
  }

  int32(v: number): void {
    const buf = this.buf;
    const p = this.pos;
    buf[p] = v >> 24;
    buf[p + 1] = v >> 16;
    buf[p + 2] = v >> 8;
    buf[p + 3] = v;
    this.pos = p + 4;
  }

  uint32(v: number): void {
    this.int32(v >>> 0);
  }

  int64(v: bigint): void {
    const n = Number(v);
    if (Number.isSafeInteger(n)) {
      // Most offsets and timestamps fit in 53 bits: split with float math, no BigInt arithmetic.
      const hi = Math.floor(n / 4294967296);
      this.int32(hi);
      this.int32(n - hi * 4294967296);
    } else {
      this.buf.writeBigInt64BE(v, this.pos);
      this.pos += 8;
    }
  }

  float64(v: number): void {
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }

  uvarint(value: number): void {
    let v = value >>> 0;
    const buf = this.buf;
    while (v >= 0x80) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[this.pos++] = v;
  }

  varint(v: number): void {
    this.uvarint((v << 1) ^ (v >> 31));
  }

  varlong(value: bigint): void {
    let v = zigzag64(value);
    const buf = this.buf;
    while (v >= 0x80n) {
      buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    buf[this.pos++] = Number(v);
  }

  uuid(v: string): void {
    writeUuid(this.buf, this.pos, v);
    this.pos += 16;
  }

  /** UTF-8 bytes of `s` whose byte length the sizer already computed as `len`. */
  utf8(s: string, len: number): void {
    const buf = this.buf;
    if (len === s.length && len < 32) {
      // Pure ASCII (every char took one byte): a plain loop beats Buffer#write's call overhead.
      for (let i = 0; i < len; i++) buf[this.pos + i] = s.charCodeAt(i);
    } else if (len > 0) {
      buf.write(s, this.pos, len, 'utf8');
    }
    this.pos += len;
  }

  /** Copies `b` inline. */
  copy(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Opaque record bytes: copied when small, otherwise appended by reference (no copy). */
  records(v: Buffer | readonly Buffer[], len: number): void {
    if (len < RECORDS_INLINE_LIMIT) {
      if (Buffer.isBuffer(v)) this.copy(v);
      else for (const b of v) this.copy(b);
      return;
    }
    if (this.pos > this.chunkStart) this.chunks.push(this.buf.subarray(this.chunkStart, this.pos));
    if (Buffer.isBuffer(v)) this.chunks.push(v);
    else for (const b of v) if (b.length > 0) this.chunks.push(b);
    this.chunkStart = this.pos;
  }

  /** The encoded output: the main buffer's chunks interleaved with referenced record buffers. */
  finish(): Buffer[] {
    if (this.pos !== this.buf.length) {
      throw new Error(`codec bug: wrote ${this.pos} bytes into a ${this.buf.length}-byte buffer`);
    }
    if (this.chunks.length === 0) return [this.buf];
    if (this.pos > this.chunkStart) this.chunks.push(this.buf.subarray(this.chunkStart, this.pos));
    return this.chunks;
  }
}

/** Size of an unsigned varint length prefix (re-exported for generated code). */
export { uvarintSize };
