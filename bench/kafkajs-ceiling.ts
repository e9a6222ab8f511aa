/**
 * The kafkajs ceiling: the same kafkajs producer run (producer-perf) through Brook and through a
 * discard-everything sink that answers Produce without storing, each in its own process, alternated
 * in the same run. The ratio shows whether Brook is ever the bottleneck for a real client.
 *
 *   node --import tsx bench/kafkajs-ceiling.ts [--num-records 300000] [--record-size 100] [--rounds 3] [--acks 1] [--quick]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Args } from './lib/args.js';
import { ROOT, spawnBroker, spawnReady } from './lib/processes.js';
import { runProducerPerf } from './producer-perf.js';
import type { ProducerPerfSummary } from './lib/perf-stats.js';

export interface CeilingOptions {
  numRecords: number;
  recordSize: number;
  rounds: number;
  acks: string;
  print?: (line: string) => void;
}

export interface CeilingResult {
  brook: ProducerPerfSummary;
  sink: ProducerPerfSummary;
  /** Brook's median records/s over the sink's. */
  ratio: number;
  brookRuns: number[];
  sinkRuns: number[];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runCeiling(o: CeilingOptions): Promise<CeilingResult> {
  const print = o.print ?? ((l: string) => console.log(l));
  const sink = await spawnReady(path.join(ROOT, 'bench', 'lib', 'discard-sink.ts'), [], /sink ready bootstrap=(\S+)/);
  const brook = await spawnBroker({});
  print(`kafkajs ceiling: Brook (pid ${brook.pid}, disk) and the discard sink (pid ${sink.pid}) each run in their own process; kafkajs runs in this one`);
  const runs: Record<'brook' | 'sink', ProducerPerfSummary[]> = { brook: [], sink: [] };
  try {
    // One unmeasured round each first: kafkajs and this process's JIT warm up, both servers too.
    for (const target of [sink, brook]) {
      await runProducerPerf({
        topic: 'ceiling-warmup',
        numRecords: Math.min(o.numRecords, 50_000),
        recordSize: o.recordSize,
        throughput: -1,
        props: new Map([['bootstrap.servers', target.bootstrap], ['acks', o.acks], ['linger.ms', '0']]),
        print: () => {},
      });
    }
    for (let round = 0; round < o.rounds; round++) {
      for (const [name, target] of [['sink', sink], ['brook', brook]] as const) {
        const summary = await runProducerPerf({
          topic: `ceiling-${round}`,
          numRecords: o.numRecords,
          recordSize: o.recordSize,
          throughput: -1,
          props: new Map([['bootstrap.servers', target.bootstrap], ['acks', o.acks], ['linger.ms', '0']]),
          print: (l) => print(`  [${name} round ${round + 1}] ${l}`),
        });
        runs[name].push(summary);
      }
    }
  } finally {
    await Promise.all([sink.stop(), brook.stop()]);
  }
  const pick = (xs: ProducerPerfSummary[]): ProducerPerfSummary => {
    const m = median(xs.map((x) => x.recordsPerSec));
    return xs.find((x) => x.recordsPerSec === m)!;
  };
  const b = pick(runs.brook);
  const s = pick(runs.sink);
  return { brook: b, sink: s, ratio: b.recordsPerSec / s.recordsPerSec, brookRuns: runs.brook.map((x) => x.recordsPerSec), sinkRuns: runs.sink.map((x) => x.recordsPerSec) };
}

async function main(): Promise<void> {
  const args = new Args(process.argv.slice(2));
  const quick = args.has('quick');
  const r = await runCeiling({
    numRecords: args.number('num-records', quick ? 20_000 : 300_000),
    recordSize: args.number('record-size', 100),
    rounds: args.number('rounds', quick ? 1 : 3),
    acks: args.string('acks', '1'),
  });
  console.log(
    `kafkajs producer, median records/s: Brook ${r.brook.recordsPerSec.toFixed(0)}, discard sink ${r.sink.recordsPerSec.toFixed(0)}: ` +
      `Brook at ${(100 * r.ratio).toFixed(1)}% of the sink`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
