/**
 * Consumer groups end to end: kafkajs, kcat (-G, librdkafka's balanced consumer) and
 * @platformatic/kafka each consume a topic through a group, commit, and a later member of the same
 * group resumes from the committed offsets. The broker refuses topic auto-creation: the group
 * coordinator must still create __consumer_offsets itself, as Kafka's does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { Consumer, stringDeserializers } from '@platformatic/kafka';
import type { Broker } from '../../src/server/broker.js';
import { kcat, removeDir, tempDir, testBroker } from './helpers.js';

const TOPIC = 'e2e-groups';
const PARTITIONS = 4;

let broker: Broker | undefined;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let produced = 0;

async function produce(n: number): Promise<void> {
  const messages = Array.from({ length: n }, (_, j) => ({ key: `k-${produced + j}`, value: `v-${produced + j}` }));
  await producer.send({ topic: TOPIC, acks: -1, messages });
  produced += n;
}

/** Committed offset per partition for `groupId`, as kafkajs's admin reads it (OffsetFetch). */
async function committed(groupId: string): Promise<number[]> {
  const [topic] = await admin.fetchOffsets({ groupId, topics: [TOPIC] });
  return topic!.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
}

async function ends(): Promise<number[]> {
  return (await admin.fetchTopicOffsets(TOPIC)).sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
}

/** Runs a kafkajs group member until it has seen `count` messages, then leaves (committing). */
async function kafkajsConsume(groupId: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId, heartbeatInterval: 500, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  const seen: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kafkajs saw ${seen.length}/${count} messages`)), 30_000);
    consumer
      .run({
        eachMessage: async ({ message }) => {
          seen.push(message.value!.toString());
          if (seen.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return seen;
}

describe('consumer groups', () => {
  beforeAll(async () => {
    broker = await testBroker({ config: { 'group.initial.rebalance.delay.ms': 0, 'auto.create.topics.enable': false } });
    kafka = new Kafka({ clientId: 'e2e-groups', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }], waitForLeaders: true });
    producer = kafka.producer();
    await producer.connect();
    await produce(2000);
  });

  afterAll(async () => {
    await producer?.disconnect().catch(() => {});
    await admin?.disconnect().catch(() => {});
    await broker?.close();
  });

  it('kafkajs: a group reads everything once, commits, and a new member resumes after the commit', async () => {
    const first = await kafkajsConsume('g-kafkajs', produced);
    expect(new Set(first).size).toBe(produced);
    expect(await committed('g-kafkajs')).toEqual(await ends());

    await produce(100);
    const second = await kafkajsConsume('g-kafkajs', 100);
    expect(second.sort()).toEqual(Array.from({ length: 100 }, (_, i) => `v-${produced - 100 + i}`).sort());
    expect(await committed('g-kafkajs')).toEqual(await ends());
  });

  it('kcat -G: the balanced consumer reads everything, commits on close, and resumes', async () => {
    const args = ['-b', broker!.bootstrap, '-G', 'g-kcat', '-X', 'auto.offset.reset=earliest', '-e', '-q', '-f', '%s\\n', TOPIC];
    const first = (await kcat(args)).stdout.split('\n').filter((l) => l !== '');
    expect(new Set(first).size).toBe(produced);
    expect(first.length).toBe(produced);
    expect(await committed('g-kcat')).toEqual(await ends());

    await produce(50);
    const second = (await kcat(args)).stdout.split('\n').filter((l) => l !== '');
    expect(second.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `v-${produced - 50 + i}`).sort());
  });

  it('@platformatic/kafka: a group consumes from the committed position (earliest when none) and commits', async () => {
    const consumer = new Consumer({
      clientId: 'e2e-groups-platformatic',
      bootstrapBrokers: [broker!.bootstrap],
      groupId: 'g-platformatic',
      deserializers: stringDeserializers,
      heartbeatInterval: 500,
      maxWaitTime: 200,
    });
    try {
      const stream = await consumer.consume({ topics: [TOPIC], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
      const seen = new Set<string>();
      for await (const message of stream) {
        seen.add(message.value);
        await message.commit();
        if (seen.size === produced) break;
      }
      await stream.close();
      expect(seen.size).toBe(produced);
    } finally {
      await consumer.close();
    }
    expect(await committed('g-platformatic')).toEqual(await ends());
  });

  it('committed offsets survive a broker restart (they live in __consumer_offsets on disk)', async () => {
    const dir = tempDir('groups');
    try {
      const first = await testBroker({ dataDir: dir, config: { 'group.initial.rebalance.delay.ms': 0 } });
      const k1 = new Kafka({ clientId: 'e2e-groups-disk', brokers: [first.bootstrap], logLevel: logLevel.NOTHING });
      const a1 = k1.admin();
      await a1.connect();
      await a1.createTopics({ topics: [{ topic: 'disk', numPartitions: 2 }], waitForLeaders: true });
      const p1 = k1.producer();
      await p1.connect();
      await p1.send({ topic: 'disk', messages: Array.from({ length: 10 }, (_, i) => ({ value: `d-${i}`, partition: i % 2 })) });
      await p1.disconnect();
      const c1 = k1.consumer({ groupId: 'g-disk', maxWaitTimeInMs: 200 });
      await c1.connect();
      await c1.subscribe({ topic: 'disk', fromBeginning: true });
      let seen = 0;
      await new Promise<void>((resolve) => void c1.run({ eachMessage: async () => void (++seen === 10 && resolve()) }));
      await c1.disconnect();
      const before = await a1.fetchOffsets({ groupId: 'g-disk', topics: ['disk'] });
      await a1.disconnect();
      await first.close();

      const second = await testBroker({ dataDir: dir });
      try {
        const a2 = new Kafka({ brokers: [second.bootstrap], logLevel: logLevel.NOTHING }).admin();
        await a2.connect();
        const after = await a2.fetchOffsets({ groupId: 'g-disk', topics: ['disk'] });
        await a2.disconnect();
        expect(after).toEqual(before);
        expect(after[0]!.partitions.map((p) => p.offset).sort()).toEqual(['5', '5']);
      } finally {
        await second.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});
