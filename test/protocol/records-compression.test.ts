import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import lz4napi from 'lz4-napi';
import snappy from 'snappy';
import { describe, expect, it } from 'vitest';
import { codecFor, CompressionType, isKnownCompression } from '../../src/protocol/records/compression/index.js';
import { lz4HeaderChecksum } from '../../src/protocol/records/compression/lz4-frame.js';
import { lz4Compress, lz4Decompress } from '../../src/protocol/records/compression/lz4.js';
import {
  snappyCompressRaw,
  snappyDecompress,
  XERIAL_HEADER_SIZE,
  XERIAL_MAGIC,
} from '../../src/protocol/records/compression/snappy.js';
import { xxhash32 } from '../../src/protocol/records/compression/xxhash32.js';
import { zstdDecompress } from '../../src/protocol/records/compression/zstd.js';
import {
  CorruptRecordError,
  DecompressionLimitError,
  RecordsErrorCode,
  UnknownCompressionError,
} from '../../src/protocol/records/errors.js';

type ZstdBinding = typeof import('zstd-napi/binding.js');
const zstdBinding = createRequire(import.meta.url)('zstd-napi/binding') as ZstdBinding;

/** JSON-ish text: compresses like real event data. */
function textData(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  let pos = 0;
  while (pos < size) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const line = `{"id":${x % 100000},"kind":"${['click', 'view', 'buy'][x % 3]}","n":${x % 977}}\n`;
    pos += out.write(line, pos);
  }
  return out;
}

const SIZES = [0, 1, 16 * 1024, 1024 * 1024];
const TYPES = [CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];

function expectCorrupt(fn: () => unknown): CorruptRecordError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CorruptRecordError);
    expect((err as CorruptRecordError).errorCode).toBe(RecordsErrorCode.CorruptMessage);
    return err as CorruptRecordError;
  }
  throw new Error('expected a CorruptRecordError');
}

describe('codec round trips', () => {
  for (const type of TYPES) {
    const codec = codecFor(type);
    for (const size of SIZES) {
      it(`${codec.name} ${size} B (text and random)`, () => {
        for (const input of [textData(size), randomBytes(size)]) {
          const packed = codec.compress(input);
          expect(codec.decompress(packed).equals(input)).toBe(true);
        }
      });
    }
  }

  it('compresses text for every real codec', () => {
    const input = textData(256 * 1024);
    for (const type of TYPES.slice(1)) expect(codecFor(type).compress(input).length).toBeLessThan(input.length / 2);
  });

  it('honours levels for gzip and zstd', () => {
    const input = textData(512 * 1024);
    expect(codecFor(CompressionType.Gzip).compress(input, 9).length).toBeLessThan(codecFor(CompressionType.Gzip).compress(input, 1).length);
    expect(codecFor(CompressionType.Zstd).compress(input, 19).length).toBeLessThan(codecFor(CompressionType.Zstd).compress(input, 1).length);
  });
});

describe('codec table', () => {
  it('maps Kafka ids 0..4 and rejects 5..7 as corrupt', () => {
    expect(TYPES.map((t) => codecFor(t).name)).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    for (const id of [5, 6, 7, -1, 1.5]) {
      const err = expectCorrupt(() => codecFor(id));
      expect(err).toBeInstanceOf(UnknownCompressionError);
    }
    expect(isKnownCompression(4)).toBe(true);
    expect(isKnownCompression(5)).toBe(false);
  });

  it('a payload under the wrong codec id raises the typed error', () => {
    const gz = codecFor(CompressionType.Gzip).compress(textData(4096));
    for (const type of [CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd]) {
      expectCorrupt(() => codecFor(type).decompress(gz));
    }
    const lz = codecFor(CompressionType.Lz4).compress(textData(4096));
    expectCorrupt(() => codecFor(CompressionType.Gzip).decompress(lz));
    expectCorrupt(() => codecFor(CompressionType.Zstd).decompress(lz));
  });
});

describe('corrupt and truncated input', () => {
  const input = textData(200 * 1024);
  for (const type of TYPES.slice(1)) {
    const codec = codecFor(type);
    it(`${codec.name}: truncations and garbage raise CorruptRecordError`, () => {
      const packed = codec.compress(input);
      for (const cut of [0, 1, 5, 17, Math.floor(packed.length / 2), packed.length - 1]) {
        expectCorrupt(() => codec.decompress(packed.subarray(0, cut)));
      }
      expectCorrupt(() => codec.decompress(randomBytes(1000)));
      expectCorrupt(() => codec.decompress(Buffer.alloc(64, 0xff)));
    });
  }

  it('gzip, lz4 and zstd detect a flipped byte inside the data (they carry checksums)', () => {
    for (const type of [CompressionType.Gzip, CompressionType.Zstd]) {
      const codec = codecFor(type);
      const packed = Buffer.from(codec.compress(input, type === CompressionType.Zstd ? 3 : undefined));
      packed[Math.floor(packed.length / 2)]! ^= 0x55;
      expectCorrupt(() => codec.decompress(packed));
    }
    const frame = Buffer.from(lz4napi.compressFrameSync(input, { blockChecksums: true }));
    frame[Math.floor(frame.length / 2)]! ^= 0x55;
    expectCorrupt(() => lz4Decompress(frame));
  });
});

