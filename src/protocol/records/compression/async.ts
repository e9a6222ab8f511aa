/**
 * Asynchronous compression for large payloads, run on libuv's thread pool so a big batch does not
 * stall every other connection (compaction, recompression, down-conversion of large fetches).
 * Small inputs stay synchronous: DEPS.md measured the pool round trip costing more than it saves at
 * batch sizes (e.g. lz4 16 KiB: 871 MB/s sync against 199 async), while at 1 MiB async decoding is
 * as fast or faster. zstd-napi has no one-shot async call; its sync decoder runs at ~2 GB/s, so a
 * 1 MiB payload blocks for about half a millisecond.
 */
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import lz4 from 'lz4-napi';
import snappy from 'snappy';
import { CompressionType } from '../batch-header.js';
import { corrupt, DecompressionLimitError } from '../errors.js';
import { GZIP_DEFAULT_LEVEL } from './gzip.js';
import { codecFor } from './index.js';
import { decodeLz4Blocks, finishNativeLz4, lz4Pieces, planLz4Decode, spliceLz4Frames } from './lz4.js';
import { joinSnappyParts, planSnappyDecode, SNAPPY_DEC_OPTIONS, SNAPPY_ENC_OPTIONS, xerialFrame, xerialPieces } from './snappy.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from './types.js';

/** Payloads up to this size (input bytes) are handled synchronously. */
export const ASYNC_THRESHOLD_BYTES = 128 * 1024;

const gzipAsync = promisify(zlib.gzip) as (buf: Uint8Array, opts: zlib.ZlibOptions) => Promise<Buffer>;
const gunzipAsync = promisify(zlib.gunzip) as (buf: Uint8Array, opts: zlib.ZlibOptions) => Promise<Buffer>;

/** Like `codecFor(type).compress`, off the event loop for large inputs. */
export async function compressAsync(type: number, input: Uint8Array, level?: number, magic?: number): Promise<Buffer> {
  const codec = codecFor(type);
  if (input.byteLength <= ASYNC_THRESHOLD_BYTES) return codec.compress(input, level, magic);
  switch (type) {
    case CompressionType.Gzip: {
      const l = Math.min(9, Math.max(1, Math.round(level ?? GZIP_DEFAULT_LEVEL)));
      return gzipAsync(input, { level: l, chunkSize: Math.min(input.byteLength, 1024 * 1024) });
    }
    case CompressionType.Snappy:
      return xerialFrame(await Promise.all(xerialPieces(input).map((piece) => snappy.compress(piece, SNAPPY_ENC_OPTIONS))));
    case CompressionType.Lz4:
      return spliceLz4Frames(await Promise.all(lz4Pieces(input).map((piece) => lz4.compressFrame(piece))), magic);
    default:
      return codec.compress(input, level, magic);
  }
}

/** Like `codecFor(type).decompress` (same bounds, same typed errors), off the event loop for large inputs. */
export async function decompressAsync(
  type: number,
  input: Uint8Array,
  maxOutputBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
  magic?: number,
): Promise<Buffer> {
  const codec = codecFor(type);
  if (input.byteLength <= ASYNC_THRESHOLD_BYTES) return codec.decompress(input, maxOutputBytes, magic);
  switch (type) {
    case CompressionType.Gzip:
      try {
        return await gunzipAsync(input, {
          maxOutputLength: Math.max(1, maxOutputBytes),
          chunkSize: Math.min(Math.max(64 * 1024, input.byteLength * 4), 1024 * 1024),
        });
      } catch (err) {
        if (err instanceof RangeError) throw new DecompressionLimitError('gzip', maxOutputBytes);
        throw corrupt('gzip', err);
      }
    case CompressionType.Snappy: {
      const plan = planSnappyDecode(input, maxOutputBytes);
      try {
        const parts = await Promise.all(plan.blocks.map((b) => snappy.uncompress(b, SNAPPY_DEC_OPTIONS) as Promise<Buffer>));
        return joinSnappyParts(parts, plan.total);
      } catch (err) {
        throw corrupt('snappy', err);
      }
    }
    case CompressionType.Lz4: {
      const plan = planLz4Decode(input, maxOutputBytes, magic);
      if (plan.kind === 'blocks') return decodeLz4Blocks(plan);
      let out: Buffer;
      try {
        out = await lz4.decompressFrame(plan.frame);
      } catch (err) {
        throw corrupt('lz4', err);
      }
      return finishNativeLz4(out, maxOutputBytes);
    }
    default:
      return codec.decompress(input, maxOutputBytes, magic);
  }
}
