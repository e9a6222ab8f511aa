/**
 * KIP-848 consumer groups (ConsumerGroupHeartbeat, server-side assignment) with @platformatic/kafka's
 * `groupProtocol: 'consumer'`:
 *   - two members over four partitions share the work (two partitions each) and every message is
 *     received once;
 *   - one member leaves: the other gets all four partitions and nothing is lost;
 *   - members asking for the 'range' server assignor get contiguous ranges;
 *   - ListGroups reports the group as type "consumer" with Kafka's state names; ConsumerGroupDescribe
 *     (read with our codec: the client's v0 parser mis-reads nested assignments) shows epochs and
 *     assignments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import type { Broker } from '../../src/server/broker.js';
import { testBroker, waitFor } from './helpers.js';
import { describeOverWire } from './groups-kip848-wire.js';

let broker: Broker;
let admin: Admin;
let producer: Producer<string, string, string, string>;

async function produce(topic: string, from: number, count: number, partitions: number): Promise<void> {
  for (let i = from; i < from + count; i += 500) {
    const n = Math.min(500, from + count - i);
    await producer.send({ messages: Array.from({ length: n }, (_, j) => ({ topic, value: `${i + j}`, partition: (i + j) % partitions })) });
  }
}

function consumer(groupId: string, clientId: string, groupRemoteAssignor?: string): Consumer<string, string, string, string> {
  return new Consumer({
    clientId,
    bootstrapBrokers: [broker.bootstrap],
    groupId,
    groupProtocol: 'consumer',
    ...(groupRemoteAssignor === undefined ? {} : { groupRemoteAssignor }),
    deserializers: stringDeserializers,
    maxWaitTime: 100,
  });
}

const partitionsOf = (c: Consumer<string, string, string, string>, topic: string): number[] =>
  [...(c.assignments?.find((a) => a.topic === topic)?.partitions ?? [])].sort((a, b) => a - b);

beforeAll(async () => {
  broker = await testBroker({ config: { 'group.consumer.heartbeat.interval.ms': 200, 'group.consumer.session.timeout.ms': 6000 } });
  admin = new Admin({ clientId: 'kip848', bootstrapBrokers: [broker.bootstrap] });
  producer = new Producer({ clientId: 'kip848', bootstrapBrokers: [broker.bootstrap], serializers: stringSerializers });
});

afterAll(async () => {
  await producer?.close().catch(() => {});
  await admin?.close().catch(() => {});
  await broker?.close();
});

/** Sum of the group's committed offsets on `topic` (each partition's next offset to read). */
async function committedTotal(group: string, topic: string): Promise<number> {
  const [g] = await admin.listConsumerGroupOffsets({ groups: [group] });
  return (g?.topics.find((t) => t.name === topic)?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.committedOffset)), 0);
}

describe('@platformatic/kafka with the KIP-848 consumer protocol', () => {
  it('two members share four partitions, every message once; after one leaves the other has all four, nothing lost', async () => {
    const topic = 'kip848-plt';
    const group = 'g-kip848';
    await admin.createTopics({ topics: [topic], partitions: 4, replicas: 1 });
    const seen = new Map<string, number>();
    const byMember = [new Set<number>(), new Set<number>()];
    const members = [consumer(group, 'kip848-1'), consumer(group, 'kip848-2')];
    let offsetRefreshes = 0; // the first member's stream re-reading committed offsets (after an assignment change)
    for (const [i, m] of members.entries()) {
      const stream = await m.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest', autocommit: 100 });
      if (i === 0) stream.on('offsets', () => void offsetRefreshes++);
      stream.on('data', (message: { value: string; partition: number }) => {
        seen.set(message.value, (seen.get(message.value) ?? 0) + 1);
        byMember[i]!.add(message.partition);
      });
    }
    await waitFor(() => partitionsOf(members[0]!, topic).length === 2 && partitionsOf(members[1]!, topic).length === 2, 20_000, 'two partitions each');
    expect([...partitionsOf(members[0]!, topic), ...partitionsOf(members[1]!, topic)].sort()).toEqual([0, 1, 2, 3]);

    const listed = await admin.listGroups({ types: ['consumer'] });
    expect(listed.get(group)).toMatchObject({ id: group, state: 'STABLE', groupType: 'consumer', protocolType: 'consumer' });
    const described = await describeOverWire(broker.bootstrap, [group]);
    expect(described[0]).toMatchObject({ errorCode: 0, groupState: 'Stable', assignorName: 'uniform' });
    expect(described[0]!.members).toHaveLength(2);
    for (const m of described[0]!.members) {
      expect(m.memberEpoch).toBe(described[0]!.assignmentEpoch);
      expect(m.assignment.topicPartitions).toEqual(m.targetAssignment.topicPartitions);
      expect(m.assignment.topicPartitions[0]!.partitions).toHaveLength(2);
      expect(m.assignment.topicPartitions[0]!.topicName).toBe(topic);
    }

    await produce(topic, 0, 4000, 4);
    await waitFor(() => seen.size === 4000, 20_000, 'all 4000 messages');
    // Every message once, each member reading only its own two partitions.
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect([...byMember[0]!].sort()).toEqual(partitionsOf(members[0]!, topic));
    expect([...byMember[1]!].sort()).toEqual(partitionsOf(members[1]!, topic));

    // The leaving member's last auto-commit must land first (the client does not commit on close).
    await waitFor(async () => (await committedTotal(group, topic)) === 4000, 10_000, 'offsets committed');
    const refreshesBefore = offsetRefreshes;
    await members[1]!.close();
    await waitFor(() => partitionsOf(members[0]!, topic).length === 4, 20_000, 'the remaining member has all four partitions');
    await waitFor(() => offsetRefreshes > refreshesBefore, 20_000, 'the remaining member re-reading its committed offsets');
    // On a new assignment the client re-reads the committed offsets of all its partitions, its old ones
    // too; records it fetched meanwhile would be read twice (client side). Let that refresh finish.
    await new Promise((r) => setTimeout(r, 500));
    await produce(topic, 4000, 2000, 4);
    await waitFor(() => seen.size === 6000, 20_000, 'all 6000 messages');
    const missing = Array.from({ length: 6000 }, (_, i) => `${i}`).filter((v) => !seen.has(v));
    expect(missing).toEqual([]);
    expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
    await members[0]!.close();
    await waitFor(async () => (await admin.listGroups({ types: ['consumer'] })).get(group)?.state === 'EMPTY', 10_000, 'group empty');
  }, 60_000);

  it("the members' server assignor (groupRemoteAssignor 'range') gives contiguous ranges", async () => {
    const topic = 'kip848-range';
    const group = 'g-kip848-range';
    await admin.createTopics({ topics: [topic], partitions: 4, replicas: 1 });
    const members = [consumer(group, 'kip848-r1', 'range'), consumer(group, 'kip848-r2', 'range')];
    try {
      for (const m of members) await m.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest' });
      await waitFor(() => members.every((m) => partitionsOf(m, topic).length === 2), 20_000, 'two partitions each');
      expect(members.map((m) => partitionsOf(m, topic)).sort()).toEqual([
        [0, 1],
        [2, 3],
      ]);
      expect((await describeOverWire(broker.bootstrap, [group]))[0]).toMatchObject({ groupState: 'Stable', assignorName: 'range' });
    } finally {
      for (const m of members) await m.close().catch(() => {});
    }
  }, 30_000);
});
