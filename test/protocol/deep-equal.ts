/**
 * A fast structural equality for decoded messages (Buffers compared with Buffer#equals; a Buffer[] equals
 * the Buffer of its concatenation, as records are encoded from lists and decoded as one view).
 * vitest's toEqual walks Buffers byte by byte as objects, which is far too slow for thousands of values;
 * tests use this and fall back to toEqual only to print a diff.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) {
    const x = Array.isArray(a) ? Buffer.concat(a) : a;
    const y = Array.isArray(b) ? Buffer.concat(b) : b;
    return Buffer.isBuffer(x) && Buffer.isBuffer(y) && x.equals(y);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    return true;
  }
  return false;
}
