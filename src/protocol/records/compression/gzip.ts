/**
 * Compression type 1: gzip (RFC 1952) through node:zlib. Java's GZIPInputStream, which Kafka uses,
 * reads concatenated members; so does zlib's gunzip. Kafka's default level is 6 (Deflater's default).
 */
import { gunzipSync, gzipSync, constants } from 'node:zlib';
import { CompressionType } from '../batch-header.js';
import { corrupt, DecompressionLimitError } from '../errors.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES, type CompressionCodec } from './types.js';

export const GZIP_DEFAULT_LEVEL = 6;

export const gzipCodec: CompressionCodec = {
  type: CompressionType.Gzip,
  name: 'gzip',
  compress(input, level = GZIP_DEFAULT_LEVEL) {
    const clamped = Math.min(constants.Z_BEST_COMPRESSION, Math.max(constants.Z_BEST_SPEED, Math.round(level)));
    return gzipSync(input, { level: clamped });
  },
  decompress(input, maxOutputBytes = DEFAULT_MAX_DECOMPRESSED_BYTES) {
    try {
      // One output chunk near the expected size saves zlib's many 16 KiB round trips.
      const chunkSize = Math.min(Math.max(64 * 1024, input.byteLength * 4), 1024 * 1024);
      return gunzipSync(input, { maxOutputLength: Math.max(1, maxOutputBytes), chunkSize });
    } catch (err) {
      if (isTooLarge(err)) throw new DecompressionLimitError('gzip', maxOutputBytes);
      throw corrupt('gzip', err);
    }
  },
};

function isTooLarge(err: unknown): boolean {
  return err instanceof RangeError && (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
}
