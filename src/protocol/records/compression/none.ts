/** Compression type 0: the bytes as they are (still bounded, so callers can rely on the limit). */
import { CompressionType } from '../batch-header.js';
import { DecompressionLimitError } from '../errors.js';
import { asBuffer, DEFAULT_MAX_DECOMPRESSED_BYTES, type CompressionCodec } from './types.js';

export const noneCodec: CompressionCodec = {
  type: CompressionType.None,
  name: 'none',
  compress: (input) => asBuffer(input),
  decompress(input, maxOutputBytes = DEFAULT_MAX_DECOMPRESSED_BYTES) {
    if (input.byteLength > maxOutputBytes) throw new DecompressionLimitError('none', maxOutputBytes);
    return asBuffer(input);
  },
};
