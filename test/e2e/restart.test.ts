/**
 * Durability across restarts, with real clients (kafkajs producing with acks=-1, kcat reading back):
 *   1. in-process broker on a data dir: produce, close() gracefully, start again on the same dir,
 *      every message is there, the log continues at the right offset, and the cluster id, topic id,
 *      partition count and topic config are unchanged;
 *   2. admin changes (DeleteRecords, DeleteTopics, CreatePartitions) are still in force after a restart;
 *   3. the `brook` CLI as a child process: SIGKILL it while three producers are sending, start again
 *      on the same dir: every acknowledged message is there, offsets are dense, ids unchanged.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Admin as PlatformaticAdmin } from '@platformatic/kafka';
import type { Broker } from '../../src/server/broker.js';
import { byPartition, kcatConsumeAll, killCliBroker, removeDir, startCliBroker, tempDir, testBroker, waitFor, type CliBroker } from './helpers.js';

const dirs: string[] = [];
const brokers: Broker[] = [];
const children: CliBroker[] = [];

afterAll(async () => {
  for (const b of brokers) await b.close().catch(() => {});
  for (const c of children) await killCliBroker(c);
  for (const d of dirs) removeDir(d);
});

function client(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'e2e-restart', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
}

/** Produces `count` messages (value `${prefix}-${i}`) in sends of 100, round-robin over 2 partitions. */
async function produce(producer: Producer, topic: string, prefix: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 100) {
    const messages = Array.from({ length: Math.min(100, count - start) }, (_, j) => {
      const i = start + j;
      return { key: `k-${i}`, value: `${prefix}-${i}`, partition: i % 2 };
    });
    await producer.send({ topic, acks: -1, messages });
  }
}

async function createTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '123456789' }] }],
    waitForLeaders: true,
  });
  await admin.disconnect();
}

/** What a client can see of a topic's identity: cluster id, topic id, partition count, its config. */
async function identity(bootstrap: string, topic: string): Promise<unknown> {
  const admin = new PlatformaticAdmin({ clientId: 'e2e-restart', bootstrapBrokers: [bootstrap] });
  try {
    const meta = await admin.metadata({ topics: [topic], forceUpdate: true });
    const configs = await admin.describeConfigs({
      resources: [{ resourceType: 2, resourceName: topic, configurationKeys: ['retention.ms'] }],
    });
    return {
      clusterId: meta.id,
      topicId: meta.topics.get(topic)!.id,
      partitions: meta.topics.get(topic)!.partitionsCount,
      retentionMs: configs[0]!.configs.find((c) => c.name === 'retention.ms')?.value,
    };
  } finally {
    await admin.close();
  }
}

function expectValues(messages: Array<{ partition: number; offset: number; payload: string | null }>, values: string[]): void {
  const parts = byPartition(messages);
  for (const p of [0, 1]) {
    const want = values.filter((_, i) => i % 2 === p);
    const got = parts.get(p) ?? [];
    expect(got.map((m) => m.offset), `partition ${p} offsets`).toEqual(want.map((_, n) => n));
    expect(got.map((m) => m.payload), `partition ${p} values`).toEqual(want);
  }
}

