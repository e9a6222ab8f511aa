/**
 * The whole benchmark (npm run bench): the physical limits (raw pumps), Brook under the raw load
 * generator (produce / fetch / mixed, acks 0/1/all, 100 B and 1 KiB records in 16 KiB and 1 MiB
 * batches, 1 and 16 partitions), latency against offered load, and the kafkajs ceiling. Every Brook
 * figure is printed beside its physical limit as a ratio. Brook runs in a separate process (a fresh one
 * per measurement, disk storage in a temp dir); the load generator runs in this one.
 *
 *   node --import tsx bench/run-all.ts [--quick] [--rounds 3] [--duration-ms 2000] [--out bench/results]
 *       [--only produce,fetch,mixed,latency,kafkajs] [--cases id,id] [--memory] [--dist] [--profile]
 *       [--broker-root DIR]   (run the Brook checkout in DIR instead: A/B comparisons of a change)
 *
 * Each figure is the median of --rounds runs (the machine is shared and noisy). Writes summary.md,
 * results.json, throughput.svg and latency.svg to --out (quick mode writes nothing unless --out is given).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Args } from './lib/args.js';
import { lineChart } from './lib/chart.js';
import { ROOT, spawnBroker, spawnReady } from './lib/processes.js';
import { runCeiling, type CeilingResult } from './kafkajs-ceiling.js';
import { DEFAULT_LOAD, describeCase, describeCpu, describeSide, runLoad, type LoadOptions, type LoadResult, type SideResult } from './load-gen.js';
import { runPump, type PumpOptions } from './raw-pump.js';

const args = new Args(process.argv.slice(2));
const quick = args.has('quick');
const rounds = args.number('rounds', quick ? 1 : 3);
const durationMs = args.number('duration-ms', quick ? 300 : 2000);
const outDir = args.string('out') ?? (quick ? null : path.join(ROOT, 'bench', 'results'));
const only = new Set(args.csv('only', ['produce', 'fetch', 'mixed', 'latency', 'kafkajs']));
const memory = args.has('memory');
const entry = args.has('dist') ? 'dist' : 'src';
const brokerRoot = args.string('broker-root');
const KiB = 1024;
const MiB = 1024 * 1024;

type PumpKey = 'write-16k' | 'write-1m' | 'read-1m';
const PUMPS: Record<PumpKey, Omit<PumpOptions, 'totalBytes'>> = {
  'write-16k': { direction: 'write', bufBytes: 16 * KiB, connections: DEFAULT_LOAD.connections },
  'write-1m': { direction: 'write', bufBytes: MiB, connections: DEFAULT_LOAD.connections },
  'read-1m': { direction: 'read', bufBytes: MiB, connections: DEFAULT_LOAD.connections },
};

interface CaseSpec {
  id: string;
  kind: 'produce' | 'fetch' | 'mixed';
  load: Partial<LoadOptions>;
  /** The physical limit this case is judged against (none for mixed: no single pump matches it). */
  pump: PumpKey | null;
}

