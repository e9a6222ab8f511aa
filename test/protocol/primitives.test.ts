import { describe, expect, it } from 'vitest';
import { Reader } from '../../src/protocol/primitives/reader.js';
import { Writer } from '../../src/protocol/primitives/writer.js';
import { ProtocolError } from '../../src/protocol/primitives/protocol-error.js';
import { uvarintSize, varintSize, varlongSize } from '../../src/protocol/primitives/varint.js';
import { isUuidString, ZERO_UUID } from '../../src/protocol/primitives/uuid.js';

function write(size: number, fn: (w: Writer) => void): Buffer {
  const w = new Writer(Buffer.alloc(size));
  fn(w);
  return Buffer.concat(w.finish());
}

describe('varints', () => {
  const u32 = [0, 1, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 32 - 1];
  it('round-trips unsigned varints with the advertised size', () => {
    for (const v of u32) {
      const b = write(uvarintSize(v), (w) => w.uvarint(v));
      expect(b.length).toBe(uvarintSize(v));
      const r = new Reader(b);
      expect(r.uvarint()).toBe(v);
      r.finish();
    }
  });
  it('reads unsigned varints the same with and without bytes to spare after them', () => {
    for (const v of u32) {
      const padded = Buffer.concat([write(uvarintSize(v), (w) => w.uvarint(v)), Buffer.alloc(8, 0xee)]);
      const r = new Reader(padded);
      expect(r.uvarint()).toBe(v);
      expect(r.pos).toBe(uvarintSize(v));
    }
    const long = new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x10, 0, 0, 0]));
    long.uvarint();
    expect(long.error?.message).toMatch(/varint too long/);
  });

  it('zig-zags signed varints and varlongs like protobuf', () => {
    expect(write(1, (w) => w.varint(-1))).toEqual(Buffer.from([1]));
    expect(write(1, (w) => w.varint(1))).toEqual(Buffer.from([2]));
    for (const v of [0, -1, 1, -64, 64, 2 ** 31 - 1, -(2 ** 31)]) {
      const r = new Reader(write(varintSize(v), (w) => w.varint(v)));
      expect(r.varint()).toBe(v);
    }
    for (const v of [0n, -1n, 1n, 2n ** 63n - 1n, -(2n ** 63n), 300n, -300n]) {
      const b = write(varlongSize(v), (w) => w.varlong(v));
      expect(b.length).toBe(varlongSize(v));
      expect(new Reader(b).varlong()).toBe(v);
    }
    expect(varlongSize(-(2n ** 63n))).toBe(10);
  });
  it('rejects over-long varints', () => {
    const r = new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    r.uvarint();
    expect(r.error?.message).toMatch(/varint too long/);
    const r2 = new Reader(Buffer.alloc(11, 0xff));
    r2.varlong();
    expect(r2.error?.message).toMatch(/too long/);
  });
});

