/**
 * Raw load generator: speaks the Kafka protocol itself with pre-encoded record batches and many
 * requests in flight on several connections, so the client is not the bottleneck.
 *
 *   node --import tsx bench/load-gen.ts [--bootstrap host:port] --mode produce|fetch|mixed
 *       [--acks 0|1|all] [--record-size 100] [--batch-bytes 16384] [--partitions 1]
 *       [--connections 4] [--depth 16] [--duration-ms 3000] [--warmup-ms 500] [--rate 0]
 *       [--fetch-bytes 1048576] [--prefill-mb 256] [--json] [--quick] [--memory] [--dist] [--idempotent]
 *       [--profile [--profile-dir d]]   (writes the broker's --cpu-prof profile)
 *
 * Without --bootstrap it starts Brook's CLI in a separate process (disk storage in a temp dir; add
 * --memory for in-memory). MB/s counts record-batch bytes (10^6 bytes/s), as stored; latency is from a
 * request's (intended) send to its response, in an HDR histogram. --idempotent: each produce connection
 * is an idempotent producer (its own InitProducerId); every send stamps the next sequence number of its
 * partition into the batch and recomputes the CRC, as a producer would.
 */
import { fileURLToPath } from 'node:url';
import { apiVersions, endOffsets, ensureTopic, pick } from './lib/admin.js';
import { Args } from './lib/args.js';
import { makeBatch, makeBatchWithin, produceFrame, type ProduceFrame } from './lib/batches.js';
import type { LatencySummary } from './lib/histogram.js';
import os from 'node:os';
import path from 'node:path';
import { processCpuSeconds, spawnBroker } from './lib/processes.js';
import { FetchWorker, ProduceWorker, SideStats, produceNoAcks, type FetchTarget } from './lib/workers.js';
import { WireConnection, parseBootstrap } from './lib/wire.js';
import { api as apiVersionsApi } from '../src/protocol/messages/18-api-versions.js';
import { defaultValue } from '../src/protocol/codec.js';
import { api as initProducerIdApi } from '../src/protocol/messages/22-init-producer-id.js';
import { PRODUCER_EPOCH_OFFSET, BASE_SEQUENCE_OFFSET, PRODUCER_ID_OFFSET, writeBatchCrc, writeInt64 } from '../src/protocol/records/batch-header.js';

export type LoadMode = 'produce' | 'fetch' | 'mixed';

export interface LoadOptions {
  bootstrap: string;
  mode: LoadMode;
  /** 0, 1 or -1 (all). */
  acks: number;
  recordSize: number;
  batchBytes: number;
  partitions: number;
  connections: number;
  /** Requests in flight per connection. */
  depth: number;
  durationMs: number;
  warmupMs: number;
  /** Total produce (or fetch) requests per second across connections; 0 = unlimited. */
  rate: number;
  /** partition_max_bytes of each Fetch. */
  fetchBytes: number;
  /** Data written before a fetch or mixed run (the data fetched). */
  prefillBytes: number;
  topic?: string;
  /** The broker's pid, when it runs on this machine: its CPU use in the window is reported. */
  brokerPid?: number;
  /** Produce as idempotent producers (one producer id per connection, real sequence numbers). */
  idempotent?: boolean;
}

export interface SideResult {
  mbps: number;
  recordsPerSec: number;
  requestsPerSec: number;
  bytes: number;
  records: number;
  seconds: number;
  errors: number;
  firstError: string | null;
  latency: LatencySummary;
}

export interface LoadResult {
  options: LoadOptions;
  /** CPU used in the measured window, in cores (1 = one core busy): this process, and the broker's. */
  clientCpu: number;
  brokerCpu: number | null;
  produce?: SideResult;
  fetch?: SideResult;
}

