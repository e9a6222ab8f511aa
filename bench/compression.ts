/**
 * Compression on the produce path: what the fast path costs per codec, and what recompression costs.
 *
 *   node --import tsx bench/compression.ts [--quick] [--json] [--batch-kib 64] [--rounds 5]
 *       [--seconds 1] [--depth 8] [--parts 1,2,3] [--no-broker]
 *
 * Data: newline-free JSON events (ids, enums, numbers, a user-agent string), ~230 bytes each, in batches
 * of about --batch-kib KiB of *uncompressed* records, then compressed with each codec (Brook's codecs,
 * the way a Java producer would send them). Three parts, each codec measured in interleaved rounds
 * (median reported; this machine is shared and noisy):
 *   1. fast path, in-process: the broker's per-batch produce work for a topic that keeps the producer's
 *      codec (src/server/produce/prepare.ts deciding + storage's header/CRC validation), against a bare
 *      CRC-32C of the same bytes. The claim to check: the fast path costs no more than the CRC check.
 *   2. produce over TCP to a broker in a child process (Brook's CLI, disk storage in a temp dir), acks=1,
 *      --depth requests in flight on one connection, pre-encoded frames: wire MB/s (stored bytes) and the
 *      uncompressed equivalent, per codec against the uncompressed figure of the same run.
 *   3. recompression, in-process: prepareBatches with a topic codec that differs (full validation +
 *      decompress + compress), MB/s of uncompressed record data, for each source → zstd, each
 *      source → uncompressed, and uncompressed → each codec.
 * MB/s = 10^6 bytes per second.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Args } from './lib/args.js';
import { apiVersions, ensureTopic, pick } from './lib/admin.js';
import { makeBatchWithin, produceFrame, type ProduceFrame } from './lib/batches.js';
import { spawnBroker } from './lib/processes.js';
import { WireConnection } from './lib/wire.js';
import { decodeResponseFrame } from '../src/protocol/codec.js';
import { api as produceApi } from '../src/protocol/messages/00-produce.js';
import { CompressionType } from '../src/protocol/records/batch-header.js';
import { crc32c } from '../src/protocol/records/crc32c.js';
import { encodeRecordBatch } from '../src/protocol/records/records.js';
import { KEEP_PRODUCER_CODEC, type WritePolicy } from '../src/server/produce/policy.js';
import { prepareBatches } from '../src/server/produce/prepare.js';
import { parseLogConfig } from '../src/storage/config.js';
import { validateBatches } from '../src/storage/validate.js';

const CODECS = [
  ['none', CompressionType.None],
  ['gzip', CompressionType.Gzip],
  ['snappy', CompressionType.Snappy],
  ['lz4', CompressionType.Lz4],
  ['zstd', CompressionType.Zstd],
] as const;
type CodecName = (typeof CODECS)[number][0];

const args = new Args(process.argv.slice(2));
const quick = args.has('quick');
const json = args.has('json');
const batchKiB = args.number('batch-kib', 64);
const rounds = args.number('rounds', quick ? 2 : 5);
const seconds = args.number('seconds', quick ? 0.3 : 1);
const depth = args.number('depth', 8);
const parts = new Set(args.csv('parts', ['1', '2', '3']));
const withBroker = !args.has('no-broker') && parts.has('2');

// ---- data ----

const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'kafka-client/3.7.0 (java 21)',
];
const EVENTS = ['page_view', 'click', 'purchase', 'signup', 'logout'];

function eventJson(i: number, seed: number): string {
  return JSON.stringify({
    id: seed * 100_003 + i,
    type: EVENTS[(i * 7 + seed) % EVENTS.length],
    user: `user-${(i * 31 + seed) % 5000}`,
    amount: ((i * 37) % 10_000) / 100,
    ok: i % 3 !== 0,
    ua: AGENTS[i % AGENTS.length],
  });
}

interface Sample {
  codec: CodecName;
  /** The batch as a producer sends it. */
  batch: Buffer;
  records: number;
  /** Bytes of the uncompressed batch with the same records. */
  uncompressedBytes: number;
}

