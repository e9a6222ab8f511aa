/**
 * The shape every compression codec shares. Codecs are synchronous: record batches are at most a few
 * MiB, and the native libraries answer faster than a round trip to the libuv pool would (see DEPS.md).
 */
import type { CompressionType } from '../batch-header.js';

/**
 * Default cap on one decompressed payload when the caller gives none. A batch is bounded on the wire
 * (message.max.bytes, 1 MiB by default); compression ratios above ~60x are rare outside bombs.
 * Callers that know better (the fetch size, the segment size) pass their own limit.
 */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

export interface CompressionCodec {
  readonly type: CompressionType;
  readonly name: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  /**
   * Compresses `input`. `level` is codec specific (gzip 1–9, zstd -7–22; snappy and lz4 ignore it).
   * `magic` is the record format the bytes go into: only lz4 cares (magic 0 needs Kafka's legacy
   * header checksum, KAFKA-3160).
   */
  compress(input: Uint8Array, level?: number, magic?: number): Buffer;
  /**
   * Decompresses `input`, throwing CorruptRecordError for bad or truncated input and
   * DecompressionLimitError when the output would exceed `maxOutputBytes`.
   */
  decompress(input: Uint8Array, maxOutputBytes?: number, magic?: number): Buffer;
}

/** A Buffer view of `input` without copying. */
export function asBuffer(input: Uint8Array): Buffer {
  return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}