describe('decompression limits (bombs)', () => {
  const zeros = Buffer.alloc(16 * 1024 * 1024);
  for (const type of TYPES) {
    const codec = codecFor(type);
    it(`${codec.name}: 16 MiB of zeros under a 1 MiB limit`, () => {
      const packed = codec.compress(zeros);
      const err = expectCorrupt(() => codec.decompress(packed, 1024 * 1024));
      expect(err).toBeInstanceOf(DecompressionLimitError);
      expect(codec.decompress(packed, zeros.length).length).toBe(zeros.length);
    });
  }

  it('lz4 with 4 MiB blocks takes the bounded block-by-block path', () => {
    const input = textData(5 * 1024 * 1024 + 123);
    const frame = lz4napi.compressFrameSync(input, { blockChecksums: true });
    expect(frame[5]).toBe(0x70); // BD: 4 MiB blocks, so the static bound is 8 MiB
    expect(lz4Decompress(frame, 6 * 1024 * 1024).equals(input)).toBe(true);
    expect(() => lz4Decompress(frame, 5 * 1024 * 1024)).toThrow(DecompressionLimitError);
    const bad = Buffer.from(frame);
    bad[200]! ^= 1;
    expectCorrupt(() => lz4Decompress(bad, 6 * 1024 * 1024));
  });

  it('zstd streaming frames (no content size) stop at the limit', () => {
    const cctx = new zstdBinding.CCtx();
    cctx.setParameter(zstdBinding.CParameter.contentSizeFlag, 0);
    const dst = Buffer.alloc(zstdBinding.compressBound(zeros.length));
    const frame = dst.subarray(0, cctx.compress2(dst, zeros));
    expect(zstdBinding.getFrameContentSize(frame)).toBeNull();
    expect(() => zstdDecompress(frame, 1024 * 1024)).toThrow(DecompressionLimitError);
    expect(zstdDecompress(frame).equals(zeros)).toBe(true);
  });
});

describe('snappy framing', () => {
  it('decodes a xerial stream built by hand (header, then [BE int32 length][raw block] chunks)', () => {
    const input = textData(80 * 1024);
    const header = Buffer.concat([XERIAL_MAGIC, Buffer.from([0, 0, 0, 1, 0, 0, 0, 1])]);
    const chunks = [input.subarray(0, 32768), input.subarray(32768, 65536), input.subarray(65536)].map((part) => {
      const block = snappy.compressSync(part);
      const len = Buffer.alloc(4);
      len.writeInt32BE(block.length);
      return Buffer.concat([len, block]);
    });
    const framed = Buffer.concat([header, ...chunks]);
    expect(snappyDecompress(framed).equals(input)).toBe(true);
    // A zero-length chunk is skipped, as snappy-java does.
    expect(snappyDecompress(Buffer.concat([header, Buffer.alloc(4), ...chunks])).equals(input)).toBe(true);
  });

  it('decodes a raw block (what kafkajs-snappy and librdkafka send)', () => {
    const input = textData(50 * 1024);
    expect(snappyDecompress(snappy.compressSync(input)).equals(input)).toBe(true);
    expect(snappyDecompress(snappyCompressRaw(input)).equals(input)).toBe(true);
  });

  it('writes xerial framing with 32 KiB blocks like snappy-java', () => {
    const input = textData(100 * 1024);
    const out = codecFor(CompressionType.Snappy).compress(input);
    expect(out.subarray(0, 8).equals(XERIAL_MAGIC)).toBe(true);
    expect(out.readInt32BE(8)).toBe(1);
    expect(out.readInt32BE(12)).toBe(1);
    const sizes: number[] = [];
    for (let pos = XERIAL_HEADER_SIZE; pos < out.length; ) {
      const len = out.readInt32BE(pos);
      sizes.push((snappy.uncompressSync(out.subarray(pos + 4, pos + 4 + len)) as Buffer).length);
      pos += 4 + len;
    }
    expect(sizes).toEqual([32768, 32768, 32768, 4096]);
    expect(codecFor(CompressionType.Snappy).compress(Buffer.alloc(0)).length).toBe(XERIAL_HEADER_SIZE);
  });

  it('rejects a chunk that overruns the stream or an incompatible version', () => {
    const framed = Buffer.from(codecFor(CompressionType.Snappy).compress(textData(1000)));
    framed.writeInt32BE(1 << 30, XERIAL_HEADER_SIZE);
    expectCorrupt(() => snappyDecompress(framed));
    const old = Buffer.from(codecFor(CompressionType.Snappy).compress(textData(1000)));
    old.writeInt32BE(0, 12);
    expectCorrupt(() => snappyDecompress(old));
  });
});