/** `count` distinct batches per codec, each about batchKiB of uncompressed records. */
function samples(count: number): Map<CodecName, Sample[]> {
  const out = new Map<CodecName, Sample[]>(CODECS.map(([n]) => [n, []]));
  for (let s = 0; s < count; s++) {
    const records = [];
    let bytes = 61;
    for (let i = 0; bytes < batchKiB * 1024 - 300; i++) {
      const value = eventJson(i, s);
      records.push({ key: `user-${(i * 31 + s) % 5000}`, value, timestamp: 1_700_000_000_000 + i });
      bytes += value.length + 20;
    }
    const plain = encodeRecordBatch({ records });
    for (const [name, id] of CODECS) {
      const batch = id === CompressionType.None ? plain : encodeRecordBatch({ compression: id, records });
      out.get(name)!.push({ codec: name, batch, records: records.length, uncompressedBytes: plain.length });
    }
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Runs `fn` over the samples for about `ms` and returns seconds per call. */
function timeLoop(list: readonly Sample[], ms: number, fn: (s: Sample) => unknown): number {
  let calls = 0;
  let sink = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let k = 0; k < 64; k++) {
      const r = fn(list[calls % list.length]!);
      if (r !== undefined) sink++;
      calls++;
    }
    now = performance.now();
  }
  if (sink < 0) console.log(sink);
  return (now - start) / 1000 / calls;
}

const policy = (target: number): WritePolicy => ({ targetCompression: target, compressionLevel: undefined, compacted: false, fullValidation: false });
const KEEP = policy(KEEP_PRODUCER_CODEC);
const logConfig = parseLogConfig({});

// ---- part 1: fast path in-process ----

interface FastRow {
  codec: CodecName;
  batchBytes: number;
  ratio: number;
  fastUsPerBatch: number;
  crcUsPerBatch: number;
  /** The produce hook alone (src/server/produce/prepare.ts deciding the fast path), ns per batch. */
  hookNsPerBatch: number;
  fastMBps: number;
  crcMBps: number;
  /** Uncompressed record data per second through the fast path. */
  fastUncompressedMBps: number;
}

function fastPath(data: Map<CodecName, Sample[]>): FastRow[] {
  const fast = new Map<CodecName, number[]>();
  const crc = new Map<CodecName, number[]>();
  const hook = new Map<CodecName, number[]>();
  const ms = seconds * 300;
  for (let r = 0; r < rounds; r++) {
    for (const [name] of CODECS) {
      const list = data.get(name)!;
      const now = Date.now();
      const f = timeLoop(list, ms, (s) => {
        const out = prepareBatches(s.batch, KEEP);
        if (!Buffer.isBuffer(out)) throw new Error('fast path refused a batch');
        return validateBatches(out, logConfig, now, false);
      });
      const c = timeLoop(list, ms, (s) => crc32c(s.batch.subarray(21)));
      const h = timeLoop(list, ms / 2, (s) => prepareBatches(s.batch, KEEP));
      (hook.get(name) ?? hook.set(name, []).get(name)!).push(h);
      (fast.get(name) ?? fast.set(name, []).get(name)!).push(f);
      (crc.get(name) ?? crc.set(name, []).get(name)!).push(c);
    }
  }
  return CODECS.map(([name]) => {
    const list = data.get(name)!;
    const bytes = list.reduce((a, s) => a + s.batch.length, 0) / list.length;
    const plain = list.reduce((a, s) => a + s.uncompressedBytes, 0) / list.length;
    const f = median(fast.get(name)!);
    const c = median(crc.get(name)!);
    return {
      codec: name,
      batchBytes: Math.round(bytes),
      ratio: plain / bytes,
      fastUsPerBatch: f * 1e6,
      crcUsPerBatch: c * 1e6,
      hookNsPerBatch: median(hook.get(name)!) * 1e9,
      fastMBps: bytes / f / 1e6,
      crcMBps: bytes / c / 1e6,
      fastUncompressedMBps: plain / f / 1e6,
    };
  });
}

// ---- part 2: produce over TCP ----

interface WireRow {
  codec: CodecName;
  batchBytes: number;
  wireMBps: number;
  /** The same run's uncompressed batches of the same size (incompressible records): the control. */
  sameSizeUncompressedMBps: number;
  /** wire MB/s over the control's: 1.0 means the codec costs the broker nothing extra. */
  vsSameSize: number;
  /** Broker CPU (user + system) per produce request, µs, and the control's: steadier than wall-clock rates on a busy machine. */
  cpuUsPerRequest: number;
  controlCpuUsPerRequest: number;
  uncompressedMBps: number;
  recordsPerSec: number;
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return Number.NaN;
  }
}