describe('Reader', () => {
  it('reads every fixed-width type big-endian', () => {
    const b = Buffer.from('ff' + '8000' + 'ffff' + '80000000' + 'ffffffff' + '8000000000000000' + '3ff8000000000000' + '01', 'hex');
    const r = new Reader(b);
    expect(r.int8()).toBe(-1);
    expect(r.int16()).toBe(-32768);
    expect(r.uint16()).toBe(65535);
    expect(r.int32()).toBe(-(2 ** 31));
    expect(r.uint32()).toBe(2 ** 32 - 1);
    expect(r.int64()).toBe(-(2n ** 63n));
    expect(r.float64()).toBe(1.5);
    expect(r.bool()).toBe(true);
    expect(r.remaining).toBe(0);
    r.finish();
  });

  it('has a sticky error: the first failure wins and later reads return defaults', () => {
    const r = new Reader(Buffer.from([0, 1, 2]));
    expect(r.int32()).toBe(0);
    const first = r.error;
    expect(first).toBeInstanceOf(ProtocolError);
    expect(r.int8()).toBe(0);
    expect(r.string()).toBe('');
    expect(r.bytes().length).toBe(0);
    expect(r.error).toBe(first);
    expect(() => r.finish()).toThrow(ProtocolError);
  });

  it('reads strings, nullable strings and compact strings', () => {
    const b = Buffer.concat([
      Buffer.from([0, 3]), Buffer.from('abc'),
      Buffer.from([0xff, 0xff]),
      Buffer.from([4]), Buffer.from('hé'), // 'hé' is 3 UTF-8 bytes; compact length is 3 + 1
      Buffer.from([0]),
    ]);
    const r = new Reader(b);
    expect(r.string()).toBe('abc');
    expect(r.nullableString()).toBe(null);
    expect(r.compactString()).toBe('hé');
    expect(r.compactNullableString()).toBe(null);
    r.finish();
  });

  it('returns bytes as views of the input (zero copy)', () => {
    const b = Buffer.from([0, 0, 0, 2, 7, 8, 3, 9, 9]);
    const r = new Reader(b);
    const x = r.bytes();
    expect([...x]).toEqual([7, 8]);
    x[0] = 1;
    expect(b[4]).toBe(1);
    const y = r.compactBytes();
    expect([...y]).toEqual([9, 9]);
    expect(y.buffer).toBe(b.buffer);
  });

  it('bounds every length by the bytes that remain', () => {
    const huge = Buffer.from([0x7f, 0xff, 0xff, 0xff]);
    const cases: Array<(r: Reader) => unknown> = [
      (r) => r.arrayLength(),
      (r) => r.bytes(),
      (r) => r.nullableArrayLength(),
      (r) => r.string(),
    ];
    for (const c of cases) {
      const r = new Reader(huge);
      c(r);
      expect(r.error).toBeInstanceOf(ProtocolError);
    }
    const compact = new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]));
    compact.compactArrayLength();
    expect(compact.error?.message).toMatch(/invalid compact array length/);
    const r = new Reader(Buffer.from([0, 0, 0, 3, 1, 2, 3]));
    expect(r.arrayLength(2)).toBe(0); // 3 items of ≥2 bytes cannot fit in 3 bytes
    expect(r.error).not.toBe(null);
  });

  it('treats -1 / 0 as null only where nullable', () => {
    expect(new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff])).nullableBytes()).toBe(null);
    expect(new Reader(Buffer.from([0])).compactNullableString()).toBe(null);
    expect(new Reader(Buffer.from([0])).compactNullableArrayLength()).toBe(-1);
    const r = new Reader(Buffer.from([0xff, 0xff]));
    r.string();
    expect(r.error?.message).toMatch(/invalid string length -1/);
    const r2 = new Reader(Buffer.from([0]));
    r2.compactString();
    expect(r2.error).not.toBe(null);
  });

  it('rejects strings longer than 32767 bytes, compact ones included', () => {
    const r = new Reader(Buffer.concat([Buffer.from([0x81, 0x80, 0x02]), Buffer.alloc(40000)]));
    r.compactString();
    expect(r.error?.message).toMatch(/length/);
  });

  it('reads UUIDs in URL-safe base64 without padding', () => {
    const b = Buffer.from('000102030405060708090a0b0c0d0e0fff', 'hex');
    const s = new Reader(b).uuid();
    expect(s).toBe('AAECAwQFBgcICQoLDA0ODw');
    expect(isUuidString(s)).toBe(true);
    expect(isUuidString(ZERO_UUID)).toBe(true);
    expect(isUuidString('AAECAwQFBgcICQoLDA0OD')).toBe(false);
    expect(write(16, (w) => w.uuid(s))).toEqual(b.subarray(0, 16));
    expect(write(16, (w) => w.uuid('_____________________w'))).toEqual(Buffer.alloc(16, 0xff));
    for (const bad of ['AAECAwQFBgcICQoLDA0ODx', 'AAECAwQFBgcICQoLDA0O=w', 'AAECAwQFBgcICQoLDA0OD', 'ÄAECAwQFBgcICQoLDA0ODw']) {
      expect(() => write(16, (w) => w.uuid(bad))).toThrow(/invalid UUID/);
    }
  });

  it('prints UUIDs exactly as base64url does, for any bytes', () => {
    const b = Buffer.alloc(4096);
    for (let i = 0; i < b.length; i++) b[i] = (i * 131 + (i >> 3) * 17) & 0xff;
    for (let i = 0; i + 16 <= b.length; i += 7) expect(new Reader(b, i).uuid()).toBe(b.toString('base64url', i, i + 16));
  });

  it('skips and keeps a tagged-field section', () => {
    const r = new Reader(Buffer.from([2, 0, 1, 9, 5, 2, 7, 7]));
    expect(r.skipTaggedFields()).toEqual([
      { tag: 0, data: Buffer.from([9]) },
      { tag: 5, data: Buffer.from([7, 7]) },
    ]);
    r.finish();
    const bad = new Reader(Buffer.from([1, 0, 5, 1]));
    bad.skipTaggedFields();
    expect(bad.error).not.toBe(null);
  });
});

describe('Writer', () => {
  it('writes strings with the measured byte length', () => {
    const s = 'añb€';
    const n = Buffer.byteLength(s);
    expect(write(n, (w) => w.utf8(s, n)).toString('utf8')).toBe(s);
    expect(write(3, (w) => w.utf8('abc', 3)).toString()).toBe('abc');
  });
  it('passes large records by reference and copies small ones', () => {
    const big = Buffer.alloc(4096, 1);
    const small = Buffer.alloc(10, 2);
    const w = new Writer(Buffer.alloc(4 + 10 + 4), 0);
    w.int32(1);
    w.records(small, small.length);
    w.records(big, big.length);
    w.int32(2);
    const out = w.finish();
    expect(out.length).toBe(3);
    expect(out[1]).toBe(big);
    expect(Buffer.concat(out).length).toBe(4 + 10 + 4096 + 4);
  });
  it('refuses to finish a buffer it did not fill (a sizer bug)', () => {
    const w = new Writer(Buffer.alloc(5));
    w.int32(1);
    expect(() => w.finish()).toThrow(/codec bug/);
  });
});
