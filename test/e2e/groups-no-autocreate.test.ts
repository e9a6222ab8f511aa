/**
 * Consumer groups on a broker that refuses topic auto-creation (auto.create.topics.enable=false): the
 * group coordinator must still create __consumer_offsets itself, as Kafka's does (regression: it used
 * the auto-creation rule, and every SyncGroup failed with COORDINATOR_NOT_AVAILABLE). kafkajs and kcat
 * (-G) consume through a group, commit, and a later member resumes from the commits. The wider group
 * behaviour has its own files (groups-*.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import type { Broker } from '../../src/server/broker.js';
import { kcat, testBroker } from './helpers.js';

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

describe('consumer groups without topic auto-creation', () => {
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
});