async function pump(conn: WireConnection, frames: readonly ProduceFrame[], version: number, ms: number): Promise<{ bytes: number; plain: number; records: number; secs: number; requests: number }> {
  let bytes = 0;
  let requests = 0;
  let records = 0;
  let next = 0;
  let inFlight = 0;
  let failure: string | undefined;
  const start = performance.now();
  const end = start + ms;
  return new Promise((resolve, reject) => {
    const sendOne = (): void => {
      const f = frames[next]!;
      next = (next + 1) % frames.length;
      inFlight++;
      conn.sendFrame(f.frame, f.correlationId, (res) => {
        inFlight--;
        if (res instanceof Error) failure = res.message;
        else {
          const body = decodeResponseFrame(produceApi, version, res).body;
          const p = body.responses[0]!.partitionResponses[0]!;
          if (p.errorCode !== 0) failure = `produce error ${p.errorCode} ${p.errorMessage ?? ''}`;
          bytes += f.batchBytes;
          records += f.records;
          requests++;
        }
        if (failure !== undefined) {
          if (inFlight === 0) reject(new Error(failure));
          return;
        }
        if (performance.now() < end) sendOne();
        else if (inFlight === 0) {
          const secs = (performance.now() - start) / 1000;
          resolve({ bytes, plain: 0, records, secs, requests });
        }
      });
    };
    for (let i = 0; i < depth; i++) sendOne();
  });
}

async function overTcp(data: Map<CodecName, Sample[]>): Promise<WireRow[] | undefined> {
  if (!withBroker) return undefined;
  const broker = await spawnBroker({ overrides: ['log.segment.bytes=268435456'] });
  try {
    const conn = await WireConnection.connect(broker.host, broker.port);
    const versions = await apiVersions(conn);
    const version = pick(versions, 0, 9);
    const frames = new Map<CodecName, ProduceFrame[]>();
    for (const [name] of CODECS) {
      const topic = `bench-compression-${name}`;
      await ensureTopic(conn, versions, topic, 1);
      frames.set(
        name,
        data.get(name)!.map((s) => produceFrame({ version, topic, partition: 0, acks: 1, batch: s.batch, records: s.records, correlationId: conn.takeCorrelationId() })),
      );
    }
    // Control: uncompressed batches of the same size as each codec's (random, incompressible records),
    // so per-request costs cancel out and any difference is what the codec costs the broker.
    const control = new Map<CodecName, ProduceFrame[]>();
    for (const [name] of CODECS) {
      const list = data.get(name)!;
      const size = Math.round(list.reduce((a, s) => a + s.batch.length, 0) / list.length);
      control.set(
        name,
        Array.from({ length: 4 }, () => {
          const { batch, records } = makeBatchWithin(230, size);
          return produceFrame({ version, topic: 'bench-compression-control', partition: 0, acks: 1, batch, records, correlationId: conn.takeCorrelationId() });
        }),
      );
    }
    await ensureTopic(conn, versions, 'bench-compression-control', 1);
    const perCodec = new Map<CodecName, Array<{ wire: number; control: number; plain: number; rps: number; cpu: number; ctlCpu: number }>>();
    for (const [name] of CODECS) await pump(conn, frames.get(name)!, version, 150); // warm-up
    for (let r = 0; r < rounds; r++) {
      for (const [name] of CODECS) {
        const list = data.get(name)!;
        const ratio = list.reduce((a, s) => a + s.uncompressedBytes, 0) / list.reduce((a, s) => a + s.batch.length, 0);
        const c0 = cpuSeconds(broker.pid);
        const ctl = await pump(conn, control.get(name)!, version, seconds * 1000);
        const c1 = cpuSeconds(broker.pid);
        const res = await pump(conn, frames.get(name)!, version, seconds * 1000);
        const c2 = cpuSeconds(broker.pid);
        const wire = res.bytes / res.secs / 1e6;
        (perCodec.get(name) ?? perCodec.set(name, []).get(name)!).push({
          wire,
          control: ctl.bytes / ctl.secs / 1e6,
          plain: wire * ratio,
          rps: res.records / res.secs,
          cpu: ((c2 - c1) / res.requests) * 1e6,
          ctlCpu: ((c1 - c0) / ctl.requests) * 1e6,
        });
      }
    }
    conn.close();
    return CODECS.map(([name]) => {
      const xs = perCodec.get(name)!;
      const list = data.get(name)!;
      const wire = median(xs.map((x) => x.wire));
      const ctl = median(xs.map((x) => x.control));
      return {
        codec: name,
        batchBytes: Math.round(list.reduce((a, s) => a + s.batch.length, 0) / list.length),
        wireMBps: wire,
        sameSizeUncompressedMBps: ctl,
        vsSameSize: median(xs.map((x) => x.wire / x.control)),
        cpuUsPerRequest: median(xs.map((x) => x.cpu)),
        controlCpuUsPerRequest: median(xs.map((x) => x.ctlCpu)),
        uncompressedMBps: median(xs.map((x) => x.plain)),
        recordsPerSec: median(xs.map((x) => x.rps)),
      };
    });
  } finally {
    await broker.stop();
  }
}

