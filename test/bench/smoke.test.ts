/**
 * Smoke test of the bench tools in quick mode against an in-process broker: output formats of
 * producer-perf / consumer-perf (as Kafka's tools print them) and of the load generator, and that the
 * records arrived. No timing assertions: speed is measured by `npm run bench`, not here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../../src/index.js';
import { runProducerPerf } from '../../bench/producer-perf.js';
import { HEADER, runConsumerPerf, type ConsumerPerfOptions } from '../../bench/consumer-perf.js';
import { describeSide, runLoad, DEFAULT_LOAD } from '../../bench/load-gen.js';
import { apiVersions, endOffsets } from '../../bench/lib/admin.js';
import { WireConnection } from '../../bench/lib/wire.js';

let broker: Broker;

beforeAll(async () => {
  broker = await startBroker({ port: 0, memory: true });
});
afterAll(async () => {
  await broker?.close();
});

const num = String.raw`\d+(?:\.\d+)?`;

async function logEnd(topic: string, partitions: number): Promise<number[]> {
  const conn = await WireConnection.connect('127.0.0.1', broker.port);
  try {
    return await endOffsets(conn, await apiVersions(conn), topic, partitions);
  } finally {
    conn.close();
  }
}

function consumerOptions(topic: string, group: string | null, lines: string[]): ConsumerPerfOptions {
  return {
    bootstrap: `127.0.0.1:${broker.port}`,
    topic,
    messages: 2000,
    group,
    fetchSize: 1024 * 1024,
    fromLatest: false,
    timeoutMs: 10_000,
    reportingIntervalMs: 5000,
    showDetailedStats: false,
    hideHeader: false,
    dateFormat: 'yyyy-MM-dd HH:mm:ss:SSS',
    clientId: 'perf-consumer-client',
    print: (l) => lines.push(l),
  };
}

describe('bench tools (quick)', () => {
  it('producer-perf prints Kafka’s final line and the records arrive; consumer-perf reads them back', async () => {
    const lines: string[] = [];
    const summary = await runProducerPerf({
      topic: 'smoke-perf',
      numRecords: 2000,
      recordSize: 100,
      throughput: -1,
      props: new Map([['bootstrap.servers', `127.0.0.1:${broker.port}`], ['acks', '1'], ['linger.ms', '0']]),
      reportingIntervalMs: 1,
      print: (l) => lines.push(l),
    });
    expect(summary.records).toBe(2000);
    const final = lines.at(-1)!;
    expect(final).toMatch(
      new RegExp(
        `^2000 records sent, ${num} records/sec \\(${num} MB/sec\\), ${num} ms avg latency, ${num} ms max latency, ` +
          `\\d+ ms 50th, \\d+ ms 95th, \\d+ ms 99th, \\d+ ms 99\\.9th\\.$`,
      ),
    );
    for (const l of lines.slice(0, -1)) {
      expect(l).toMatch(new RegExp(`^\\d+ records sent, ${num} records/sec \\(${num} MB/sec\\), ${num} ms avg latency, ${num} ms max latency\\.$`));
    }
    const [end] = await logEnd('smoke-perf', 1);
    expect(end).toBe(2000);

    for (const group of ['smoke-group', null]) {
      const out: string[] = [];
      const s = await runConsumerPerf(consumerOptions('smoke-perf', group, out));
      expect(s.messages).toBe(2000);
      expect(out[0]).toBe(HEADER);
      const date = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3}`;
      expect(out[1]).toMatch(new RegExp(`^${date}, ${date}, 0\\.1907, ${num}, 2000, ${num}, \\d+, -?\\d+, -?${num}|NaN|Infinity`));
      expect(out[1]!.split(', ')).toHaveLength(10);
      expect(out[1]!.split(', ')[2]).toBe((200_000 / (1024 * 1024)).toFixed(4)); // 2000 × 100 B
    }
  });

  it('the load generator produces (acks 1 and 0) and fetches, and reports throughput and latency', async () => {
    const base = { ...DEFAULT_LOAD, bootstrap: `127.0.0.1:${broker.port}`, durationMs: 200, warmupMs: 50, connections: 2, depth: 4, prefillBytes: 1 << 20 };
    const produce = await runLoad({ ...base, mode: 'produce', acks: 1, partitions: 2, topic: 'smoke-load' });
    expect(produce.produce!.errors).toBe(0);
    expect(produce.produce!.records).toBeGreaterThan(0);
    expect(produce.produce!.latency.count).toBe(Math.round(produce.produce!.requestsPerSec * produce.produce!.seconds));
    const ends = await logEnd('smoke-load', 2);
    expect(ends[0]! + ends[1]!).toBeGreaterThanOrEqual(produce.produce!.records);
    expect(describeSide('produce', produce.produce!)).toMatch(/^produce: [\d,.]+ MB\/s, [\d,]+ records\/s, [\d,]+ requests\/s; latency ms avg [\d.]+ p50 [\d.]+ p95 [\d.]+ p99 [\d.]+ p99\.9 [\d.]+ max [\d.]+$/);

    const noAcks = await runLoad({ ...base, mode: 'produce', acks: 0, topic: 'smoke-acks0' });
    expect(noAcks.produce!.records).toBeGreaterThan(0);
    const [end0] = await logEnd('smoke-acks0', 1);
    expect(end0).toBeGreaterThanOrEqual(noAcks.produce!.records); // the barrier waited for them all

    const fetch = await runLoad({ ...base, mode: 'mixed', acks: 1, topic: 'smoke-mixed' });
    expect(fetch.fetch!.errors).toBe(0);
    expect(fetch.fetch!.records).toBeGreaterThan(0);
    expect(fetch.produce!.records).toBeGreaterThan(0);
  });
});