describe('restart', () => {
  it('keeps everything across a graceful close and restart on the same data dir', async () => {
    const dir = tempDir('graceful');
    dirs.push(dir);
    const topic = 'restart-graceful';
    const first = await testBroker({ dataDir: dir });
    brokers.push(first);
    const kafka1 = client(first.bootstrap);
    await createTopic(kafka1, topic);
    const producer = kafka1.producer();
    await producer.connect();
    await produce(producer, topic, 'a', 2000);
    await producer.disconnect();
    const seen = await identity(first.bootstrap, topic);
    expect(seen).toMatchObject({ partitions: 2, retentionMs: '123456789' });
    await first.close();

    const second = await testBroker({ dataDir: dir });
    brokers.push(second);
    expect(await identity(second.bootstrap, topic)).toEqual(seen);
    const before = Array.from({ length: 2000 }, (_, i) => `a-${i}`);
    expectValues(await kcatConsumeAll(second.bootstrap, topic), before);

    // The log continues after the recovered end.
    const producer2 = client(second.bootstrap).producer();
    await producer2.connect();
    await produce(producer2, topic, 'b', 200);
    await producer2.disconnect();
    const extra = Array.from({ length: 200 }, (_, i) => `b-${i}`);
    const got = byPartition(await kcatConsumeAll(second.bootstrap, topic));
    for (const p of [0, 1]) {
      const want = [...before.filter((_, i) => i % 2 === p), ...extra.filter((_, i) => i % 2 === p)];
      expect(got.get(p)?.map((m) => m.offset)).toEqual(want.map((_, n) => n));
      expect(got.get(p)?.map((m) => m.payload)).toEqual(want);
    }
    await second.close();
  });

  it('keeps admin changes across a restart: deleted records, deleted topics, added partitions', async () => {
    const dir = tempDir('admin');
    dirs.push(dir);
    const first = await testBroker({ dataDir: dir });
    brokers.push(first);
    const kafka1 = client(first.bootstrap);
    const admin1 = kafka1.admin();
    await admin1.connect();
    await admin1.createTopics({
      topics: ['trimmed', 'deleted', 'grown'].map((topic) => ({ topic, numPartitions: 1 })),
      waitForLeaders: true,
    });
    const producer = kafka1.producer();
    await producer.connect();
    await producer.send({ topic: 'trimmed', acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `t-${i}` })) });
    await producer.disconnect();
    await admin1.fetchTopicOffsets('trimmed'); // kafkajs finds the leader from its metadata cache
    await admin1.deleteTopicRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: '6' }] });
    await admin1.deleteTopics({ topics: ['deleted'] });
    await admin1.createPartitions({ topicPartitions: [{ topic: 'grown', count: 3 }] });
    await admin1.disconnect();
    await first.close();

    const second = await testBroker({ dataDir: dir });
    brokers.push(second);
    const admin2 = client(second.bootstrap).admin();
    await admin2.connect();
    try {
      expect((await admin2.listTopics()).sort()).toEqual(['grown', 'trimmed']);
      expect((await admin2.fetchTopicMetadata({ topics: ['grown'] })).topics[0]!.partitions).toHaveLength(3);
      expect(await admin2.fetchTopicOffsets('trimmed')).toEqual([{ partition: 0, offset: '10', high: '10', low: '6' }]);
      expect((await kcatConsumeAll(second.bootstrap, 'trimmed')).map((m) => m.payload)).toEqual(['t-6', 't-7', 't-8', 't-9']);
    } finally {
      await admin2.disconnect();
    }
    await second.close();
  });

  it('keeps every acknowledged message when the broker process is killed with SIGKILL', async () => {
    const dir = tempDir('sigkill');
    dirs.push(dir);
    const topic = 'restart-sigkill';
    const cli = await startCliBroker(['--data-dir', dir]);
    children.push(cli);
    const kafka = client(cli.bootstrap);
    await createTopic(kafka, topic);
    const seen = await identity(cli.bootstrap, topic);
    const producer = kafka.producer();
    await producer.connect();
    await produce(producer, topic, 'acked', 3000);

    // Keep producing (3 producers, batches of 20 over both partitions) while the kill lands; only what
    // was acknowledged must survive.
    const acked: string[] = Array.from({ length: 3000 }, (_, i) => `acked-${i}`);
    let attempted = 3000;
    let stop = false;
    const extra = await Promise.all([0, 1].map(async () => {
      const p = kafka.producer();
      await p.connect();
      return p;
    }));
    const loops = [producer, ...extra].map(async (p, n) => {
      for (let round = 0; !stop; round++) {
        const values = Array.from({ length: 20 }, (_, j) => `live-${n}-${round}-${j}`);
        attempted += values.length;
        try {
          await p.send({ topic, acks: -1, messages: values.map((value, j) => ({ value, partition: j % 2 })) });
        } catch {
          return; // the broker died under this send: not acknowledged
        }
        acked.push(...values);
      }
    });
    await new Promise((r) => setTimeout(r, 400));
    // A slow machine may not have had a live send acknowledged yet: the kill must land mid-traffic.
    await waitFor(() => acked.length > 3000, 30_000, 'a live send acknowledged before the kill');
    cli.proc.kill('SIGKILL');
    const exit = await cli.exited;
    expect(exit.signal).toBe('SIGKILL');
    stop = true;
    await Promise.all(loops);
    expect(acked.length, 'sends were acknowledged while the kill landed').toBeGreaterThan(3000);
    await Promise.all([producer, ...extra].map((p) => p.disconnect().catch(() => {})));

    const again = await startCliBroker(['--data-dir', dir]);
    children.push(again);
    expect(again.stderr()).toMatch(/did not shut down cleanly/);
    expect(await identity(again.bootstrap, topic)).toEqual(seen);
    const messages = await kcatConsumeAll(again.bootstrap, topic);
    const present = new Set(messages.map((m) => m.payload));
    const missing = acked.filter((v) => !present.has(v));
    expect(missing, 'acknowledged messages missing after SIGKILL').toEqual([]);
    // Nothing beyond what was sent, and offsets are dense per partition.
    for (const [, list] of byPartition(messages)) expect(list.map((m) => m.offset)).toEqual(list.map((_, n) => n));
    expect(messages.length).toBeLessThanOrEqual(attempted);
    again.proc.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
  });
});