// ---- part 3: recompression ----

interface RecompressRow {
  from: CodecName;
  to: CodecName;
  /** Uncompressed record data per second. */
  uncompressedMBps: number;
  usPerBatch: number;
}

function recompression(data: Map<CodecName, Sample[]>): RecompressRow[] {
  const pairs: Array<[CodecName, CodecName]> = [];
  for (const [from] of CODECS) if (from !== 'zstd') pairs.push([from, 'zstd']);
  for (const [from] of CODECS) if (from !== 'none') pairs.push([from, 'none']);
  for (const [to] of CODECS) if (to !== 'none' && to !== 'zstd') pairs.push(['none', to]);
  const times = new Map<string, number[]>();
  const ms = seconds * 200;
  const idOf = (n: CodecName): number => CODECS.find(([x]) => x === n)![1];
  for (let r = 0; r < rounds; r++) {
    for (const [from, to] of pairs) {
      const target = policy(idOf(to));
      const t = timeLoop(data.get(from)!, ms, (s) => {
        const out = prepareBatches(s.batch, target);
        if (!Buffer.isBuffer(out)) throw new Error(`recompression ${from} → ${to} refused: ${out.message}`);
        return out;
      });
      const key = `${from}>${to}`;
      (times.get(key) ?? times.set(key, []).get(key)!).push(t);
    }
  }
  return pairs.map(([from, to]) => {
    const list = data.get(from)!;
    const plain = list.reduce((a, s) => a + s.uncompressedBytes, 0) / list.length;
    const t = median(times.get(`${from}>${to}`)!);
    return { from, to, uncompressedMBps: plain / t / 1e6, usPerBatch: t * 1e6 };
  });
}

// ---- report ----

const f1 = (n: number) => n.toFixed(1);
const f0 = (n: number) => Math.round(n).toString();

async function main(): Promise<void> {
  const data = samples(8);
  const fast = parts.has('1') ? fastPath(data) : [];
  const recompress = parts.has('3') ? recompression(data) : [];
  const wire = await overTcp(data);
  if (json) {
    console.log(JSON.stringify({ batchKiB, rounds, seconds, depth, fast, wire, recompress }, null, 2));
    return;
  }
  console.log(`# Compression on the produce path (batches of ~${batchKiB} KiB uncompressed JSON events; median of ${rounds} interleaved rounds)\n`);
  if (fast.length > 0) {
    console.log('## 1. Fast path, in-process (topic keeps the producer codec): prepare + storage header/CRC validation vs bare CRC-32C');
    console.log('| codec | batch bytes | ratio | fast path µs/batch | CRC-32C µs/batch | produce hook ns/batch | fast path MB/s (stored) | CRC MB/s | fast path MB/s (uncompressed equiv.) |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of fast) {
      console.log(`| ${r.codec} | ${r.batchBytes} | ${r.ratio.toFixed(2)} | ${r.fastUsPerBatch.toFixed(2)} | ${r.crcUsPerBatch.toFixed(2)} | ${f0(r.hookNsPerBatch)} | ${f0(r.fastMBps)} | ${f0(r.crcMBps)} | ${f0(r.fastUncompressedMBps)} |`);
    }
  }
  if (wire !== undefined) {
    console.log(`\n## 2. Produce over TCP, broker in a child process (CLI, disk storage), acks=1, ${depth} in flight, one connection`);
    console.log('| codec | batch bytes | wire MB/s | same-size uncompressed MB/s (control) | ratio to control | broker CPU µs/request | control CPU µs/request | uncompressed-equivalent MB/s | records/s |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of wire) {
      console.log(`| ${r.codec} | ${r.batchBytes} | ${f1(r.wireMBps)} | ${f1(r.sameSizeUncompressedMBps)} | ${r.vsSameSize.toFixed(2)} | ${f0(r.cpuUsPerRequest)} | ${f0(r.controlCpuUsPerRequest)} | ${f1(r.uncompressedMBps)} | ${f0(r.recordsPerSec)} |`);
    }
  }
  if (recompress.length === 0) return;
  console.log('\n## 3. Recompression, in-process (full validation + decompress + compress), MB/s of uncompressed record data');
  console.log('| from | to | MB/s | µs/batch |');
  console.log('|---|---|---|---|');
  for (const r of recompress) console.log(`| ${r.from} | ${r.to} | ${f1(r.uncompressedMBps)} | ${f0(r.usPerBatch)} |`);
}

await main();