const CASES: CaseSpec[] = [
  { id: 'p1-a1-100b-16k', kind: 'produce', load: { recordSize: 100, batchBytes: 16 * KiB }, pump: 'write-16k' },
  { id: 'p1-a1-1k-16k', kind: 'produce', load: { recordSize: 1024, batchBytes: 16 * KiB }, pump: 'write-16k' },
  { id: 'p1-a1-100b-1m', kind: 'produce', load: { recordSize: 100, batchBytes: MiB, depth: 4 }, pump: 'write-1m' },
  { id: 'p1-a1-1k-1m', kind: 'produce', load: { recordSize: 1024, batchBytes: MiB, depth: 4 }, pump: 'write-1m' },
  { id: 'p1-a0-1k-16k', kind: 'produce', load: { acks: 0, recordSize: 1024, batchBytes: 16 * KiB }, pump: 'write-16k' },
  { id: 'p1-aall-1k-16k', kind: 'produce', load: { acks: -1, recordSize: 1024, batchBytes: 16 * KiB }, pump: 'write-16k' },
  { id: 'p16-a1-1k-16k', kind: 'produce', load: { partitions: 16, recordSize: 1024, batchBytes: 16 * KiB }, pump: 'write-16k' },
  { id: 'p16-a1-1k-1m', kind: 'produce', load: { partitions: 16, recordSize: 1024, batchBytes: MiB, depth: 4 }, pump: 'write-1m' },
  { id: 'fetch-p1-16k', kind: 'fetch', load: { mode: 'fetch', recordSize: 1024, batchBytes: 16 * KiB }, pump: 'read-1m' },
  { id: 'fetch-p16-16k', kind: 'fetch', load: { mode: 'fetch', partitions: 16, recordSize: 1024, batchBytes: 16 * KiB }, pump: 'read-1m' },
  { id: 'fetch-p1-1m', kind: 'fetch', load: { mode: 'fetch', recordSize: 1024, batchBytes: MiB }, pump: 'read-1m' },
  { id: 'mixed-p1-16k', kind: 'mixed', load: { mode: 'mixed', recordSize: 1024, batchBytes: 16 * KiB }, pump: null },
];
const QUICK_CASES = new Set(['p1-a1-100b-16k', 'p1-a0-1k-16k', 'fetch-p1-16k', 'mixed-p1-16k']);
const LOAD_FRACTIONS = quick ? [0.5] : [0.1, 0.25, 0.5, 0.75, 0.9];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f1 = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const f0 = (n: number): string => Math.round(n).toLocaleString('en-US');
const f2 = (n: number): string => n.toFixed(2);
const pct = (r: number): string => `${(100 * r).toFixed(0)}%`;
const log = (line: string): void => console.log(line);

/** A broker per measurement, or one shared by all in quick mode. */
let shared: Awaited<ReturnType<typeof spawnBroker>> | null = null;
async function withBroker<T>(fn: (bootstrap: string, pid: number) => Promise<T>): Promise<T> {
  if (quick) {
    shared ??= await spawnBroker({ memory, entry, ...(brokerRoot !== undefined ? { root: brokerRoot } : {}) });
    return fn(shared.bootstrap, shared.pid);
  }
  const b = await spawnBroker({ memory, entry, nodeFlags: profileFlags(), ...(brokerRoot !== undefined ? { root: brokerRoot } : {}) });
  try {
    return await fn(b.bootstrap, b.pid);
  } finally {
    await b.stop();
  }
}

/** --profile: every broker writes a --cpu-prof profile to --profile-dir (default <tmp>/brook-profiles). */
function profileFlags(): string[] {
  return args.has('profile') ? ['--cpu-prof', '--cpu-prof-dir', args.string('profile-dir', path.join(os.tmpdir(), 'brook-profiles'))] : [];
}

function loadOptions(bootstrap: string, c: Partial<LoadOptions>, brokerPid?: number): LoadOptions {
  return {
    ...DEFAULT_LOAD,
    durationMs,
    warmupMs: quick ? 100 : 500,
    prefillBytes: quick ? 8 * MiB : 256 * MiB,
    ...c,
    bootstrap,
    ...(brokerPid !== undefined ? { brokerPid } : {}),
  };
}

/** The side a case is judged by (produce for produce/mixed, fetch for fetch). */
const mainSide = (c: CaseSpec, r: LoadResult): SideResult => (c.kind === 'fetch' ? r.fetch! : r.produce!);

interface CaseResult {
  spec: CaseSpec;
  label: string;
  runs: LoadResult[];
  median: LoadResult;
  /** Median of the pump runs paired with this case's rounds. */
  pumpMbps: number;
  pumpRuns: number[];
  /** Median of the per-round ratios Brook / pump (each pair measured back to back). */
  ratio: number;
  /**
   * Median per-round ratio of MB per CPU-second, Brook's process over the pump server's: the cost per
   * byte, which the other tenants' load (CPU starvation) skews much less than MB/s. Null without /proc.
   */
  cpuRatio: number | null;
  ratios: number[];
  cpuRatios: number[];
}

const pumpRuns = new Map<PumpKey, number[]>();
async function pumpOnce(key: PumpKey): Promise<{ mbps: number; cpu: number | null }> {
  const r = await runPump({ ...PUMPS[key], totalBytes: (quick ? 32 : 512) * MiB });
  const list = pumpRuns.get(key) ?? [];
  list.push(r.mbps);
  pumpRuns.set(key, list);
  return { mbps: r.mbps, cpu: r.serverCpu };
}

