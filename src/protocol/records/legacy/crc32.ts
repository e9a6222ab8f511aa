/**
 * CRC-32 (IEEE), the checksum of legacy messages (magic 0 and 1). node:zlib has it built in since
 * Node 20.15 / 22.2; older runtimes use the `crc-32` package.
 */
import { createRequire } from 'node:module';
import * as zlib from 'node:zlib';

type Crc32Fn = (data: Uint8Array, start: number, end: number) => number;

function load(): Crc32Fn {
  const builtin = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  if (typeof builtin === 'function') return (data, start, end) => builtin(data.subarray(start, end)) >>> 0;
  const js = createRequire(import.meta.url)('crc-32') as { buf(data: Uint8Array, seed?: number): number };
  return (data, start, end) => js.buf(data.subarray(start, end)) >>> 0;
}

/** Unsigned CRC-32 of `data[start, end)`. */
export const crc32: Crc32Fn = load();
