/**
 * Sizes of Kafka's variable-length integers (protobuf-style base-128, little-endian groups).
 * `varint`/`varlong` are zig-zag signed; `uvarint` is Kafka's unsigned varint (used by compact lengths
 * and tagged-field headers).
 */

/** Bytes needed for an unsigned 32-bit varint. */
export function uvarintSize(value: number): number {
  const v = value >>> 0;
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}

/** Bytes needed for a zig-zag signed 32-bit varint. */
export function varintSize(value: number): number {
  return uvarintSize((value << 1) ^ (value >> 31));
}

const MASK64 = (1n << 64n) - 1n;

/** Zig-zag encodes a signed 64-bit value into an unsigned one. */
export function zigzag64(value: bigint): bigint {
  return ((value << 1n) ^ (value >> 63n)) & MASK64;
}

/** Bytes needed for a zig-zag signed 64-bit varlong. */
export function varlongSize(value: bigint): number {
  let v = zigzag64(value);
  let n = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    n++;
  }
  return n;
}