/**
 * Each round measures the raw pump and then Brook, back to back, so the ratio of a pair shares the
 * machine's conditions of the moment (other tenants' load swings the absolute figures a lot).
 */
async function runCase(c: CaseSpec): Promise<CaseResult> {
  const runs: LoadResult[] = [];
  const pumps: number[] = [];
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const pump = c.pump === null ? { mbps: NaN, cpu: null } : await pumpOnce(c.pump);
    const r = await withBroker((bootstrap, pid) => runLoad(loadOptions(bootstrap, c.load, pid)));
    pumps.push(pump.mbps);
    runs.push(r);
    ratios.push(mainSide(c, r).mbps / pump.mbps);
    if (pump.cpu !== null && r.brokerCpu !== null && r.brokerCpu > 0) {
      cpuRatios.push(mainSide(c, r).mbps / r.brokerCpu / (pump.mbps / pump.cpu));
    }
  }
  const cpuRatio = cpuRatios.length > 0 ? median(cpuRatios) : null;
  const m = median(runs.map((r) => mainSide(c, r).mbps));
  const med = runs.find((r) => mainSide(c, r).mbps === m)!;
  const pumpMbps = median(pumps);
  const ratio = median(ratios);
  const label = describeCase(med.options);
  log(`${label}  [median of ${rounds}]`);
  if (med.produce) log(`  ${describeSide('produce', med.produce)}`);
  if (med.fetch) log(`  ${describeSide('fetch', med.fetch)}`);
  log(`  ${describeCpu(med)}`);
  if (c.pump !== null) {
    const p = PUMPS[c.pump];
    log(
      `  raw ${p.direction === 'write' ? 'socket→file' : 'file→socket'} pump (${p.bufBytes / KiB} KiB buffers): ${f1(pumpMbps)} MB/s; ` +
        `Brook at ${pct(ratio)} of it (per-round ratios ${ratios.map(pct).join(', ')}; Brook ${runs.map((r) => f1(mainSide(c, r).mbps)).join(', ')}; pump ${pumps.map(f1).join(', ')})`,
    );
    if (cpuRatio !== null) log(`  per CPU-second, Brook moves ${pct(cpuRatio)} of the bytes the pump moves (per-round ${cpuRatios.map(pct).join(', ')})`);
  }
  for (const r of runs) {
    const s = mainSide(c, r);
    if (s.errors > 0) throw new Error(`${label}: ${s.errors} errors, first: ${s.firstError}`);
  }
  return { spec: c, label, runs, median: med, pumpMbps, pumpRuns: pumps, ratio, cpuRatio, ratios, cpuRatios };
}

interface LatencyPoint {
  fraction: number;
  rate: number;
  offeredMbps: number;
  achievedMbps: number;
  p50: number;
  p99: number;
  p999: number;
  /** The same load against the discard sink (no storage, minimal server): this machine's floor. */
  sinkP50: number;
  sinkP99: number;
}

/**
 * Produce latency at fractions of the peak request rate, Brook and the discard sink alternating at each
 * load (the sink's figures are the floor this shared machine and the load generator set).
 */
