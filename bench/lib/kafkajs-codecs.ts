/** Registers Snappy, LZ4 and ZSTD codecs for kafkajs (it ships GZIP only) over Brook's own codecs. */
import kafkajs from 'kafkajs';
import { compress, decompress } from '../../src/protocol/records/compression/index.js';

let done = false;

export function registerKafkajsCodecs(): void {
  if (done) return;
  done = true;
  const { CompressionCodecs, CompressionTypes } = kafkajs;
  for (const type of [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD]) {
    (CompressionCodecs as Record<number, unknown>)[type] = () => ({
      compress: async (encoder: { buffer: Buffer }) => compress(type, encoder.buffer),
      decompress: async (buffer: Buffer) => decompress(type, buffer),
    });
  }
}

/** Kafka's compression.type names → kafkajs CompressionTypes. */
export function compressionType(name: string): number {
  const { CompressionTypes } = kafkajs;
  switch (name) {
    case 'none':
      return CompressionTypes.None;
    case 'gzip':
      return CompressionTypes.GZIP;
    case 'snappy':
      return CompressionTypes.Snappy;
    case 'lz4':
      return CompressionTypes.LZ4;
    case 'zstd':
      return CompressionTypes.ZSTD;
    default:
      throw new Error(`unknown compression.type "${name}" (none, gzip, snappy, lz4, zstd)`);
  }
}
