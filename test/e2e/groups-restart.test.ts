/**
 * Committed offsets survive broker restarts. The `brook` CLI runs as a child process on a data dir and a
 * fixed port; a kafkajs group member keeps running while the broker is stopped gracefully (SIGTERM)
 * and later killed (SIGKILL) and started again: each time it resumes exactly after its last commit
 * (no message lost, none repeated). kcat -G (librdkafka) resumes from its commits after a SIGKILL too.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { kcat, killCliBroker, removeDir, startCliBroker, tempDir, waitFor, type CliBroker } from './helpers.js';

const TOPIC = 'groups-restart';
let dir: string;
let port: number;
let broker: CliBroker | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function start(): Promise<CliBroker> {
  broker = await startCliBroker(['--port', String(port), '--data-dir', dir, '--override', 'group.min.session.timeout.ms=500', '--override', 'offsets.topic.num.partitions=5']);
  return broker;
}

async function stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const b = broker!;
  b.proc.kill(signal);
  const exit = await b.exited;
  if (signal === 'SIGTERM') expect(exit.code).toBe(0);
  broker = undefined;
}

function client(): Kafka {
  return new Kafka({ clientId: 'groups-restart', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 500 } });
}

async function produce(kafka: Kafka, from: number, count: number): Promise<void> {
  const producer: Producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: count }, (_, i) => ({ value: `${from + i}` })) });
  await producer.disconnect();
}

async function committedEqualsEnd(admin: Admin, groupId: string): Promise<boolean> {
  const [c] = await admin.fetchOffsets({ groupId, topics: [TOPIC] });
  const ends = await admin.fetchTopicOffsets(TOPIC);
  return ends.every((e) => c!.partitions.find((p) => p.partition === e.partition)?.offset === e.high);
}

beforeAll(async () => {
  dir = tempDir('groups-restart');
  port = await freePort();
  await start();
});

afterAll(async () => {
  await killCliBroker(broker);
  removeDir(dir);
});

describe('consumer groups across broker restarts', () => {
  it('kafkajs: a running member resumes from its commits after a graceful restart and after SIGKILL', async () => {
    const kafka = client();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
    await admin.disconnect();
    await produce(kafka, 0, 500);

    const seen: number[] = [];
    const consumer = kafka.consumer({ groupId: 'g-restart', sessionTimeout: 5000, heartbeatInterval: 200, maxWaitTimeInMs: 100, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 500 } });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(Number(message.value!.toString())) });
    await waitFor(() => seen.length === 500, 20_000, 'the first 500 messages');

    let next = 500;
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const check = client().admin();
      await check.connect();
      await waitFor(() => committedEqualsEnd(check, 'g-restart'), 10_000, 'commits of everything consumed');
      const before = (await check.fetchOffsets({ groupId: 'g-restart', topics: [TOPIC] }))[0]!.partitions;
      await check.disconnect();

      await stop(signal);
      await start();

      const after = client().admin();
      await after.connect();
      expect((await after.fetchOffsets({ groupId: 'g-restart', topics: [TOPIC] }))[0]!.partitions).toEqual(before);
      await after.disconnect();

      await produce(client(), next, 100);
      next += 100;
      await waitFor(() => seen.length >= next, 30_000, `messages after the ${signal} restart`);
      await new Promise((r) => setTimeout(r, 300));
      expect(seen.length).toBe(next); // nothing re-delivered
      expect(new Set(seen).size).toBe(next);
    }
    await consumer.disconnect();
  }, 120_000);

  it('kcat -G: resumes from its committed offsets after SIGKILL', async () => {
    const bootstrap = `127.0.0.1:${port}`;
    const args = ['-b', bootstrap, '-G', 'g-kcat-restart', '-X', 'auto.offset.reset=earliest', '-e', '-q', '-f', '%s\\n', TOPIC];
    const first = (await kcat(args)).stdout.split('\n').filter((l) => l !== '');
    const total = first.length;
    expect(total).toBeGreaterThanOrEqual(700);
    expect(new Set(first).size).toBe(total);

    await stop('SIGKILL');
    await start();
    await produce(client(), 10_000, 50);
    const second = (await kcat(args)).stdout.split('\n').filter((l) => l !== '');
    expect(second.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `${10_000 + i}`).sort());
  }, 60_000);
});
