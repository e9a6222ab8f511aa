/**
 * kafkajs transactions against Brook: commit and abort across 3 partitions with sendOffsets; a
 * read_committed consumer (readUncommitted: false) sees exactly the committed records (the aborted
 * ones are in the log: a read_uncommitted kcat sees them), the group's offsets move only on commit,
 * an open transaction holds read_committed readers at the last stable offset, and a second producer
 * with the same transactional id fences the first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import type { Broker } from '../../src/server/broker.js';
import { kcat, testBroker } from './helpers.js';

const OUT = 'tx-out';
const IN = 'tx-in';
const GROUP = 'tx-app';
let broker: Broker;
let kafka: Kafka;
let admin: Admin;
const producers: Producer[] = [];

beforeAll(async () => {
  broker = await testBroker();
  kafka = new Kafka({ clientId: 'e2e-txn', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 50 } });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: OUT, numPartitions: 3 }, { topic: IN, numPartitions: 1 }] });
});

afterAll(async () => {
  for (const p of producers) await p.disconnect().catch(() => {});
  await admin?.disconnect().catch(() => {});
  await broker?.close();
});

function txProducer(transactionalId: string): Producer {
  const p = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  producers.push(p);
  return p;
}

function messages(tag: string) {
  return [0, 1, 2].flatMap((partition) => [0, 1, 2].map((i) => ({ partition, key: `${tag}-${partition}-${i}`, value: `${tag}-${partition}-${i}` })));
}

async function groupOffset(): Promise<string> {
  const [t] = await admin.fetchOffsets({ groupId: GROUP, topics: [IN] });
  return t!.partitions[0]!.offset;
}

/** Values a read_committed kafkajs consumer sees across OUT until `count` arrived (plus a short grace). */
async function readCommitted(groupId: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: OUT, fromBeginning: true });
  const seen: string[] = [];
  let done!: () => void;
  const enough = new Promise<void>((r) => (done = r));
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push(message.value!.toString());
      if (seen.length >= count) done();
    },
  });
  await Promise.race([enough, new Promise((r) => setTimeout(r, 20_000))]);
  await new Promise((r) => setTimeout(r, 500));
  await consumer.disconnect();
  return seen;
}

describe('transactions (kafkajs)', () => {
  it('commit and abort across 3 partitions with sendOffsets: only commits are visible, offsets move on commit', async () => {
    const producer = txProducer('tx-app-1');
    await producer.connect();

    const t1 = await producer.transaction();
    await t1.send({ topic: OUT, messages: messages('c1') });
    await t1.sendOffsets({ consumerGroupId: GROUP, topics: [{ topic: IN, partitions: [{ partition: 0, offset: '10' }] }] });
    expect(await groupOffset()).toBe('-1'); // staged, not committed
    await t1.commit();
    expect(await groupOffset()).toBe('10');

    const t2 = await producer.transaction();
    await t2.send({ topic: OUT, messages: messages('aborted') });
    await t2.sendOffsets({ consumerGroupId: GROUP, topics: [{ topic: IN, partitions: [{ partition: 0, offset: '20' }] }] });
    await t2.abort();
    expect(await groupOffset()).toBe('10');

    const t3 = await producer.transaction();
    await t3.send({ topic: OUT, messages: messages('c3') });
    await t3.sendOffsets({ consumerGroupId: GROUP, topics: [{ topic: IN, partitions: [{ partition: 0, offset: '30' }] }] });
    await t3.commit();
    expect(await groupOffset()).toBe('30');

    const seen = await readCommitted('reader-1', 18);
    const expected = [...messages('c1'), ...messages('c3')].map((m) => m.value);
    expect([...seen].sort()).toEqual([...expected].sort());

    // The aborted records are in the log: a read_uncommitted reader sees them.
    const { stdout } = await kcat(['-b', broker.bootstrap, '-C', '-t', OUT, '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_uncommitted', '-f', '%s\n']);
    expect(stdout.split('\n').filter((l) => l.startsWith('aborted'))).toHaveLength(9);
  });

  it('an open transaction holds read_committed readers at the last stable offset', async () => {
    const producer = txProducer('tx-open');
    await producer.connect();
    const t = await producer.transaction();
    await t.send({ topic: OUT, messages: [{ partition: 1, value: 'pending' }] });
    const readCommittedNow = await kcat(['-b', broker.bootstrap, '-C', '-t', OUT, '-p', '1', '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_committed', '-f', '%s\n']);
    expect(readCommittedNow.stdout).not.toContain('pending');
    // kafkajs asks ListOffsets with read_committed: the end it sees is the last stable offset, before the
    // open transaction (3 transactions of 3 records + a marker each).
    const offsets = await admin.fetchTopicOffsets(OUT);
    expect(offsets.find((o) => o.partition === 1)!.high).toBe('12');
    await t.commit();
    const after = await kcat(['-b', broker.bootstrap, '-C', '-t', OUT, '-p', '1', '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_committed', '-f', '%s\n']);
    expect(after.stdout).toContain('pending');
  });

  it('a second producer with the same transactional id fences the first', async () => {
    const first = txProducer('tx-fence');
    await first.connect();
    const t = await first.transaction();
    await t.send({ topic: OUT, messages: [{ partition: 2, value: 'zombie' }] });

    const second = txProducer('tx-fence');
    await second.connect();
    const t2 = await second.transaction(); // InitProducerId: aborts the open transaction, bumps the epoch
    await expect(t.commit()).rejects.toMatchObject({ type: expect.stringMatching(/INVALID_PRODUCER_EPOCH|PRODUCER_FENCED/) });

    await t2.send({ topic: OUT, messages: [{ partition: 2, value: 'successor' }] });
    await t2.commit();
    const { stdout } = await kcat(['-b', broker.bootstrap, '-C', '-t', OUT, '-p', '2', '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_committed', '-f', '%s\n']);
    expect(stdout).toContain('successor');
    expect(stdout).not.toContain('zombie');
  });
});
