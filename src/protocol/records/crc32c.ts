/**
 * CRC-32C (Castagnoli), the checksum of record batch v2 (it covers attributes .. end of batch).
 *
 * Uses the native `@node-rs/crc32` (SIMD, ~6 GB/s) and falls back to the pure-JS `crc-32/crc32c`
 * when the prebuilt binary cannot be loaded on this platform. Both accept a previous CRC value so
 * a checksum can be computed over several chunks: crc32c(b, crc32c(a)) === crc32c(a ++ b).
 */
import { createRequire } from 'node:module';

type Crc32cFn = (buf: Uint8Array, prev?: number) => number;

interface NativeCrc32 {
  crc32c(input: Uint8Array, initialState?: number | null): number;
}
interface JsCrc32c {
  buf(data: Uint8Array, seed?: number): number;
}

const require = createRequire(import.meta.url);

function loadJs(): Crc32cFn {
  const js = require('crc-32/crc32c') as JsCrc32c;
  // crc-32 returns a signed int32; normalise to unsigned like the native one.
  return (buf, prev = 0) => js.buf(buf, prev) >>> 0;
}

function loadNative(): Crc32cFn | undefined {
  try {
    const native = require('@node-rs/crc32') as NativeCrc32;
    const fn = native.crc32c;
    // Sanity check: a broken binary must not silently corrupt every batch.
    if (fn(Buffer.from('123456789')) !== 0xe3069283) return undefined;
    return (buf, prev = 0) => fn(buf, prev);
  } catch {
    return undefined;
  }
}

const native = loadNative();

/** Pure-JS implementation, always available (exported for tests and for comparison). */
export const crc32cJs: Crc32cFn = loadJs();

/** Which implementation `crc32c` uses in this process. */
export const crc32cImplementation: 'native' | 'js' = native ? 'native' : 'js';

/** CRC-32C of `buf`, continuing from `prev` (default 0). Returns an unsigned 32-bit integer. */
export const crc32c: Crc32cFn = native ?? crc32cJs;