export const DEFAULT_LOAD: Omit<LoadOptions, 'bootstrap'> = {
  mode: 'produce',
  acks: 1,
  recordSize: 100,
  batchBytes: 16 * 1024,
  partitions: 1,
  connections: 4,
  depth: 16,
  durationMs: 3000,
  warmupMs: 500,
  rate: 0,
  fetchBytes: 1024 * 1024,
  prefillBytes: 256 * 1024 * 1024,
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function result(s: SideStats, seconds: number): SideResult {
  return {
    mbps: s.bytes / 1e6 / seconds,
    recordsPerSec: s.records / seconds,
    requestsPerSec: s.requests / seconds,
    bytes: s.bytes,
    records: s.records,
    seconds,
    errors: s.errors,
    firstError: s.firstError,
    latency: s.latency.summary(),
  };
}

/** A request answered only after everything sent before it on `conn` was handled. */
async function barrier(conn: WireConnection): Promise<void> {
  await conn.request(apiVersionsApi, 0, defaultValue(apiVersionsApi.request, 0));
}

interface ProduceSetup {
  frames: ProduceFrame[][];
  perBatch: number;
  batchLength: number;
  version: number;
}

function buildProduceFrames(o: LoadOptions, topic: string, partitions: number, version: number, connections: number, acks: number): ProduceSetup {
  const first = makeBatchWithin(o.recordSize, o.batchBytes);
  const perBatch = first.records;
  // A few distinct batches (not one buffer resent) and every partition, on every connection.
  const batches = [first.batch, ...Array.from({ length: 3 }, () => makeBatch(o.recordSize, perBatch))];
  const frames = Array.from({ length: connections }, (_, c) => {
    const list: ProduceFrame[] = [];
    for (let i = 0; i < Math.max(partitions, 4); i++) {
      const partition = (c + i) % partitions;
      list.push(produceFrame({ version, topic, partition, acks, batch: batches[i % batches.length]!, records: perBatch, correlationId: 1_000_000 + i }));
    }
    return list;
  });
  return { frames, perBatch, batchLength: batches[0]!.length, version };
}

/** Makes each connection's frames those of one idempotent producer: pid/epoch, per-partition sequences. */
async function makeIdempotent(conn: WireConnection, frames: ProduceFrame[]): Promise<void> {
  const r = await conn.request(initProducerIdApi, 4, { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });
  if (r.errorCode !== 0) throw new Error(`InitProducerId failed: error ${r.errorCode}`);
  const sequences = new Map<number, number>();
  for (const f of frames) {
    const batchBytes = f.batchBytes;
    // The batch is the frame's last large field (only tagged-field bytes may follow): find it once.
    let at = f.frame.length - batchBytes;
    while (at >= 0 && !(f.frame.readInt32BE(at + 8) + 12 === batchBytes && f.frame[at + 16] === 2)) at--;
    if (at < 0) throw new Error('could not locate the batch in the produce frame');
    writeInt64(f.frame, at + PRODUCER_ID_OFFSET, Number(r.producerId));
    f.frame.writeInt16BE(r.producerEpoch, at + PRODUCER_EPOCH_OFFSET);
    f.beforeSend = () => {
      const seq = sequences.get(f.partition) ?? 0;
      sequences.set(f.partition, (seq + f.records) % 0x80000000);
      f.frame.writeInt32BE(seq, at + BASE_SEQUENCE_OFFSET);
      writeBatchCrc(f.frame, at);
    };
  }
}

/** Writes about `bytes` of batches into the topic (acks=1) so there is something to fetch. */
async function prefill(conns: WireConnection[], setup: ProduceSetup, bytes: number, partitions: number): Promise<void> {
  const stats = new SideStats();
  stats.measuring = true;
  const perPartition = Math.max(1, Math.ceil(bytes / setup.batchLength / partitions));
  const total = perPartition * partitions;
  const workers = conns.map((conn, i) => new ProduceWorker(conn, stats, { rate: 0, depth: 8 }, setup.frames[i]!, setup.version));
  for (const w of workers) w.start();
  while (stats.requests + stats.errors < total) await sleep(5);
  await Promise.all(workers.map((w) => w.stop()));
  if (stats.errors > 0) throw new Error(`prefill failed: ${stats.firstError}`);
}

/** Runs one load case against a broker that is already up. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const o = options;
  const { host, port } = parseBootstrap(o.bootstrap);
  const admin = await WireConnection.connect(host, port, 'brook-load-admin');
  const conns: WireConnection[] = [];
  try {
    const versions = await apiVersions(admin);
    const topic = o.topic ?? `brook-load-${o.mode}-${o.partitions}p-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const { partitions } = await ensureTopic(admin, versions, topic, o.partitions);
    const produceVersion = pick(versions, 0, 9);
    const fetchVersion = o.mode === 'produce' ? -1 : pick(versions, 1, 11);
    for (let i = 0; i < o.connections; i++) conns.push(await WireConnection.connect(host, port, `brook-load-${i}`));

    const fetchConns = o.mode === 'fetch' ? conns : o.mode === 'mixed' ? conns.slice(Math.ceil(conns.length / 2)) : [];
    const produceConns = o.mode === 'produce' ? conns : o.mode === 'mixed' ? conns.slice(0, Math.ceil(conns.length / 2)) : [];
    if (o.mode === 'mixed' && fetchConns.length === 0) throw new Error('mixed mode needs at least 2 connections');

    let fetchTarget: FetchTarget | null = null;
    if (fetchConns.length > 0) {
      const fill = buildProduceFrames(o, topic, partitions, produceVersion, conns.length, 1);
      await prefill(conns, fill, o.prefillBytes, partitions);
      const ends = await endOffsets(admin, versions, topic, partitions);
      fetchTarget = { topic, partitions, endOffsets: ends, recordsPerBatch: fill.perBatch, batchBytes: fill.batchLength, partitionMaxBytes: o.fetchBytes };
    }

    const produceStats = new SideStats();
    const fetchStats = new SideStats();
    const setup = produceConns.length > 0 ? buildProduceFrames(o, topic, partitions, produceVersion, produceConns.length, o.acks) : null;
    const ratePer = (n: number): number => (o.rate > 0 ? o.rate / n : 0);
    if (setup !== null && o.idempotent === true) await Promise.all(produceConns.map((c, i) => makeIdempotent(c, setup.frames[i]!)));

    const workers: Array<ProduceWorker | FetchWorker> = [];
    let noAcks: Promise<void>[] = [];
    let stopNoAcks = false;
    if (setup !== null) {
      if (o.acks === 0) {
        noAcks = produceConns.map((c, i) => produceNoAcks(c, produceStats, setup.frames[i]!, () => stopNoAcks));
      } else {
        produceConns.forEach((c, i) => workers.push(new ProduceWorker(c, produceStats, { rate: ratePer(produceConns.length), depth: o.depth }, setup.frames[i]!, setup.version)));
      }
    }
    if (fetchTarget !== null) {
      fetchConns.forEach((c, i) =>
        workers.push(new FetchWorker(c, fetchStats, { rate: o.mode === 'fetch' ? ratePer(fetchConns.length) : 0, depth: Math.min(o.depth, 4) }, fetchTarget!, fetchVersion, i, fetchConns.length)),
      );
    }
    for (const w of workers) w.start();
    await sleep(o.warmupMs);
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const broker0 = o.brokerPid !== undefined ? processCpuSeconds(o.brokerPid) : null;
    produceStats.measuring = fetchStats.measuring = true;
    await sleep(o.durationMs);
    produceStats.measuring = fetchStats.measuring = false;
    const t1 = process.hrtime.bigint();
    const window = Number(t1 - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const broker1 = o.brokerPid !== undefined ? processCpuSeconds(o.brokerPid) : null;
    const clientCpu = (cpu.user + cpu.system) / 1e6 / window;
    const brokerCpu = broker0 !== null && broker1 !== null ? (broker1 - broker0) / window : null;
    stopNoAcks = true;
    await Promise.all([...workers.map((w) => w.stop()), ...noAcks]);
    let produceSeconds = Number(t1 - t0) / 1e9;
    if (o.acks === 0 && setup !== null) {
      // Bytes were counted as written: the window closes when the broker has taken all of them.
      await Promise.all(produceConns.map((c) => barrier(c)));
      produceSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    }
    const out: LoadResult = { options: { ...o, topic }, clientCpu, brokerCpu };
    if (setup !== null) out.produce = result(produceStats, produceSeconds);
    if (fetchTarget !== null) out.fetch = result(fetchStats, Number(t1 - t0) / 1e9);
    return out;
  } finally {
    for (const c of conns) c.close();
    admin.close();
  }
}

const fmt = (n: number, d = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export function describeCase(o: LoadOptions): string {
  const size = (b: number): string => (b >= 1 << 20 ? `${b / (1 << 20)}MiB` : b >= 1024 ? `${b / 1024}KiB` : `${b}B`);
  const acks = o.mode === 'fetch' ? '' : ` acks=${o.acks === -1 ? 'all' : o.acks}`;
  return `${o.mode}${acks}${o.idempotent === true ? ' idempotent' : ''} partitions=${o.partitions} record=${size(o.recordSize)} batch=${size(o.batchBytes)} conns=${o.connections} depth=${o.depth}${o.rate > 0 ? ` rate=${o.rate}/s` : ''}`;
}

export function describeSide(name: string, s: SideResult): string {
  const l = s.latency;
  return (
    `${name}: ${fmt(s.mbps)} MB/s, ${fmt(s.recordsPerSec, 0)} records/s, ${fmt(s.requestsPerSec, 0)} requests/s; ` +
    `latency ms avg ${fmt(l.meanMs, 2)} p50 ${fmt(l.p50Ms, 2)} p95 ${fmt(l.p95Ms, 2)} p99 ${fmt(l.p99Ms, 2)} p99.9 ${fmt(l.p999Ms, 2)} max ${fmt(l.maxMs, 2)}` +
    (s.errors > 0 ? `; ${s.errors} errors (first: ${s.firstError})` : '')
  );
}

export function describeCpu(r: LoadResult): string {
  const b = r.brokerCpu === null ? 'unknown (not a local child)' : `${(100 * r.brokerCpu).toFixed(0)}% of a core`;
  return `cpu: broker ${b}, load generator ${(100 * r.clientCpu).toFixed(0)}% of a core`;
}

/** Options from the command line (shared by run-all). */
export function loadOptionsFrom(args: Args, bootstrap: string): LoadOptions {
  const quick = args.has('quick');
  const acksText = args.string('acks', '1');
  const mode = args.string('mode', 'produce');
  if (mode !== 'produce' && mode !== 'fetch' && mode !== 'mixed') throw new Error(`--mode must be produce, fetch or mixed`);
  return {
    bootstrap,
    mode,
    acks: acksText === 'all' ? -1 : Number(acksText),
    recordSize: args.number('record-size', DEFAULT_LOAD.recordSize),
    batchBytes: args.number('batch-bytes', DEFAULT_LOAD.batchBytes),
    partitions: args.number('partitions', DEFAULT_LOAD.partitions),
    connections: args.number('connections', DEFAULT_LOAD.connections),
    depth: args.number('depth', DEFAULT_LOAD.depth),
    durationMs: args.number('duration-ms', quick ? 500 : DEFAULT_LOAD.durationMs),
    warmupMs: args.number('warmup-ms', quick ? 100 : DEFAULT_LOAD.warmupMs),
    rate: args.number('rate', 0),
    fetchBytes: args.number('fetch-bytes', DEFAULT_LOAD.fetchBytes),
    prefillBytes: args.number('prefill-mb', quick ? 8 : DEFAULT_LOAD.prefillBytes / (1 << 20)) * (1 << 20),
    idempotent: args.has('idempotent'),
  };
}

async function main(): Promise<void> {
  const args = new Args(process.argv.slice(2));
  let broker: Awaited<ReturnType<typeof spawnBroker>> | null = null;
  let bootstrap = args.string('bootstrap');
  if (bootstrap === undefined) {
    const profileDir = args.string('profile-dir', path.join(os.tmpdir(), 'brook-profiles'));
    const nodeFlags = args.has('profile') ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
    broker = await spawnBroker({ memory: args.has('memory'), entry: args.has('dist') ? 'dist' : 'src', nodeFlags });
    bootstrap = broker.bootstrap;
    console.log(`Brook started in a separate process (pid ${broker.pid}, ${broker.dataDir ?? 'memory'}) at ${bootstrap}`);
  }
  try {
    const o = loadOptionsFrom(args, bootstrap);
    if (broker !== null) o.brokerPid = broker.pid;
    const r = await runLoad(o);
    if (args.has('json')) console.log(JSON.stringify(r));
    else {
      console.log(describeCase(o));
      if (r.produce) console.log('  ' + describeSide('produce', r.produce));
      if (r.fetch) console.log('  ' + describeSide('fetch', r.fetch));
      console.log('  ' + describeCpu(r));
    }
    if ((r.produce?.errors ?? 0) + (r.fetch?.errors ?? 0) > 0) process.exitCode = 1;
  } finally {
    await broker?.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