/** Walks an LZ4 frame and returns [uncompressed size per block]. */
function lz4BlockSizes(frame: Buffer): number[] {
  const sizes: number[] = [];
  let pos = 7;
  for (;;) {
    const word = frame.readUInt32LE(pos);
    pos += 4;
    const size = word & 0x7fffffff;
    if (size === 0) return sizes;
    const data = frame.subarray(pos, pos + size);
    if (word >>> 31) sizes.push(size);
    else {
      const sized = Buffer.alloc(4 + size);
      sized.writeUInt32LE(65536);
      data.copy(sized, 4);
      sizes.push(lz4napi.uncompressSync(sized).length);
    }
    pos += size;
  }
}

function withFlg(frame: Buffer, flg: number): Buffer {
  const out = Buffer.from(frame);
  out[4] = flg;
  out[6] = lz4HeaderChecksum(out, 6);
  return out;
}

describe('lz4 frames', () => {
  it('writes FLG 0x60 BD 0x40 (independent 64 KiB blocks) like Java, at every size', () => {
    for (const size of [0, 1, 65536, 65537, 1024 * 1024 + 5]) {
      const frame = lz4Compress(textData(size));
      expect([frame[4], frame[5], frame[6]]).toEqual([0x60, 0x40, 0x82]);
      const blocks = lz4BlockSizes(frame);
      expect(blocks.reduce((a, b) => a + b, 0)).toBe(size);
      expect(blocks.every((s, i) => s === 65536 || i === blocks.length - 1)).toBe(true);
    }
  });

  it('rejects dependent-block frames (FLG bit 5 unset) and accepts independent ones', () => {
    const input = textData(100 * 1024);
    const frame = lz4napi.compressFrameSync(input);
    expect(frame[4]! & 0x20).toBe(0x20);
    expect(lz4Decompress(frame).equals(input)).toBe(true);
    const dependent = withFlg(frame, frame[4]! & ~0x20);
    const err = expectCorrupt(() => lz4Decompress(dependent));
    expect(err.message).toMatch(/dependent block/);
    // The native decoder alone would have accepted it: the rejection is ours, as in Kafka.
    expect(lz4napi.decompressFrameSync(dependent).equals(input)).toBe(true);
  });

  it('rejects what Kafka rejects in the descriptor', () => {
    const frame = lz4napi.compressFrameSync(textData(1000));
    expectCorrupt(() => lz4Decompress(withFlg(frame, 0x61))); // reserved bit
    expectCorrupt(() => lz4Decompress(withFlg(frame, 0xa0))); // version 2
    const badBd = Buffer.from(frame);
    badBd[5] = 0x30; // 16 KiB blocks: not a legal size id
    badBd[6] = lz4HeaderChecksum(badBd, 6);
    expectCorrupt(() => lz4Decompress(badBd));
    const badHc = Buffer.from(frame);
    badHc[6]! ^= 0xff;
    expect(expectCorrupt(() => lz4Decompress(badHc)).message).toMatch(/descriptor checksum/);
    const badMagic = Buffer.from(frame);
    badMagic[0] = 0;
    expectCorrupt(() => lz4Decompress(badMagic));
  });

  it('magic 0 uses the legacy header checksum over the magic bytes (KAFKA-3160)', () => {
    const input = textData(70 * 1024);
    const legacy = lz4Compress(input, 0);
    expect(legacy[6]).toBe((xxhash32(legacy, 0, 6) >>> 8) & 0xff);
    expect(legacy[6]).not.toBe(0x82);
    expect(lz4Decompress(legacy, undefined, 0).equals(input)).toBe(true);
    expectCorrupt(() => lz4Decompress(legacy, undefined, 1)); // magic 1 and 2 check HC
    // Magic 0 readers take a correct checksum too.
    expect(lz4Decompress(lz4Compress(input), undefined, 0).equals(input)).toBe(true);
  });

  it('decodes block checksums, content checksums and stored blocks', () => {
    const input = Buffer.concat([textData(100 * 1024), randomBytes(70 * 1024)]);
    const frame = lz4napi.compressFrameSync(input, { blockChecksums: true, contentChecksum: true });
    expect(lz4Decompress(frame).equals(input)).toBe(true);
  });

  const hasLz4Cli = (() => {
    try {
      execFileSync('lz4', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!hasLz4Cli)('lz4 CLI: reads -BD (linked blocks) as Kafka does: rejected; -BI accepted', () => {
    const input = textData(300 * 1024);
    const linked = execFileSync('lz4', ['-BD', '-B4', '-c'], { input });
    expectCorrupt(() => lz4Decompress(linked));
    const independent = execFileSync('lz4', ['-BI', '-B4', '-c'], { input });
    expect(lz4Decompress(independent).equals(input)).toBe(true);
    expect(execFileSync('lz4', ['-d', '-c'], { input: lz4Compress(input), maxBuffer: 64 << 20 }).equals(input)).toBe(true);
  });
});

describe('zstd frames', () => {
  it('decodes frames without a content size (as Java ZstdOutputStream writes them)', () => {
    const input = textData(300 * 1024);
    const cctx = new zstdBinding.CCtx();
    cctx.setParameter(zstdBinding.CParameter.contentSizeFlag, 0);
    const dst = Buffer.alloc(zstdBinding.compressBound(input.length));
    const frame = dst.subarray(0, cctx.compress2(dst, input));
    expect(zstdBinding.getFrameContentSize(frame)).toBeNull();
    expect(zstdDecompress(frame).equals(input)).toBe(true);
    // A truncated streaming frame must fail, not return the part that decoded.
    expectCorrupt(() => zstdDecompress(frame.subarray(0, frame.length - 1)));
    expectCorrupt(() => zstdDecompress(frame.subarray(0, Math.floor(frame.length / 2))));
  });

  it('decodes concatenated frames', () => {
    const a = textData(1000, 1);
    const b = textData(2000, 2);
    const zstd = codecFor(CompressionType.Zstd);
    expect(zstd.decompress(Buffer.concat([zstd.compress(a), zstd.compress(b)])).equals(Buffer.concat([a, b]))).toBe(true);
  });

  const hasZstdCli = (() => {
    try {
      execFileSync('zstd', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!hasZstdCli)('zstd CLI streaming frames (from a pipe, no content size) decode; ours decode in the CLI', () => {
    const input = textData(2 * 1024 * 1024);
    const frame = execFileSync('sh', ['-c', 'cat | zstd -c -q'], { input });
    expect(zstdBinding.getFrameContentSize(frame)).toBeNull();
    expect(zstdDecompress(frame).equals(input)).toBe(true);
    const ours = codecFor(CompressionType.Zstd).compress(input);
    expect(execFileSync('zstd', ['-d', '-c', '-q'], { input: ours, maxBuffer: 64 << 20 }).equals(input)).toBe(true);
  });
});

describe('gzip', () => {
  it('reads concatenated members like Java GZIPInputStream', () => {
    const a = textData(3000, 3);
    const b = textData(5000, 4);
    expect(codecFor(CompressionType.Gzip).decompress(Buffer.concat([gzipSync(a), gzipSync(b)])).equals(Buffer.concat([a, b]))).toBe(true);
  });
});

describe('async variants (thread pool for large payloads)', () => {
  it('round-trip through both paths and agree with the sync codecs', async () => {
    const { compressAsync, decompressAsync, ASYNC_THRESHOLD_BYTES } = await import(
      '../../src/protocol/records/compression/async.js'
    );
    for (const type of TYPES) {
      for (const size of [1000, ASYNC_THRESHOLD_BYTES + 1, 2 * 1024 * 1024 + 3]) {
        const input = textData(size, size);
        const packed = await compressAsync(type, input);
        expect(codecFor(type).decompress(packed).equals(input)).toBe(true);
        expect((await decompressAsync(type, packed)).equals(input)).toBe(true);
        expect((await decompressAsync(type, codecFor(type).compress(input))).equals(input)).toBe(true);
      }
    }
    // Java-compatible framing holds on the async path too.
    const lz = await compressAsync(CompressionType.Lz4, textData(1 << 20));
    expect([lz[4], lz[5]]).toEqual([0x60, 0x40]);
    expect(lz4BlockSizes(lz).every((s) => s === 65536)).toBe(true);
    const sn = await compressAsync(CompressionType.Snappy, textData(1 << 20));
    expect(sn.subarray(0, 8).equals(XERIAL_MAGIC)).toBe(true);
  });

  it('keeps the limits and typed errors', async () => {
    const { decompressAsync } = await import('../../src/protocol/records/compression/async.js');
    for (const type of TYPES.slice(1)) {
      // Incompressible input keeps the compressed size above the async threshold.
      const packed = codecFor(type).compress(randomBytes(600 * 1024));
      expect(packed.length).toBeGreaterThan(128 * 1024);
      await expect(decompressAsync(type, packed, 300 * 1024)).rejects.toBeInstanceOf(DecompressionLimitError);
      const bad = Buffer.from(codecFor(type).compress(randomBytes(300 * 1024)));
      await expect(decompressAsync(type, bad.subarray(0, bad.length - 100))).rejects.toBeInstanceOf(CorruptRecordError);
    }
  });
});
