/**
 * A bounds-checked reader over `buf[offset, end)` with a sticky error (the franz-go `kbin.Reader` idea):
 * the first failure is recorded in `error`, the position jumps to the end, and every later read returns a
 * harmless default. Decoders read straight through and check once with `finish()`.
 *
 * Every length read from the wire is checked against the bytes that remain before anything is sliced or
 * allocated, so a hostile length can never make us allocate more than the frame holds. Bytes and strings
 * are views or decoded slices of the input: no copies.
 */
import { ProtocolError } from './protocol-error.js';
import { uuidFromBytes } from './uuid.js';

const EMPTY = Buffer.alloc(0);

/** Node's long-standing fast path behind toString('utf8', start, end), minus the argument juggling. */
interface Utf8Sliceable {
  utf8Slice(start: number, end: number): string;
}
const utf8Slice: (buf: Buffer, start: number, end: number) => string =
  typeof (Buffer.prototype as unknown as Partial<Utf8Sliceable>).utf8Slice === 'function'
    ? (buf, start, end) => (buf as unknown as Utf8Sliceable).utf8Slice(start, end)
    : (buf, start, end) => buf.toString('utf8', start, end); // fallback should a runtime drop it
/** Kafka's limit for string lengths (int16 on the wire, enforced for compact strings too). */
export const MAX_STRING_LENGTH = 0x7fff;

export class Reader {
  buf: Buffer;
  pos: number;
  /** Exclusive end; decoders narrow it temporarily while reading a tagged field. */
  end: number;
  error: ProtocolError | null = null;
  /** Tag of the last tagged-field header read. */
  lastTag = 0;

  constructor(buf: Buffer, offset = 0, end = buf.length) {
    if (offset < 0 || end > buf.length || offset > end) throw new RangeError(`bad reader range [${offset}, ${end}) of ${buf.length}`);
    this.buf = buf;
    this.pos = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Records the first error and makes every later read fail fast. */
  fail(message: string): void {
    if (this.error === null) this.error = new ProtocolError(message, this.pos);
    this.pos = this.end;
  }

  /** Narrows the readable range to `[pos, end)` (a tagged field); returns the old end for `popEnd`. */
  pushEnd(end: number): number {
    const saved = this.end;
    this.end = end;
    return saved;
  }

  /** Restores the range after a tagged field, skipping bytes it did not consume; keeps a failure sticky. */
  popEnd(fieldEnd: number, saved: number): void {
    this.end = saved;
    this.pos = this.error === null ? fieldEnd : saved;
  }

  /** Throws the sticky error, if any. */
  finish(): void {
    if (this.error !== null) throw this.error;
  }

  private need(n: number, what: string): boolean {
    if (this.end - this.pos >= n) return true;
    this.fail(`truncated input reading ${what}: need ${n} bytes, ${this.end - this.pos} left`);
    return false;
  }

  int8(): number {
    if (!this.need(1, 'int8')) return 0;
    return this.buf.readInt8(this.pos++);
  }

  bool(): boolean {
    if (!this.need(1, 'bool')) return false;
    return this.buf[this.pos++] !== 0;
  }

  // Fixed-width reads assemble bytes by hand once the bounds check passed: Buffer#readInt32BE would
  // check the bounds a second time.

  int16(): number {
    if (!this.need(2, 'int16')) return 0;
    const buf = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return ((buf[p]! << 24) | (buf[p + 1]! << 16)) >> 16;
  }

  uint16(): number {
    if (!this.need(2, 'uint16')) return 0;
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    if (!this.need(4, 'int32')) return 0;
    const buf = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!;
  }

  uint32(): number {
    if (!this.need(4, 'uint32')) return 0;
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  int64(): bigint {
    if (!this.need(8, 'int64')) return 0n;
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  float64(): number {
    if (!this.need(8, 'float64')) return 0;
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Kafka's unsigned varint: at most 5 bytes, value in [0, 2^32). */
  uvarint(): number {
    const buf = this.buf;
    let p = this.pos;
    if (this.end - p < 5) return this.uvarintNearEnd();
    // At least 5 bytes left: unrolled, no per-byte bounds checks.
    let b = buf[p++]!;
    let result = b & 0x7f;
    if (b < 0x80) {
      this.pos = p;
      return result;
    }
    b = buf[p++]!;
    result |= (b & 0x7f) << 7;
    if (b < 0x80) {
      this.pos = p;
      return result;
    }
    b = buf[p++]!;
    result |= (b & 0x7f) << 14;
    if (b < 0x80) {
      this.pos = p;
      return result;
    }
    b = buf[p++]!;
    result |= (b & 0x7f) << 21;
    if (b < 0x80) {
      this.pos = p;
      return result;
    }
    b = buf[p++]!;
    if (b > 0x0f) {
      this.fail('varint too long');
      return 0;
    }
    this.pos = p;
    return result + b * 0x10000000; // 2^28: keeps the value unsigned
  }

  /** The checked, byte-at-a-time varint loop for the last few bytes of the input. */
  private uvarintNearEnd(): number {
    const buf = this.buf;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) {
        this.fail('truncated input reading varint');
        return 0;
      }
      const b = buf[this.pos++]!;
      if (i === 4 && b > 0x0f) {
        this.fail('varint too long');
        return 0;
      }
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    this.fail('varint too long');
    return 0;
  }

  /** Zig-zag signed 32-bit varint. */
  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Zig-zag signed 64-bit varint: at most 10 bytes. */
  varlong(): bigint {
    const buf = this.buf;
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) {
        this.fail('truncated input reading varlong');
        return 0n;
      }
      const b = buf[this.pos++]!;
      if (i === 9 && b > 0x01) {
        this.fail('varlong too long');
        return 0n;
      }
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return (result >> 1n) ^ -(result & 1n);
      shift += 7n;
    }
    this.fail('varlong too long');
    return 0n;
  }

  uuid(): string {
    if (!this.need(16, 'uuid')) return 'AAAAAAAAAAAAAAAAAAAAAA';
    const s = uuidFromBytes(this.buf, this.pos);
    this.pos += 16;
    return s;
  }

  private utf8(len: number, what: string): string {
    if (len > MAX_STRING_LENGTH) {
      this.fail(`invalid ${what} length ${len}`);
      return '';
    }
    if (!this.need(len, what)) return '';
    const s = utf8Slice(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /** int16-length string; -1 (null) is an error here. */
  string(): string {
    const len = this.int16();
    if (len < 0) {
      this.fail(`invalid string length ${len}`);
      return '';
    }
    return this.utf8(len, 'string');
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len === -1) return null;
    if (len < 0) {
      this.fail(`invalid string length ${len}`);
      return '';
    }
    return this.utf8(len, 'string');
  }

  /** uvarint (length + 1) string; 0 (null) is an error here. */
  compactString(): string {
    const n = this.uvarint();
    if (n === 0) {
      this.fail('null compact string in a non-nullable field');
      return '';
    }
    return this.utf8(n - 1, 'compact string');
  }

  compactNullableString(): string | null {
    const n = this.uvarint();
    if (n === 0) return this.error === null ? null : '';
    return this.utf8(n - 1, 'compact string');
  }

  private slice(len: number, what: string): Buffer {
    if (!this.need(len, what)) return EMPTY;
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }

  /** int32-length bytes as a view of the input (zero copy). */
  bytes(): Buffer {
    const len = this.int32();
    if (len < 0) {
      this.fail(`invalid bytes length ${len}`);
      return EMPTY;
    }
    return this.slice(len, 'bytes');
  }

  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len === -1) return null;
    if (len < 0) {
      this.fail(`invalid bytes length ${len}`);
      return EMPTY;
    }
    return this.slice(len, 'bytes');
  }

