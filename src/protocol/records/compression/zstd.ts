/**
 * Compression type 4: Zstandard via `zstd-napi` (sync, native libzstd).
 *
 * Java's ZstdOutputStream (zstd-jni, what Kafka's producer uses) writes streaming frames with no
 * content size in the header, so decoding cannot allocate up front; we drive ZSTD_decompressStream
 * ourselves, in chunks, stopping at the caller's limit. (zstd-napi's own `decompress` would grow
 * without a bound and returns partial output for a truncated streaming frame.) Frames that do declare
 * their size, like ours, are decoded in one call into an exact buffer.
 */
import { createRequire } from 'node:module';
import * as zstd from 'zstd-napi';
import type * as ZstdBinding from 'zstd-napi/binding.js';
import { CompressionType } from '../batch-header.js';
import { CorruptRecordError, corrupt, DecompressionLimitError } from '../errors.js';
import { asBuffer, DEFAULT_MAX_DECOMPRESSED_BYTES, type CompressionCodec } from './types.js';

/** Kafka's default zstd level (compression.zstd.level). */
export const ZSTD_DEFAULT_LEVEL = 3;
const ZSTD_MIN_LEVEL = -131072;
const ZSTD_MAX_LEVEL = 22;
// The native binding is a CommonJS `.node` export whose names ESM cannot see statically.
const binding = createRequire(import.meta.url)('zstd-napi/binding') as typeof ZstdBinding;

/** Streaming output chunk: libzstd's recommended size (one block, 128 KiB). */
const STREAM_CHUNK = binding.dStreamOutSize();

let sharedDctx: ZstdBinding.DCtx | undefined;
function dctx(): ZstdBinding.DCtx {
  sharedDctx ??= new binding.DCtx();
  return sharedDctx;
}

export function zstdCompress(input: Uint8Array, level = ZSTD_DEFAULT_LEVEL): Buffer {
  const clamped = Math.min(ZSTD_MAX_LEVEL, Math.max(ZSTD_MIN_LEVEL, Math.round(level)));
  return zstd.compress(input, { compressionLevel: clamped });
}

/** Declared size when `buf` is exactly one frame that states it; undefined otherwise. */
function singleFrameContentSize(buf: Buffer): number | undefined {
  try {
    const size = binding.getFrameContentSize(buf);
    if (size === null) return undefined;
    if (binding.findFrameCompressedSize(buf) !== buf.length) return undefined;
    return size;
  } catch {
    return undefined; // not decodable this way: let the streaming path report the real error
  }
}

export function zstdDecompress(input: Uint8Array, maxOutputBytes = DEFAULT_MAX_DECOMPRESSED_BYTES): Buffer {
  const buf = asBuffer(input);
  const ctx = dctx();
  const known = singleFrameContentSize(buf);
  if (known !== undefined) {
    if (known > maxOutputBytes) throw new DecompressionLimitError('zstd', maxOutputBytes);
    const out = Buffer.allocUnsafe(known);
    try {
      const written = ctx.decompress(out, buf);
      if (written !== known) throw new CorruptRecordError('zstd: frame size does not match its header');
      return out;
    } catch (err) {
      ctx.reset(binding.ResetDirective.sessionOnly);
      throw corrupt('zstd', err);
    }
  }
  return streamDecompress(ctx, buf, maxOutputBytes);
}

function streamDecompress(ctx: ZstdBinding.DCtx, buf: Buffer, maxOutputBytes: number): Buffer {
  if (buf.length === 0) throw new CorruptRecordError('zstd: empty input');
  const chunks: Buffer[] = [];
  let total = 0;
  let remaining = buf;
  let chunk = Buffer.allocUnsafe(Math.min(Math.max(STREAM_CHUNK, buf.length * 4), maxOutputBytes + 1));
  let used = 0;
  try {
    for (;;) {
      if (used === chunk.length) {
        chunks.push(chunk);
        chunk = Buffer.allocUnsafe(Math.min(STREAM_CHUNK, maxOutputBytes + 1 - total));
        used = 0;
      }
      const [hint, produced, consumed] = ctx.decompressStream(chunk.subarray(used), remaining);
      used += produced;
      total += produced;
      remaining = remaining.subarray(consumed);
      if (total > maxOutputBytes) throw new DecompressionLimitError('zstd', maxOutputBytes);
      if (hint === 0 && remaining.length === 0) break; // last frame complete, everything consumed
      if (produced === 0 && consumed === 0 && used < chunk.length) {
        throw new CorruptRecordError('zstd: truncated frame');
      }
    }
  } catch (err) {
    ctx.reset(binding.ResetDirective.sessionOnly);
    if (err instanceof DecompressionLimitError) throw err;
    throw corrupt('zstd', err);
  }
  chunks.push(chunk.subarray(0, used));
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

export const zstdCodec: CompressionCodec = {
  type: CompressionType.Zstd,
  name: 'zstd',
  compress: (input, level) => zstdCompress(input, level),
  decompress: (input, maxOutputBytes) => zstdDecompress(input, maxOutputBytes),
};
