/**
 * A few-byte check that a compressed batch payload starts the way its codec's stream must start, so
 * the fast path (which never decompresses) still refuses what no consumer could ever decode: a payload
 * labelled with the wrong codec id, or garbage with a valid CRC from a buggy producer. What each
 * decoder Kafka uses insists on:
 *   gzip   RFC 1952 member header 1f 8b, then the deflate method 08 (GZIPInputStream);
 *   lz4    frame magic 04 22 4d 18 (KafkaLZ4BlockInputStream, the LZ4 frame format);
 *   zstd   frame magic 28 b5 2f fd, or a skippable frame 5? 2a 4d 18 (zstd-jni);
 *   snappy xerial stream magic 82 'SNAPPY' 00, or a raw block (snappy-java accepts both): a raw block
 *          starts with its uncompressed length as a varint, which any byte can begin, so only the
 *          xerial form can be refuted (a payload starting with 82 53 4e 41 … must be whole xerial).
 * Truncated or corrupt streams that start right are found only where records are decoded (the slow
 * path, brook.produce.validation=full) or by the consumer; the batch CRC still guards line noise.
 */
import { CompressionType } from '../../protocol/records/batch-header.js';

const XERIAL = [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00] as const;
const XERIAL_HEADER = 16;

/** Why `payload` cannot be a stream of `codec`, or undefined when it may be. */
export function frameProblem(codec: number, payload: Buffer): string | undefined {
  const n = payload.length;
  switch (codec) {
    case CompressionType.Gzip:
      // 10-byte header + empty deflate block + 8-byte trailer: nothing shorter is a gzip member.
      if (n < 20 || payload[0] !== 0x1f || payload[1] !== 0x8b || payload[2] !== 0x08) return 'not a gzip stream';
      return undefined;
    case CompressionType.Lz4:
      if (n < 11 || payload[0] !== 0x04 || payload[1] !== 0x22 || payload[2] !== 0x4d || payload[3] !== 0x18) return 'not an LZ4 frame';
      return undefined;
    case CompressionType.Zstd: {
      if (n < 9) return 'not a zstd frame';
      const zstd = payload[0] === 0x28 && payload[1] === 0xb5 && payload[2] === 0x2f && payload[3] === 0xfd;
      const skippable = (payload[0]! & 0xf0) === 0x50 && payload[1] === 0x2a && payload[2] === 0x4d && payload[3] === 0x18;
      return zstd || skippable ? undefined : 'not a zstd frame';
    }
    case CompressionType.Snappy: {
      if (n === 0) return 'empty snappy payload';
      if (payload[0] !== XERIAL[0] || n < XERIAL.length) return undefined;
      for (let i = 1; i < XERIAL.length; i++) if (payload[i] !== XERIAL[i]) return undefined;
      return n < XERIAL_HEADER + 4 ? 'truncated xerial snappy stream' : undefined;
    }
    default:
      return undefined;
  }
}