async function latencyVsLoad(peak: CaseResult): Promise<LatencyPoint[]> {
  const peakRate = peak.median.produce!.requestsPerSec;
  const batch = peak.median.produce!.bytes / Math.max(1, peak.median.produce!.requestsPerSec * peak.median.produce!.seconds);
  const sink = await spawnReady(path.join(ROOT, 'bench', 'lib', 'discard-sink.ts'), [], /sink ready bootstrap=(\S+)/);
  const points: LatencyPoint[] = [];
  try {
    for (const fraction of LOAD_FRACTIONS) {
      const rate = Math.max(1, Math.round(peakRate * fraction));
      const runs: SideResult[] = [];
      const sinkRuns: SideResult[] = [];
      for (let i = 0; i < rounds; i++) {
        sinkRuns.push((await runLoad(loadOptions(sink.bootstrap, { ...peak.spec.load, rate }))).produce!);
        runs.push((await withBroker((b, pid) => runLoad(loadOptions(b, { ...peak.spec.load, rate }, pid)))).produce!);
      }
      const byP99 = (xs: SideResult[]): SideResult => {
        const m = median(xs.map((x) => x.latency.p99Ms));
        return xs.find((x) => x.latency.p99Ms === m)!;
      };
      const med = byP99(runs);
      const sm = byP99(sinkRuns);
      const point: LatencyPoint = {
        fraction,
        rate,
        offeredMbps: (rate * batch) / 1e6,
        achievedMbps: med.mbps,
        p50: med.latency.p50Ms,
        p99: med.latency.p99Ms,
        p999: med.latency.p999Ms,
        sinkP50: sm.latency.p50Ms,
        sinkP99: sm.latency.p99Ms,
      };
      points.push(point);
      log(
        `latency at ${pct(fraction)} of peak (${f0(rate)} requests/s, ${f1(point.offeredMbps)} MB/s offered, ${f1(point.achievedMbps)} carried): ` +
          `Brook p50 ${f2(point.p50)} ms, p99 ${f2(point.p99)} ms, p99.9 ${f2(point.p999)} ms [p99 runs: ${runs.map((r) => f2(r.latency.p99Ms)).join(', ')}]; ` +
          `discard sink p50 ${f2(point.sinkP50)} ms, p99 ${f2(point.sinkP99)} ms [p99 runs: ${sinkRuns.map((r) => f2(r.latency.p99Ms)).join(', ')}]`,
      );
    }
  } finally {
    await sink.stop();
  }
  return points;
}

interface Target {
  name: string;
  goal: string;
  figure: string;
  met: boolean | null;
}

