/**
 * Compression type 3: LZ4 frame format via `lz4-napi` (lz4_flex).
 *
 * What lz4-napi emits (checked on 2.10): FLG 0x60 (version 1, independent blocks, no checksums, no
 * content size) with a block size it picks from the input: BD 0x40 (64 KiB) up to 64 KiB of input,
 * 0x50 (256 KiB) and 0x70 (4 MiB) above. Java's Kafka producer writes FLG 0x60 BD 0x40, and decoders
 * size their buffers from BD, so we always write 64 KiB blocks: inputs above 64 KiB are cut into
 * 64 KiB pieces, each compressed as its own one-block frame, and the blocks are spliced into one frame.
 *
 * Decoding validates the frame as Kafka does (lz4-frame.ts), then either hands it to the native
 * decoder in one call (when the frame's own bound fits the output limit) or inflates block by block
 * with a per-block cap, so a small frame can never allocate more than the caller allows.
 */
import lz4 from 'lz4-napi';
import { CompressionType } from '../batch-header.js';
import { CorruptRecordError, corrupt, DecompressionLimitError } from '../errors.js';
import { lz4HeaderChecksum, parseLz4Frame, type Lz4FrameInfo } from './lz4-frame.js';
import { asBuffer, DEFAULT_MAX_DECOMPRESSED_BYTES, type CompressionCodec } from './types.js';
import { xxhash32 } from './xxhash32.js';

export const LZ4_BLOCK_SIZE = 64 * 1024;
const HEADER_SIZE = 7; // magic, FLG, BD, HC (we never write a content size)
const END_MARK_SIZE = 4;
const EXPECTED_FLG = 0x60;
const EXPECTED_BD = 0x40;

/** Refuses frames Java might not read, should a future lz4-napi change its defaults. */
function checkFrame(frame: Buffer): Buffer {
  if (frame[4] !== EXPECTED_FLG || frame[5] !== EXPECTED_BD) {
    throw new Error(`lz4-napi wrote FLG ${frame[4]} BD ${frame[5]}; expected 0x60 0x40`);
  }
  return frame;
}

/** The 64 KiB pieces that become the frame's blocks (one, possibly empty, for small input). */
export function lz4Pieces(input: Uint8Array): Buffer[] {
  const buf = asBuffer(input);
  if (buf.length <= LZ4_BLOCK_SIZE) return [buf];
  const pieces: Buffer[] = [];
  for (let pos = 0; pos < buf.length; pos += LZ4_BLOCK_SIZE) {
    pieces.push(buf.subarray(pos, Math.min(buf.length, pos + LZ4_BLOCK_SIZE)));
  }
  return pieces;
}

/** Splices one-block frames (one per piece, from lz4-napi) into a single frame. */
export function spliceLz4Frames(frames: readonly Buffer[], magic = 2): Buffer {
  let frame: Buffer;
  if (frames.length === 1) {
    frame = checkFrame(frames[0]!);
  } else {
    const parts: Buffer[] = [];
    let total = HEADER_SIZE + END_MARK_SIZE;
    for (const one of frames) {
      checkFrame(one);
      if (parts.length === 0) parts.push(one.subarray(0, HEADER_SIZE));
      const blocks = one.subarray(HEADER_SIZE, one.length - END_MARK_SIZE);
      parts.push(blocks);
      total += blocks.length;
    }
    parts.push(Buffer.alloc(END_MARK_SIZE));
    frame = Buffer.concat(parts, total);
  }
  if (magic === 0) frame[HEADER_SIZE - 1] = lz4HeaderChecksum(frame, HEADER_SIZE - 1, true);
  return frame;
}

/** Compresses into one LZ4 frame of independent 64 KiB blocks (magic 0: Kafka's legacy HC). */
export function lz4Compress(input: Uint8Array, magic = 2): Buffer {
  return spliceLz4Frames(
    lz4Pieces(input).map((piece) => lz4.compressFrameSync(piece)),
    magic,
  );
}

