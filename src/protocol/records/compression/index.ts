/**
 * Compression codecs by Kafka compression id (attributes bits 0-2): 0 none, 1 gzip, 2 snappy,
 * 3 lz4, 4 zstd. Ids 5-7 are not defined and decode as corrupt input.
 */
import { CompressionType } from '../batch-header.js';
import { UnknownCompressionError } from '../errors.js';
import { gzipCodec } from './gzip.js';
import { lz4Codec } from './lz4.js';
import { noneCodec } from './none.js';
import { snappyCodec } from './snappy.js';
import type { CompressionCodec } from './types.js';
import { zstdCodec } from './zstd.js';

export { DEFAULT_MAX_DECOMPRESSED_BYTES, type CompressionCodec } from './types.js';
export { CompressionType } from '../batch-header.js';

const CODECS: readonly CompressionCodec[] = [noneCodec, gzipCodec, snappyCodec, lz4Codec, zstdCodec];

/** The codec for a compression id; throws UnknownCompressionError (a CorruptRecordError) otherwise. */
export function codecFor(type: number): CompressionCodec {
  const codec = CODECS[type];
  if (codec === undefined || !Number.isInteger(type)) throw new UnknownCompressionError(type);
  return codec;
}

/** True for ids 0..4. */
export function isKnownCompression(type: number): type is CompressionType {
  return Number.isInteger(type) && type >= 0 && type < CODECS.length;
}

/** Compresses with the codec for `type` (a no-op view for none). */
export function compress(type: number, input: Uint8Array, level?: number, magic?: number): Buffer {
  return codecFor(type).compress(input, level, magic);
}

/** Decompresses with the codec for `type`, bounded by `maxOutputBytes`. */
export function decompress(type: number, input: Uint8Array, maxOutputBytes?: number, magic?: number): Buffer {
  return codecFor(type).decompress(input, maxOutputBytes, magic);
}