  compactBytes(): Buffer {
    const n = this.uvarint();
    if (n === 0) {
      this.fail('null compact bytes in a non-nullable field');
      return EMPTY;
    }
    return this.slice(n - 1, 'compact bytes');
  }

  compactNullableBytes(): Buffer | null {
    const n = this.uvarint();
    if (n === 0) return this.error === null ? null : EMPTY;
    return this.slice(n - 1, 'compact bytes');
  }

  /** `n` raw bytes as a view. */
  raw(n: number): Buffer {
    return this.slice(n, 'raw bytes');
  }

  /**
   * Checks an element count against the bytes left: each element takes at least `minItemSize` bytes
   * (callers pass at least 1), so a hostile count cannot drive a huge loop or allocation.
   */
  private count(n: number, minItemSize: number, what: string): number {
    if (n * (minItemSize < 1 ? 1 : minItemSize) > this.end - this.pos) {
      this.fail(`invalid ${what} length ${n}: only ${this.end - this.pos} bytes left`);
      return 0;
    }
    return n;
  }

  /** int32 array length; -1 (null) is an error here. Returns 0 after an error. */
  arrayLength(minItemSize = 1): number {
    const n = this.int32();
    if (n < 0) {
      this.fail(`invalid array length ${n}`);
      return 0;
    }
    return this.count(n, minItemSize, 'array');
  }

  /** int32 array length; -1 for null. */
  nullableArrayLength(minItemSize = 1): number {
    const n = this.int32();
    if (n === -1) return -1;
    if (n < 0) {
      this.fail(`invalid array length ${n}`);
      return 0;
    }
    return this.count(n, minItemSize, 'array');
  }

  compactArrayLength(minItemSize = 1): number {
    const n = this.uvarint();
    if (n === 0) {
      this.fail('null compact array in a non-nullable field');
      return 0;
    }
    return this.count(n - 1, minItemSize, 'compact array');
  }

  /** uvarint (length + 1); -1 for null. */
  compactNullableArrayLength(minItemSize = 1): number {
    const n = this.uvarint();
    if (n === 0) return this.error === null ? -1 : 0;
    return this.count(n - 1, minItemSize, 'compact array');
  }

  /** Number of entries in a tagged-field section (each entry is at least 2 bytes: tag + size). */
  taggedFieldCount(): number {
    return this.count(this.uvarint(), 2, 'tagged fields');
  }

  /**
   * Reads one tagged-field header and returns the entry's exclusive end, already bounds-checked;
   * the tag is left in `lastTag`. Returns -1 after an error.
   */
  taggedFieldHeader(): number {
    this.lastTag = this.uvarint();
    const size = this.uvarint();
    if (this.error !== null) return -1;
    if (size > this.end - this.pos) {
      this.fail(`tagged field ${this.lastTag} size ${size} exceeds the ${this.end - this.pos} bytes left`);
      return -1;
    }
    return this.pos + size;
  }

  /** Skips a whole tagged-field section, e.g. in a header whose tags we do not know. */
  skipTaggedFields(): Array<{ tag: number; data: Buffer }> | undefined {
    const n = this.taggedFieldCount();
    let out: Array<{ tag: number; data: Buffer }> | undefined;
    for (let i = 0; i < n; i++) {
      const end = this.taggedFieldHeader();
      if (end < 0) return undefined;
      (out ??= []).push({ tag: this.lastTag, data: this.raw(end - this.pos) });
    }
    return out;
  }
}