/** How a validated frame will be decoded: natively in one call, or block by block under a cap. */
export type Lz4DecodePlan =
  | { kind: 'native'; frame: Buffer; maxOutputBytes: number }
  | { kind: 'blocks'; buf: Buffer; info: Lz4FrameInfo; maxOutputBytes: number };

/** Validates the frame (Kafka's rules; magic 0 tolerates the legacy header checksum) and picks a path. */
export function planLz4Decode(input: Uint8Array, maxOutputBytes = DEFAULT_MAX_DECOMPRESSED_BYTES, magic = 2): Lz4DecodePlan {
  const buf = asBuffer(input);
  const info = parseLz4Frame(buf, magic);
  if (info.contentSize !== undefined && info.contentSize > maxOutputBytes) {
    throw new DecompressionLimitError('lz4', maxOutputBytes);
  }
  if (info.outputBound > maxOutputBytes) return { kind: 'blocks', buf, info, maxOutputBytes };
  let frame = buf.subarray(0, info.end);
  if (!info.hcValid) {
    // Magic 0 with the legacy checksum: give the native decoder a copy with the standard one.
    frame = Buffer.from(frame);
    frame[info.hcOffset] = lz4HeaderChecksum(frame, info.hcOffset);
  }
  return { kind: 'native', frame, maxOutputBytes };
}

/** Runs the bounded block-by-block path of a plan. */
export function decodeLz4Blocks(plan: Extract<Lz4DecodePlan, { kind: 'blocks' }>): Buffer {
  return decodeBlockByBlock(plan.buf, plan.info, plan.maxOutputBytes);
}

/** Wraps a native decode result or error. */
export function finishNativeLz4(out: Buffer, maxOutputBytes: number): Buffer {
  if (out.length > maxOutputBytes) throw new DecompressionLimitError('lz4', maxOutputBytes);
  return out;
}

/** Decompresses one LZ4 frame (Kafka's rules; `magic` 0 tolerates the legacy header checksum). */
export function lz4Decompress(
  input: Uint8Array,
  maxOutputBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
  magic = 2,
): Buffer {
  const plan = planLz4Decode(input, maxOutputBytes, magic);
  if (plan.kind === 'blocks') return decodeLz4Blocks(plan);
  let out: Buffer;
  try {
    out = lz4.decompressFrameSync(plan.frame);
  } catch (err) {
    throw corrupt('lz4', err);
  }
  return finishNativeLz4(out, maxOutputBytes);
}

/** The bounded path: each block gets an output buffer no larger than what the limit still allows. */
function decodeBlockByBlock(buf: Buffer, info: Lz4FrameInfo, maxOutputBytes: number): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  for (const block of info.blocks) {
    const data = buf.subarray(block.start, block.start + block.size);
    if (info.blockChecksums && xxhash32(data) !== buf.readUInt32LE(block.start + block.size)) {
      throw new CorruptRecordError('lz4: block checksum mismatch');
    }
    const budget = maxOutputBytes - total;
    let part: Buffer;
    if (!block.compressed) {
      if (block.size > budget) throw new DecompressionLimitError('lz4', maxOutputBytes);
      part = data;
    } else {
      const cap = Math.min(info.blockMaxSize, budget);
      const sized = Buffer.allocUnsafe(4 + data.length);
      sized.writeUInt32LE(cap, 0); // lz4_flex's size-prepended block format: the cap is the output buffer
      data.copy(sized, 4);
      try {
        part = lz4.uncompressSync(sized);
      } catch (err) {
        if (cap < info.blockMaxSize) throw new DecompressionLimitError('lz4', maxOutputBytes);
        throw corrupt('lz4', err);
      }
    }
    parts.push(part);
    total += part.length;
  }
  return Buffer.concat(parts, total);
}

export const lz4Codec: CompressionCodec = {
  type: CompressionType.Lz4,
  name: 'lz4',
  compress: (input, _level, magic) => lz4Compress(input, magic),
  decompress: (input, maxOutputBytes, magic) => lz4Decompress(input, maxOutputBytes, magic),
};
