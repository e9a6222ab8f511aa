/**
 * Consumer groups with kafkajs (classic protocol): three members over six partitions get two each and
 * consume 60,000 messages exactly once; a member that stops hands its partitions to the others and
 * nothing is lost; eachBatch with manual commits; seek; pause/resume.
 * Timeouts are short (broker group.min.session.timeout.ms lowered) to keep the file fast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin, type Consumer, type ConsumerConfig, type EachMessagePayload, type Producer } from 'kafkajs';
import type { Broker } from '../../src/server/broker.js';
import { testBroker, waitFor } from './helpers.js';

const TOPIC = 'groups-kafkajs';
const PARTITIONS = 6;

let broker: Broker;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;

const CONSUMER: Partial<ConsumerConfig> = { sessionTimeout: 3000, rebalanceTimeout: 5000, heartbeatInterval: 100, maxWaitTimeInMs: 100 };

async function produce(topic: string, from: number, count: number, batch = 2000): Promise<void> {
  for (let i = from; i < from + count; i += batch) {
    const n = Math.min(batch, from + count - i);
    await producer.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, j) => ({ key: `k${i + j}`, value: `${i + j}` })) });
  }
}

interface Member {
  consumer: Consumer;
  /** Partitions of the latest assignment. */
  assigned: number[];
  generation: number;
  joins: number;
}

function member(groupId: string, config: Partial<ConsumerConfig> = CONSUMER): Member {
  const consumer = kafka.consumer({ groupId, ...config });
  const m: Member = { consumer, assigned: [], generation: -1, joins: 0 };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    m.assigned = [...(e.payload.memberAssignment[TOPIC] ?? [])].sort((a, b) => a - b);
    m.joins++;
  });
  return m;
}

async function runAll(members: Member[], seen: Map<string, number>): Promise<void> {
  for (const m of members) {
    await m.consumer.connect();
    await m.consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await m.consumer.run({
      eachMessage: async ({ message }: EachMessagePayload) => {
        const v = message.value!.toString();
        seen.set(v, (seen.get(v) ?? 0) + 1);
      },
    });
  }
}

function duplicates(seen: Map<string, number>): number {
  let d = 0;
  for (const n of seen.values()) if (n > 1) d += n - 1;
  return d;
}

