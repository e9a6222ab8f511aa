/**
 * Codec throughput: compress / decompress MB/s (10^6 bytes of *uncompressed* data per second) for
 * each codec at 16 KiB and 1 MiB, on newline-delimited JSON events (like DEPS.md's measurements).
 * Median of interleaved rounds; each round runs for ~`ROUND_MS`. Run: node --import tsx bench/codecs.ts
 * Options: --rounds N (default 5), --ms N (default 200 per measurement).
 */
import { codecFor, CompressionType } from '../src/protocol/records/compression/index.js';
import { encodeRecordBatch, decodeRecordBatch } from '../src/protocol/records/records.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const ROUNDS = opt('rounds', 5);
const ROUND_MS = opt('ms', 200);

function events(size: number, seed = 7): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  let pos = 0;
  const kinds = ['page_view', 'click', 'purchase', 'signup'];
  while (pos < size) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    pos += out.write(
      `{"id":${x},"user":"u${x % 5000}","kind":"${kinds[x % 4]}","amount":${(x % 10000) / 100},"ts":${1_700_000_000_000 + (x % 86_400_000)},"ua":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"}\n`,
      pos,
    );
  }
  return out;
}

function rate(bytes: number, fn: () => unknown): number {
  let n = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ROUND_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    fn();
    n++;
    now = process.hrtime.bigint();
  }
  return (bytes * n) / (Number(now - start) / 1e9) / 1e6;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const sizes = [16 * 1024, 1024 * 1024];
const types = [CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];
const results = new Map<string, { c: number[]; d: number[]; ratio: number }>();
for (let round = 0; round < ROUNDS; round++) {
  for (const size of sizes) {
    const input = events(size);
    for (const type of types) {
      const codec = codecFor(type);
      const packed = codec.compress(input);
      const key = `${codec.name} ${size >= 1 << 20 ? '1 MiB' : '16 KiB'}`;
      const r = results.get(key) ?? { c: [], d: [], ratio: input.length / packed.length };
      r.c.push(rate(size, () => codec.compress(input)));
      r.d.push(rate(size, () => codec.decompress(packed)));
      results.set(key, r);
    }
  }
}
console.log(`codec throughput, MB/s of uncompressed data (median of ${ROUNDS} rounds, Node ${process.version})`);
console.log('codec/size        compress  decompress  ratio');
for (const [key, r] of results) {
  console.log(`${key.padEnd(16)} ${median(r.c).toFixed(0).padStart(9)} ${median(r.d).toFixed(0).padStart(11)} ${r.ratio.toFixed(2).padStart(6)}`);
}

// Whole-batch cost off the hot path (tests, compaction, conversion): 1000 records of ~1 KiB.
const records = Array.from({ length: 1000 }, (_, i) => ({ key: `key-${i}`, value: events(1000 + (i % 50), i + 1) }));
const rawBytes = records.reduce((a, r) => a + r.value.length + r.key.length, 0);
for (const compression of [CompressionType.None, CompressionType.Lz4, CompressionType.Zstd]) {
  const batch = encodeRecordBatch({ compression, records });
  const enc = median(Array.from({ length: ROUNDS }, () => rate(rawBytes, () => encodeRecordBatch({ compression, records }))));
  const dec = median(Array.from({ length: ROUNDS }, () => rate(rawBytes, () => decodeRecordBatch(batch))));
  console.log(`batch of 1000 records, ${codecFor(compression).name.padEnd(6)}: encode ${enc.toFixed(0)} MB/s, decode ${dec.toFixed(0)} MB/s`);
}
