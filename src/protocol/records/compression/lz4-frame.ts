/**
 * LZ4 frame format (lz4_Frame_format.md v1.6) as Kafka accepts it: a header walk and validation done
 * before the native decoder sees the bytes.
 *
 *   magic        04 22 4D 18 (0x184D2204 little-endian)
 *   FLG          bits 7-6 version (must be 01), 5 block independence, 4 block checksum,
 *                3 content size, 2 content checksum, 1-0 reserved (0)
 *   BD           bits 6-4 block max size (4 = 64 KiB, 5 = 256 KiB, 6 = 1 MiB, 7 = 4 MiB), others 0
 *   [content size uint64 LE, if FLG bit 3]
 *   HC           (xxh32(FLG .. last descriptor byte) >> 8) & 0xFF
 *   blocks       [size uint32 LE; high bit = stored uncompressed][data][xxh32 if block checksum]
 *   end mark     00 00 00 00, then [xxh32 of the content, if FLG bit 2]
 *
 * Kafka's broker (Lz4BlockInputStream) rejects frames whose FLG says dependent blocks, wrong version,
 * non-zero reserved bits, a BD outside 4..7, a wrong HC (except for magic 0, see below), a block larger
 * than BD allows, a bad block checksum, or a frame that ends early. It never checks the content checksum.
 * Magic-0 message sets carry the header checksum old Kafka computed over the magic bytes as well
 * (KAFKA-3160), so Kafka ignores HC there and writes the broken value back for magic 0.
 */
import { CorruptRecordError } from '../errors.js';
import { xxhash32 } from './xxhash32.js';

export const LZ4_FRAME_MAGIC = 0x184d2204;
export const LZ4_FLG_VERSION_MASK = 0xc0;
export const LZ4_FLG_VERSION_1 = 0x40;
export const LZ4_FLG_BLOCK_INDEPENDENCE = 0x20;
export const LZ4_FLG_BLOCK_CHECKSUM = 0x10;
export const LZ4_FLG_CONTENT_SIZE = 0x08;
export const LZ4_FLG_CONTENT_CHECKSUM = 0x04;
export const LZ4_BLOCK_UNCOMPRESSED_BIT = 0x80000000;

export interface Lz4Block {
  /** Offset of the block data in the frame buffer. */
  start: number;
  size: number;
  compressed: boolean;
}

export interface Lz4FrameInfo {
  flg: number;
  bd: number;
  blockMaxSize: number;
  /** Offset of the HC byte (the last header byte). */
  hcOffset: number;
  /** True when the stored HC equals the standard checksum. */
  hcValid: boolean;
  contentSize: number | undefined;
  blockChecksums: boolean;
  blocks: Lz4Block[];
  /** Offset just past the frame (end mark and content checksum included). */
  end: number;
  /** Upper bound on the decoded size: stored sizes plus BD's maximum per compressed block. */
  outputBound: number;
}

const fail = (what: string): never => {
  throw new CorruptRecordError(`lz4: ${what}`);
};

/** The descriptor checksum: standard (over FLG..) or Kafka's magic-0 variant (over magic and FLG..). */
export function lz4HeaderChecksum(frame: Uint8Array, hcOffset: number, legacyMagic0 = false): number {
  return (xxhash32(frame, legacyMagic0 ? 0 : 4, hcOffset) >>> 8) & 0xff;
}

/**
 * Validates the frame in `buf` the way Kafka's broker does and lists its blocks. `magic` is the
 * record format the frame came in (0 disables the HC check, as in Kafka).
 */
export function parseLz4Frame(buf: Buffer, magic: number): Lz4FrameInfo {
  if (buf.length < 7) fail('frame ended prematurely');
  if (buf.readUInt32LE(0) !== LZ4_FRAME_MAGIC) fail('not an LZ4 frame (bad magic)');
  const flg = buf[4]!;
  const bd = buf[5]!;
  if ((flg & LZ4_FLG_VERSION_MASK) !== LZ4_FLG_VERSION_1) fail(`unsupported frame version ${flg >>> 6}`);
  if ((flg & 0x03) !== 0) fail('reserved FLG bits set');
  if ((flg & LZ4_FLG_BLOCK_INDEPENDENCE) === 0) fail('dependent block stream is unsupported');
  if ((bd & 0x8f) !== 0) fail('reserved BD bits set');
  const sizeId = (bd >>> 4) & 7;
  if (sizeId < 4) fail(`block size id ${sizeId} is unsupported`);
  const blockMaxSize = 1 << (2 * sizeId + 8);
  let pos = 6;
  let contentSize: number | undefined;
  if (flg & LZ4_FLG_CONTENT_SIZE) {
    if (buf.length < pos + 9) fail('frame ended prematurely');
    contentSize = buf.readUInt32LE(pos) + buf.readUInt32LE(pos + 4) * 0x1_0000_0000;
    pos += 8;
  }
  const hcOffset = pos;
  const hcValid = buf[hcOffset] === lz4HeaderChecksum(buf, hcOffset);
  if (!hcValid && magic !== 0) fail('frame descriptor checksum mismatch');
  pos += 1;

  const blockChecksums = (flg & LZ4_FLG_BLOCK_CHECKSUM) !== 0;
  const blocks: Lz4Block[] = [];
  let outputBound = 0;
  for (;;) {
    if (pos + 4 > buf.length) fail('frame ended prematurely');
    const word = buf.readUInt32LE(pos);
    pos += 4;
    const size = word & ~LZ4_BLOCK_UNCOMPRESSED_BIT;
    if (size === 0) break; // end mark (Kafka treats a zero size with the high bit set the same way)
    if (size > blockMaxSize) fail(`block size ${size} exceeds the frame's maximum ${blockMaxSize}`);
    const compressed = (word & LZ4_BLOCK_UNCOMPRESSED_BIT) === 0;
    const needed = size + (blockChecksums ? 4 : 0);
    if (pos + needed > buf.length) fail('frame ended prematurely');
    blocks.push({ start: pos, size, compressed });
    outputBound += compressed ? blockMaxSize : size;
    pos += needed;
  }
  if (flg & LZ4_FLG_CONTENT_CHECKSUM) {
    if (pos + 4 > buf.length) fail('frame ended prematurely');
    pos += 4;
  }
  return { flg, bd, blockMaxSize, hcOffset, hcValid, contentSize, blockChecksums, blocks, end: pos, outputBound };
}