beforeAll(async () => {
  broker = await testBroker({ config: { 'group.min.session.timeout.ms': 500 } });
  kafka = new Kafka({ clientId: 'groups-kafkajs', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect().catch(() => {});
  await admin?.disconnect().catch(() => {});
  await broker?.close();
});

describe('kafkajs consumer groups', () => {
  it('3 members × 6 partitions: 2 each, 60,000 messages exactly once; a stopped member hands over its partitions', async () => {
    const seen = new Map<string, number>();
    const members = [member('g-three'), member('g-three'), member('g-three')];
    await runAll(members, seen);
    await waitFor(() => members.every((m) => m.assigned.length === 2), 20_000, 'a balanced assignment');
    const owned = members.flatMap((m) => m.assigned).sort((a, b) => a - b);
    expect(owned).toEqual([0, 1, 2, 3, 4, 5]);

    await produce(TOPIC, 0, 60_000);
    await waitFor(() => seen.size === 60_000, 60_000, '60,000 messages');
    expect(duplicates(seen)).toBe(0);

    // Everything consumed is committed (kafkajs commits after each batch).
    await waitFor(async () => {
      const [c] = await admin.fetchOffsets({ groupId: 'g-three', topics: [TOPIC] });
      const ends = await admin.fetchTopicOffsets(TOPIC);
      return ends.every((e) => c!.partitions.find((p) => p.partition === e.partition)?.offset === e.high);
    }, 10_000, 'commits of all 60,000');

    // Stop one member (clean: LeaveGroup); the other two take over its partitions at once.
    const [gone, ...rest] = members;
    const joinsBefore = rest.map((m) => m.joins);
    const t0 = performance.now();
    await gone!.consumer.disconnect();
    await waitFor(() => rest.every((m, i) => m.joins > joinsBefore[i]! && m.assigned.length === 3), 10_000, 'the rebalance after a leave');
    const rebalanceMs = performance.now() - t0;
    expect(rest.flatMap((m) => m.assigned).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rebalanceMs).toBeLessThan(3000); // well inside the 3 s session timeout
    console.log(`kafkajs: leave → both remaining members rejoined in ${rebalanceMs.toFixed(0)} ms`);

    await produce(TOPIC, 60_000, 6_000);
    await waitFor(() => seen.size === 66_000, 30_000, '6,000 more messages after the rebalance');
    for (const m of rest) await m.consumer.disconnect();
    expect(seen.size).toBe(66_000);
    expect(duplicates(seen)).toBe(0); // a clean leave re-delivers nothing
  }, 120_000);

  it('with kafkajs default timeouts, a member that restarts (clean leave) is consuming again within a second', async () => {
    const topic = 'groups-kafkajs-restart';
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    await produce(topic, 0, 300, 300);
    const run = async (want: number): Promise<{ consumer: Consumer; ms: number; got: () => number }> => {
      const consumer = kafka.consumer({ groupId: 'g-defaults' }); // sessionTimeout 30 s, heartbeat 3 s, maxWait 5 s
      let got = 0;
      const t0 = performance.now();
      let first = 0;
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async () => {
          if (got++ === 0) first = performance.now();
        },
      });
      await waitFor(() => got >= want, 20_000, `${want} messages`);
      return { consumer, ms: first - t0, got: () => got };
    };
    const a = await run(300);
    await a.consumer.disconnect();
    await produce(topic, 300, 30, 30);
    const b = await run(30);
    console.log(`kafkajs (default timeouts): restarted member's first message ${b.ms.toFixed(0)} ms after connect`);
    expect(b.ms).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 200));
    expect(b.got()).toBe(30); // resumed after the commits of the first run
    await b.consumer.disconnect();
  }, 60_000);

  it('eachBatch with manual commits: committed offsets are what the next member of the group resumes from', async () => {
    const topic = 'groups-kafkajs-batch';
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await produce(topic, 0, 1000, 500);
    const got: string[] = [];
    const c = kafka.consumer({ groupId: 'g-batch', ...CONSUMER });
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const m of batch.messages) {
          got.push(m.value!.toString());
          resolveOffset(m.offset);
        }
        await c.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) }]);
        await heartbeat();
      },
    });
    await waitFor(() => got.length === 1000, 20_000, '1000 messages');
    await c.disconnect();
    const offsets = await admin.fetchOffsets({ groupId: 'g-batch', topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    expect(offsets[0]!.partitions.map((p) => Number(p.offset)).sort()).toEqual(ends.map((e) => Number(e.high)).sort());

    await produce(topic, 1000, 10, 10);
    const next: string[] = [];
    const c2 = kafka.consumer({ groupId: 'g-batch', ...CONSUMER });
    await c2.connect();
    await c2.subscribe({ topic, fromBeginning: true });
    await c2.run({ eachMessage: async ({ message }) => void next.push(message.value!.toString()) });
    await waitFor(() => next.length >= 10, 20_000, 'the 10 new messages');
    await new Promise((r) => setTimeout(r, 300));
    await c2.disconnect();
    expect(next.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `${1000 + i}`).sort());
  }, 60_000);

  it('seek re-reads from an offset; pause stops delivery and resume restarts it', async () => {
    const topic = 'groups-kafkajs-seek';
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await produce(topic, 0, 100, 100);
    const got: number[] = [];
    const c = kafka.consumer({ groupId: 'g-seek', ...CONSUMER });
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({ eachMessage: async ({ message }) => void got.push(Number(message.value!.toString())) });
    await waitFor(() => got.length === 100, 20_000, '100 messages');

    c.seek({ topic, partition: 0, offset: '90' });
    await waitFor(() => got.length === 110, 20_000, 'the 10 re-read messages');
    expect(got.slice(100)).toEqual(Array.from({ length: 10 }, (_, i) => 90 + i));

    c.pause([{ topic }]);
    expect(c.paused()).toEqual([{ topic, partitions: [0] }]);
    await produce(topic, 100, 5, 5);
    await new Promise((r) => setTimeout(r, 500));
    expect(got.length).toBe(110);
    c.resume([{ topic }]);
    await waitFor(() => got.length === 115, 20_000, 'messages after resume');
    expect(got.slice(110)).toEqual([100, 101, 102, 103, 104]);
    await c.disconnect();
  }, 60_000);
});
