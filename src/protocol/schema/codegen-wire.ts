/**
 * Wire facts the code generator needs: fixed widths, the Reader/Writer method for each fixed-width
 * type, and expressions that read a fixed-width value straight from a buffer.
 */

/** Width in bytes of each fixed-width type. */
export const FIXED: Record<string, number> = { int8: 1, bool: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, float64: 8, uuid: 16 };
/** Reader/Writer method name of each fixed-width type. */
export const READ: Record<string, string> = {
  int8: 'int8', bool: 'bool', int16: 'int16', uint16: 'uint16', int32: 'int32', uint32: 'uint32',
  int64: 'int64', float64: 'float64', uuid: 'uuid',
};

/** JS expression reading a fixed-width value at `p + off` of buffer `b` (bounds already checked). */
export function inlineRead(kind: string, off: number): string {
  const q = (k: number) => `b[p + ${off + k}]`;
  const i32 = `(${q(0)} << 24 | ${q(1)} << 16 | ${q(2)} << 8 | ${q(3)})`;
  switch (kind) {
    case 'int8': return `(${q(0)} << 24 >> 24)`;
    case 'bool': return `${q(0)} !== 0`;
    case 'int16': return `((${q(0)} << 24 | ${q(1)} << 16) >> 16)`;
    case 'uint16': return `(${q(0)} << 8 | ${q(1)})`;
    case 'int32': return i32;
    case 'uint32': return `(${i32} >>> 0)`;
    case 'int64': return `b.readBigInt64BE(p + ${off})`;
    case 'float64': return `b.readDoubleBE(p + ${off})`;
    case 'uuid': return `rt.uuidFromBytes(b, p + ${off})`;
  }
  throw new Error(`not a fixed-width type: ${kind}`);
}

/** Size of an unsigned varint, for constants known at generation time (tags). */
export function uvarintSizeConst(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}
