/**
 * Files of a partition directory named by a 20-digit offset, as Kafka names them
 * (`00000000000000000042.snapshot`, `00000000000000000000.txnindex`).
 */
import fs from 'node:fs';

/** `<offset, zero-padded to 20 digits><suffix>`. */
export function offsetFileName(offset: number, suffix: string): string {
  return String(offset).padStart(20, '0') + suffix;
}

/** The `<20 digits><suffix>` files in `dir` with their offsets, ascending; none when `dir` cannot be read. */
export function listOffsetFiles(dir: string, suffix: string): Array<{ offset: number; name: string }> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.length === 20 + suffix.length && n.endsWith(suffix) && /^\d{20}/.test(n))
    .map((name) => ({ offset: Number(name.slice(0, 20)), name }))
    .sort((a, b) => a.offset - b.offset);
}
