/**
 * Group administration with real admin clients, as Kafka answers it:
 *   - kafkajs describeGroups (state, protocol, members with client id/host and decodable assignments),
 *     listGroups, fetchOffsets (lag = end − committed), resetOffsets on an empty group,
 *     deleteGroups (refused while the group has members);
 *   - @platformatic/kafka listGroups with state and type filters (ListGroups v5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssignerProtocol, Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { Admin as PltAdmin } from '@platformatic/kafka';
import type { Broker } from '../../src/server/broker.js';
import { testBroker, waitFor } from './helpers.js';

const TOPIC = 'groups-admin';
let broker: Broker;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  broker = await testBroker({ config: { 'group.min.session.timeout.ms': 500 } });
  kafka = new Kafka({ clientId: 'groups-admin', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }] });
  producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: 300 }, (_, i) => ({ value: `${i}`, partition: i % 3 })) });
});

afterAll(async () => {
  await producer?.disconnect().catch(() => {});
  await admin?.disconnect().catch(() => {});
  await broker?.close();
});

async function startMember(groupId: string): Promise<{ consumer: Consumer; seen: () => number }> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 3000, heartbeatInterval: 100, maxWaitTimeInMs: 100 });
  let n = 0;
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({
    eachMessage: async () => {
      n++;
    },
  });
  return { consumer, seen: () => n };
}

async function lag(groupId: string): Promise<number> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [TOPIC] });
  const ends = await admin.fetchTopicOffsets(TOPIC);
  let total = 0;
  for (const e of ends) {
    const c = Number(committed!.partitions.find((p) => p.partition === e.partition)!.offset);
    total += Number(e.high) - (c < 0 ? 0 : c);
  }
  return total;
}

describe('group administration', () => {
  it('describeGroups, listGroups, lag, deleteGroups and offset resets, as Kafka', async () => {
    const m = await startMember('g-admin');
    await waitFor(() => m.seen() === 300, 20_000, '300 messages');
    await waitFor(async () => (await lag('g-admin')) === 0, 10_000, 'lag 0');

    const { groups } = await admin.describeGroups(['g-admin', 'no-such-group']);
    const g = groups.find((x) => x.groupId === 'g-admin')!;
    expect(g).toMatchObject({ errorCode: 0, state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
    expect(g.members).toHaveLength(1);
    expect(g.members[0]!.clientId).toBe('groups-admin');
    expect(g.members[0]!.clientHost).toBe('/127.0.0.1');
    const assignment = AssignerProtocol.MemberAssignment.decode(g.members[0]!.memberAssignment)!;
    expect(assignment.assignment[TOPIC]!.sort()).toEqual([0, 1, 2]);
    const metadata = AssignerProtocol.MemberMetadata.decode(g.members[0]!.memberMetadata)!;
    expect(metadata.topics).toEqual([TOPIC]);
    expect(groups.find((x) => x.groupId === 'no-such-group')).toMatchObject({ state: 'Dead', members: [] });

    expect((await admin.listGroups()).groups).toContainEqual({ groupId: 'g-admin', protocolType: 'consumer' });

    // Deleting or resetting a group with members is refused.
    await expect(admin.deleteGroups(['g-admin'])).rejects.toThrow();
    await expect(admin.resetOffsets({ groupId: 'g-admin', topic: TOPIC, earliest: true })).rejects.toThrow();

    await m.consumer.disconnect();
    await waitFor(async () => (await admin.describeGroups(['g-admin'])).groups[0]!.state === 'Empty', 5000, 'Empty');

    // Reset to the earliest offsets: lag is everything again, and a new member reads it all.
    await admin.resetOffsets({ groupId: 'g-admin', topic: TOPIC, earliest: true });
    expect(await lag('g-admin')).toBe(300);
    const again = await startMember('g-admin');
    await waitFor(() => again.seen() === 300, 20_000, 'all 300 messages again after the reset');
    await again.consumer.disconnect();

    expect(await admin.deleteGroups(['g-admin'])).toEqual([expect.objectContaining({ groupId: 'g-admin', errorCode: 0 })]);
    const missing = await admin.deleteGroups(['no-such-group']).then(
      () => undefined,
      (e: { groups: Array<{ error: { type: string } }> }) => e.groups[0]?.error.type,
    );
    expect(missing).toBe('GROUP_ID_NOT_FOUND');
    expect((await admin.listGroups()).groups.map((x) => x.groupId)).not.toContain('g-admin');
    expect(await lag('g-admin')).toBe(300); // offsets gone with the group
  }, 60_000);

  it('@platformatic/kafka: listGroups state/type filters, multi-group offsets, OffsetDelete, deleteGroups', async () => {
    const m = await startMember('g-plt-admin');
    await waitFor(() => m.seen() === 300, 20_000, '300 messages');
    await waitFor(async () => (await lag('g-plt-admin')) === 0, 10_000, 'lag 0');
    const plt = new PltAdmin({ clientId: 'groups-admin-plt', bootstrapBrokers: [broker.bootstrap] });
    try {
      // A simple (memberless) commit creates an Empty group.
      await plt.alterConsumerGroupOffsets({ groupId: 'g-simple', topics: [{ name: TOPIC, partitionOffsets: [{ partition: 0, offset: 1n }, { partition: 1, offset: 2n }] }] });
      const stable = await plt.listGroups({ states: ['STABLE'] });
      expect([...stable.keys()]).toContain('g-plt-admin');
      expect([...stable.keys()]).not.toContain('g-simple');
      expect([...(await plt.listGroups({ states: ['EMPTY'] })).keys()]).toEqual(['g-simple']);
      expect([...(await plt.listGroups({ types: ['consumer'] })).keys()]).toEqual([]);
      expect([...(await plt.listGroups({ types: ['classic'] })).keys()].sort()).toEqual(['g-plt-admin', 'g-simple']);

      // OffsetFetch v8+: two groups in one request.
      const both = await plt.listConsumerGroupOffsets({ groups: ['g-plt-admin', 'g-simple'] });
      const offsets = (groupId: string) =>
        both.find((g) => g.groupId === groupId)!.topics.flatMap((t) => t.partitions.map((p) => [p.partitionIndex, Number(p.committedOffset)])).sort();
      expect(offsets('g-plt-admin')).toEqual([[0, 100], [1, 100], [2, 100]]);
      expect(offsets('g-simple')).toEqual([[0, 1], [1, 2]]);

      // OffsetDelete: refused for the topic the live group consumes; fine for the empty group.
      await expect(plt.deleteConsumerGroupOffsets({ groupId: 'g-plt-admin', topics: [{ name: TOPIC, partitionIndexes: [0] }] })).rejects.toThrow();
      await plt.deleteConsumerGroupOffsets({ groupId: 'g-simple', topics: [{ name: TOPIC, partitionIndexes: [0] }] });
      const after = await plt.listConsumerGroupOffsets({ groups: ['g-simple'] });
      expect(after[0]!.topics.flatMap((t) => t.partitions.map((p) => p.partitionIndex))).toEqual([1]);

      await plt.deleteGroups({ groups: ['g-simple'] });
      expect([...(await plt.listGroups({ types: ['classic'] })).keys()]).toEqual(['g-plt-admin']);
    } finally {
      await plt.close();
      await m.consumer.disconnect();
    }
  }, 60_000);
});
