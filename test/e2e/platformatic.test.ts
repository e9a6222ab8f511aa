/**
 * @platformatic/kafka (flexible protocol versions: Metadata v12, CreateTopics v7, Produce v9+, Fetch
 * v12-17 with topic ids) against a real Brook broker: admin create/list topics, metadata, produce,
 * then read everything back with the consumer's group-less `fetch()` by offset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin, Consumer, Producer, stringSerializers } from '@platformatic/kafka';
import type { Broker } from '../../src/server/broker.js';
import { testBroker } from './helpers.js';

const TOPIC = 'e2e-platformatic';
const PARTITIONS = 3;
const COUNT = 3000;

let broker: Broker;
let admin: Admin;
let producer: Producer<string, string, string, string>;
let consumer: Consumer;

beforeAll(async () => {
  broker = await testBroker({ config: { 'auto.create.topics.enable': false } });
  const base = { clientId: 'e2e-platformatic', bootstrapBrokers: [broker.bootstrap], retries: 2 };
  admin = new Admin(base);
  producer = new Producer({ ...base, serializers: stringSerializers });
  consumer = new Consumer({ ...base, groupId: 'e2e-platformatic-unused' });
});

afterAll(async () => {
  for (const c of [consumer, producer, admin]) await c?.close().catch(() => {});
  await broker?.close();
});

describe('@platformatic/kafka end to end', () => {
  it('creates and lists topics', async () => {
    const created = await admin.createTopics({ topics: [TOPIC], partitions: PARTITIONS, replicas: 1 });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ name: TOPIC, partitions: PARTITIONS, replicas: 1 });
    expect(created[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await admin.listTopics()).toContain(TOPIC);
    // A second create fails with TOPIC_ALREADY_EXISTS.
    await expect(admin.createTopics({ topics: [TOPIC], partitions: PARTITIONS, replicas: 1 })).rejects.toThrow();
  });

  it('reports metadata: one broker, the topic with its id and partitions led by that broker', async () => {
    const meta = await admin.metadata({ topics: [TOPIC], forceUpdate: true });
    expect([...meta.brokers.entries()]).toEqual([[broker.context.nodeId, expect.objectContaining({ host: '127.0.0.1', port: broker.port })]]);
    const topic = meta.topics.get(TOPIC)!;
    expect(topic.partitionsCount).toBe(PARTITIONS);
    expect(topic.partitions.map((p) => p.leader)).toEqual(new Array(PARTITIONS).fill(broker.context.nodeId));
    expect(topic.id).not.toBe('00000000-0000-0000-0000-000000000000');
  });

  it('produces keyed messages with headers and gets their offsets back', async () => {
    for (let start = 0; start < COUNT; start += 500) {
      const messages = Array.from({ length: 500 }, (_, j) => {
        const i = start + j;
        return { topic: TOPIC, partition: i % PARTITIONS, key: `key-${i}`, value: `value-${i}`, headers: { seq: String(i) } };
      });
      const result = await producer.send({ messages, acks: -1 });
      const offsets = result.offsets!.sort((a, b) => a.partition - b.partition);
      // Each send carries 500 messages across 3 partitions; the base offset is what came before.
      expect(offsets.map((o) => o.partition)).toEqual([0, 1, 2]);
      for (const o of offsets) expect(Number(o.offset)).toBe(countBefore(start, o.partition));
    }
  });

  it('consumes everything back by offset without a group (Fetch with topic ids)', async () => {
    const meta = await consumer.metadata({ topics: [TOPIC], forceUpdate: true });
    const topicId = meta.topics.get(TOPIC)!.id;
    const got = new Map<number, Array<{ offset: number; key: string; value: string; seq: string }>>();
    const next = new Array<bigint>(PARTITIONS).fill(0n);
    const want = (p: number) => countBefore(COUNT, p);
    for (let round = 0; round < 200 && [...next.keys()].some((p) => Number(next[p]) < want(p)); round++) {
      const response = await consumer.fetch({
        node: broker.context.nodeId,
        maxWaitTime: 100,
        topics: [
          {
            topicId,
            partitions: next.map((fetchOffset, partition) => ({
              partition,
              fetchOffset,
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
              partitionMaxBytes: 64 * 1024,
            })),
          },
        ],
      });
      expect(response.errorCode).toBe(0);
      for (const t of response.responses) {
        for (const p of t.partitions) {
          expect(p.errorCode).toBe(0);
          expect(Number(p.highWatermark)).toBe(want(p.partitionIndex));
          const list = got.get(p.partitionIndex) ?? [];
          for (const batch of p.records ?? []) {
            for (const r of batch.records) {
              const offset = batch.firstOffset + BigInt(r.offsetDelta);
              if (offset < next[p.partitionIndex]!) continue; // a batch may start before the fetch offset
              list.push({
                offset: Number(offset),
                key: r.key!.toString(),
                value: r.value!.toString(),
                seq: r.headers.map(([k, v]) => `${k?.toString()}=${v?.toString()}`).join(','),
              });
              next[p.partitionIndex] = offset + 1n;
            }
          }
          got.set(p.partitionIndex, list);
        }
      }
    }
    for (let p = 0; p < PARTITIONS; p++) {
      const expected = [];
      for (let i = p; i < COUNT; i += PARTITIONS) {
        expected.push({ offset: expected.length, key: `key-${i}`, value: `value-${i}`, seq: `seq=${i}` });
      }
      expect(got.get(p), `partition ${p}`).toEqual(expected);
    }
  });

  it('lists offsets (ListOffsets) and deletes the topic', async () => {
    const offsets = await consumer.listOffsets({ topics: [TOPIC] });
    expect(offsets.get(TOPIC)!.map(Number)).toEqual([0, 1, 2].map((p) => countBefore(COUNT, p)));
    await admin.deleteTopics({ topics: [TOPIC] });
    expect(await admin.listTopics()).not.toContain(TOPIC);
  });
});

/** Messages with index < n that went to partition p (message i goes to partition i % PARTITIONS). */
function countBefore(n: number, p: number): number {
  return n > p ? Math.floor((n - 1 - p) / PARTITIONS) + 1 : 0;
}
