/**
 * Transaction commit latency: one transactional producer (raw protocol, no client overhead) runs
 * transactions over `--partitions` partitions (default 10): AddPartitionsToTxn, one Produce with a
 * transactional batch per partition, EndTxn(commit). Reports the EndTxn latency (the commit: state
 * record, a marker per partition, completion record) and the whole transaction's, as percentiles.
 *
 *   node --import tsx bench/txn-commit.ts [--bootstrap host:port] [--partitions 10] [--transactions 300]
 *       [--records 10] [--memory]
 */
import { fileURLToPath } from 'node:url';
import { apiVersions, ensureTopic } from './lib/admin.js';
import { Args } from './lib/args.js';
import { spawnBroker } from './lib/processes.js';
import { WireConnection, parseBootstrap } from './lib/wire.js';
import { api as produceApi } from '../src/protocol/messages/00-produce.js';
import { api as initProducerIdApi } from '../src/protocol/messages/22-init-producer-id.js';
import { api as addPartitionsApi } from '../src/protocol/messages/24-add-partitions-to-txn.js';
import { api as endTxnApi } from '../src/protocol/messages/26-end-txn.js';
import { encodeRecordBatch } from '../src/protocol/records/records.js';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `avg ${mean.toFixed(2)} p50 ${percentile(s, 50).toFixed(2)} p95 ${percentile(s, 95).toFixed(2)} p99 ${percentile(s, 99).toFixed(2)} max ${s[s.length - 1]!.toFixed(2)} ms`;
}

async function run(bootstrap: string, partitions: number, transactions: number, records: number): Promise<void> {
  const { host, port } = parseBootstrap(bootstrap);
  const conn = await WireConnection.connect(host, port, 'brook-txn-bench');
  try {
    const versions = await apiVersions(conn);
    const topic = `brook-txn-${Date.now().toString(36)}`;
    await ensureTopic(conn, versions, topic, partitions);
    const transactionalId = `txn-bench-${topic}`;
    const init = await conn.request(initProducerIdApi, 4, { transactionalId, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });
    if (init.errorCode !== 0) throw new Error(`InitProducerId: error ${init.errorCode}`);
    const pid = init.producerId;
    const epoch = init.producerEpoch;
    const all = Array.from({ length: partitions }, (_, i) => i);
    const seq = new Array<number>(partitions).fill(0);
    const value = Buffer.alloc(100, 7);
    const commitMs: number[] = [];
    const txnMs: number[] = [];
    for (let t = 0; t < transactions; t++) {
      const t0 = performance.now();
      const add = await conn.request(addPartitionsApi, 3, {
        transactions: [],
        v3AndBelowTransactionalId: transactionalId,
        v3AndBelowProducerId: pid,
        v3AndBelowProducerEpoch: epoch,
        v3AndBelowTopics: [{ name: topic, partitions: all }],
      });
      const addErr = add.resultsByTopicV3AndBelow.flatMap((r) => r.resultsByPartition).find((p) => p.partitionErrorCode !== 0);
      if (addErr !== undefined) throw new Error(`AddPartitionsToTxn: error ${addErr.partitionErrorCode}`);
      const partitionData = all.map((p) => {
        const batch = encodeRecordBatch({
          producerId: Number(pid),
          producerEpoch: epoch,
          baseSequence: seq[p]!,
          isTransactional: true,
          records: Array.from({ length: records }, () => ({ key: null, value, timestamp: Date.now() })),
        });
        seq[p]! += records;
        return { index: p, records: batch };
      });
      const produced = await conn.request(produceApi, 9, { transactionalId, acks: -1, timeoutMs: 30_000, topicData: [{ name: topic, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitionData }] });
      const perr = produced.responses.flatMap((r) => r.partitionResponses).find((p) => p.errorCode !== 0);
      if (perr !== undefined) throw new Error(`Produce: error ${perr.errorCode} ${perr.errorMessage ?? ''}`);
      const c0 = performance.now();
      const end = await conn.request(endTxnApi, 3, { transactionalId, producerId: pid, producerEpoch: epoch, committed: true });
      const c1 = performance.now();
      if (end.errorCode !== 0) throw new Error(`EndTxn: error ${end.errorCode}`);
      commitMs.push(c1 - c0);
      txnMs.push(c1 - t0);
    }
    console.log(`transactions=${transactions} partitions=${partitions} records/partition=${records}`);
    console.log(`  commit (EndTxn):  ${summary(commitMs)}`);
    console.log(`  whole transaction: ${summary(txnMs)}`);
  } finally {
    conn.close();
  }
}

async function main(): Promise<void> {
  const args = new Args(process.argv.slice(2));
  let bootstrap = args.string('bootstrap');
  const broker = bootstrap === undefined ? await spawnBroker({ memory: args.has('memory') }) : null;
  bootstrap ??= broker!.bootstrap;
  try {
    await run(bootstrap, args.number('partitions', 10), args.number('transactions', 300), args.number('records', 10));
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