async function main(): Promise<void> {
  const started = new Date();
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} at start`;
  log(`Brook bench ${quick ? '(quick) ' : ''}— ${started.toISOString()} — ${machine}`);
  log(`The broker under test runs in a separate process (${entry === 'dist' ? 'dist/cli.js' : 'src/cli.ts via tsx'}, ${memory ? 'memory' : 'disk'} storage${quick ? ', one broker for all cases' : ', a fresh broker per run'}); the load generator runs in this process (pid ${process.pid}).`);
  const picked = args.csv('cases', []);
  const cases = CASES.filter((c) => only.has(c.kind) && (picked.length > 0 ? picked.includes(c.id) : !quick || QUICK_CASES.has(c.id)));
  const results: CaseResult[] = [];
  let latency: LatencyPoint[] = [];
  let ceiling: CeilingResult | null = null;
  try {
    for (const c of cases) results.push(await runCase(c));
    const peak = results.find((r) => r.spec.id === 'p1-a1-100b-16k');
    if (only.has('latency') && peak !== undefined) latency = await latencyVsLoad(peak);
  } finally {
    await shared?.stop();
  }
  if (only.has('kafkajs')) {
    ceiling = await runCeiling({ numRecords: quick ? 5000 : 300_000, recordSize: 100, rounds, acks: '1', print: quick ? () => {} : log });
    log(`kafkajs producer: Brook ${f0(ceiling.brook.recordsPerSec)} records/s, discard sink ${f0(ceiling.sink.recordsPerSec)} records/s: ${pct(ceiling.ratio)} of the sink`);
  }

  const byId = (id: string): CaseResult | undefined => results.find((r) => r.spec.id === id);
  const targets: Target[] = [];
  // A target over several cases is judged on the median of all their per-round ratios.
  const pooled = (ids: string[], name: string, goal: string, min: number): void => {
    const cs = ids.map(byId).filter((c): c is CaseResult => c !== undefined);
    if (cs.length === 0) return;
    const ratios = cs.flatMap((c) => c.ratios);
    const cpu = cs.flatMap((c) => c.cpuRatios);
    const r = median(ratios);
    const side = (c: CaseResult): SideResult => mainSide(c.spec, c.median);
    const figure =
      cs.map((c) => `${f1(side(c).mbps)} MB/s vs pump ${f1(c.pumpMbps)} (${c.spec.id})`).join('; ') +
      `; median of ${ratios.length} paired ratios ${pct(r)} (${ratios.map(pct).join(', ')})` +
      (cpu.length > 0 ? `; per CPU-second ${pct(median(cpu))}` : '');
    targets.push({ name, goal, figure, met: r >= min });
  };
  pooled(['p1-a1-100b-16k', 'p1-a1-1k-16k'], 'produce, 1 partition, acks=1, 16 KiB batches', '≥ 60% of raw socket→file', 0.6);
  pooled(['fetch-p1-16k', 'fetch-p1-1m'], 'fetch of data already written (1 MiB fetches, 1 partition)', '≥ 70% of raw file→socket', 0.7);
  const small = results.filter((r) => r.spec.kind === 'produce' && r.spec.load.recordSize === 100);
  if (small.length > 0) {
    const best = small.reduce((a, b) => (a.median.produce!.recordsPerSec >= b.median.produce!.recordsPerSec ? a : b));
    const rps = best.median.produce!.recordsPerSec;
    targets.push({ name: '100-byte records in batches', goal: '≥ 2,000,000 records/s', figure: `${f0(rps)} records/s (${best.label})`, met: rps >= 2e6 });
  }
  if (ceiling) {
    targets.push({ name: 'kafkajs through Brook vs through the discard sink', goal: '≥ 95%', figure: `${f0(ceiling.brook.recordsPerSec)} / ${f0(ceiling.sink.recordsPerSec)} records/s = ${pct(ceiling.ratio)}`, met: ceiling.ratio >= 0.95 });
  }
  const half = latency.find((p) => p.fraction === 0.5);
  if (half) {
    targets.push({
      name: 'p99 produce latency at half of peak',
      goal: '≤ 2 ms',
      figure: `${f2(half.p99)} ms at ${f0(half.rate)} requests/s (discard sink at the same load: ${f2(half.sinkP99)} ms)`,
      met: half.p99 <= 2,
    });
  }

  const md: string[] = [];
  md.push(`# Brook benchmark${quick ? ' (quick)' : ''}`, '');
  md.push(`${started.toISOString()} — ${machine}.`, '');
  if (quick) md.push('Quick mode: a check that every tool runs and reports, with cold JIT and windows too short to measure anything; run `npm run bench` for figures.', '');
  md.push(`The broker under test runs in a separate process (${entry === 'dist' ? 'dist/cli.js' : 'src/cli.ts via tsx'}, ${memory ? 'memory' : 'disk'} storage, page cache, no fsync; ${quick ? 'one broker for all cases' : 'a fresh broker per run'}); the load generator (raw protocol, pre-encoded batches, ${DEFAULT_LOAD.connections} connections) runs in another. Figures are medians of ${rounds} run(s) of ${durationMs} ms. MB/s = 10^6 bytes of record batches per second. The raw pumps move the same bytes between two processes with the same buffer sizes and connection count.`, '');
  md.push('## Targets', '', '| target | goal | figure | met |', '|---|---|---|---|');
  for (const t of targets) md.push(`| ${t.name} | ${t.goal} | ${t.figure} | ${t.met ? 'yes' : 'NO'} |`);
  md.push('', '## Load generator', '', '| case | MB/s | records/s | requests/s | p50 ms | p99 ms | p99.9 ms | max ms | raw pump MB/s | ratio (paired median) | MB per CPU-s vs pump | broker CPU | loadgen CPU |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    for (const [side, s] of [['produce', r.median.produce], ['fetch', r.median.fetch]] as const) {
      if (s === undefined) continue;
      const judged = r.spec.pump !== null && mainSide(r.spec, r.median) === s;
      md.push(`| ${r.label}${r.spec.kind === 'mixed' ? ` (${side})` : ''} | ${f1(s.mbps)} | ${f0(s.recordsPerSec)} | ${f0(s.requestsPerSec)} | ${f2(s.latency.p50Ms)} | ${f2(s.latency.p99Ms)} | ${f2(s.latency.p999Ms)} | ${f2(s.latency.maxMs)} | ${judged ? f1(r.pumpMbps) : ''} | ${judged ? pct(r.ratio) : ''} | ${judged && r.cpuRatio !== null ? pct(r.cpuRatio) : ''} | ${r.median.brokerCpu === null ? '' : pct(r.median.brokerCpu)} | ${pct(r.median.clientCpu)} |`);
    }
  }
  if (latency.length > 0) {
    md.push('', '## Produce latency against offered load', '', `acks=1, 1 partition, 100 B records in 16 KiB batches, paced sends (latency from each request's send to its response, as Kafka's perf tools measure; achieved MB/s shows whether the offered load was carried).`, '');
    md.push('| load | requests/s | offered MB/s | carried MB/s | p50 ms | p99 ms | p99.9 ms | sink p50 ms | sink p99 ms |', '|---|---|---|---|---|---|---|---|---|');
    for (const p of latency) {
      md.push(`| ${pct(p.fraction)} of peak | ${f0(p.rate)} | ${f1(p.offeredMbps)} | ${f1(p.achievedMbps)}${p.achievedMbps < 0.9 * p.offeredMbps ? ' (not carried)' : ''} | ${f2(p.p50)} | ${f2(p.p99)} | ${f2(p.p999)} | ${f2(p.sinkP50)} | ${f2(p.sinkP99)} |`);
    }
  }
  if (ceiling) {
    md.push('', '## kafkajs ceiling', '', `producer-perf (kafkajs, 100 B records, acks=1, batch.size 16384, linger.ms 0) through Brook and through a discard-everything sink, each in its own process, alternated.`, '');
    md.push('| target | records/s (median) | runs | MB/s | avg ms | p99 ms |', '|---|---|---|---|---|---|');
    md.push(`| Brook | ${f0(ceiling.brook.recordsPerSec)} | ${ceiling.brookRuns.map(f0).join(', ')} | ${f2(ceiling.brook.mbPerSec)} | ${f2(ceiling.brook.avgLatencyMs)} | ${ceiling.brook.p99} |`);
    md.push(`| discard sink | ${f0(ceiling.sink.recordsPerSec)} | ${ceiling.sinkRuns.map(f0).join(', ')} | ${f2(ceiling.sink.mbPerSec)} | ${f2(ceiling.sink.avgLatencyMs)} | ${ceiling.sink.p99} |`);
  }
  md.push('', 'Charts: [throughput.svg](throughput.svg), [latency.svg](latency.svg).', '');
  const summary = md.join('\n');
  log('');
  log(summary);

  if (outDir !== null) {
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, 'summary.md'), summary);
    fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify({ started, machine, rounds, durationMs, results, pumps: Object.fromEntries(pumpRuns), latency, ceiling, targets }, null, 2) + '\n');
    const sizes = results.filter((r) => r.spec.kind === 'produce' && r.spec.load.acks === undefined && (r.spec.load.partitions ?? 1) === 1);
    const cat = (r: CaseResult): string => `${r.spec.load.recordSize === 1024 ? '1 KiB' : '100 B'} / ${r.spec.load.batchBytes === MiB ? '1 MiB' : '16 KiB'}`;
    fs.writeFileSync(
      path.join(outDir, 'throughput.svg'),
      lineChart({
        title: 'Produce throughput vs record and batch size (acks=1, 1 partition)',
        xLabel: 'record size / batch size',
        yLabel: 'MB/s',
        categories: sizes.map(cat),
        series: [
          { name: 'Brook produce', values: sizes.map((r) => r.median.produce!.mbps) },
          { name: 'raw socket→file', values: sizes.map((r) => r.pumpMbps), dashed: true },
          { name: 'Brook, M records/s ×100', values: sizes.map((r) => r.median.produce!.recordsPerSec / 1e4) },
        ],
      }),
    );
    fs.writeFileSync(
      path.join(outDir, 'latency.svg'),
      lineChart({
        title: 'Produce latency vs offered load (acks=1, 16 KiB batches)',
        xLabel: 'offered load, MB/s',
        yLabel: 'latency, ms',
        categories: latency.map((p) => f0(p.offeredMbps)),
        series: [
          { name: 'p50', values: latency.map((p) => p.p50) },
          { name: 'p99', values: latency.map((p) => p.p99) },
          { name: 'p99.9', values: latency.map((p) => p.p999) },
          { name: 'discard sink p99', values: latency.map((p) => p.sinkP99), dashed: true },
        ],
      }),
    );
    log(`written: ${path.relative(process.cwd(), outDir) || '.'}/summary.md, results.json, throughput.svg, latency.svg`);
  }
}

main().catch(async (err: unknown) => {
  console.error(err);
  await shared?.stop();
  process.exit(1);
});
