/**
 * KIP-848 consumer groups survive a broker restart (data in __consumer_offsets): members keep their
 * epochs and assignments, heartbeats after the restart are not fenced, and the group stays Stable.
 * Driven over the wire with Brook's codec (a hand-driven member, so the restart point is exact).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Broker } from '../../src/server/broker.js';
import { removeDir, tempDir, testBroker } from './helpers.js';
import { describeOverWire, heartbeatOverWire } from './groups-kip848-wire.js';
import { Admin } from '@platformatic/kafka';

const dir = tempDir('kip848-restart');
let broker: Broker | undefined;

afterAll(async () => {
  await broker?.close();
  removeDir(dir);
});

describe('KIP-848 consumer group across a restart', () => {
  it('keeps the group epoch, members and assignments; members carry on unfenced', async () => {
    broker = await testBroker({ dataDir: dir });
    const admin = new Admin({ clientId: 'kip848-restart', bootstrapBrokers: [broker.bootstrap] });
    await admin.createTopics({ topics: ['kr'], partitions: 3, replicas: 1 });
    await admin.close();
    const join = { groupId: 'gr', memberEpoch: 0, rebalanceTimeoutMs: 30_000, subscribedTopicNames: ['kr'], topicPartitions: [] };
    const a = await heartbeatOverWire(broker.bootstrap, { ...join, memberId: 'member-a' });
    expect(a).toMatchObject({ errorCode: 0, memberId: 'member-a', memberEpoch: 1 });
    expect(a.assignment!.topicPartitions[0]!.partitions).toEqual([0, 1, 2]);
    const before = (await describeOverWire(broker.bootstrap, ['gr']))[0]!;
    expect(before).toMatchObject({ errorCode: 0, groupState: 'Stable', groupEpoch: 1, assignmentEpoch: 1 });

    await broker.close();
    broker = await testBroker({ dataDir: dir });
    const after = (await describeOverWire(broker.bootstrap, ['gr']))[0]!;
    expect(after).toMatchObject({ errorCode: 0, groupState: 'Stable', groupEpoch: 1, assignmentEpoch: 1, assignorName: 'uniform' });
    expect(after.members).toEqual(before.members);

    const hb = await heartbeatOverWire(broker.bootstrap, {
      groupId: 'gr',
      memberId: 'member-a',
      memberEpoch: 1,
      rebalanceTimeoutMs: 30_000,
      subscribedTopicNames: ['kr'],
      topicPartitions: a.assignment!.topicPartitions,
    });
    expect(hb).toMatchObject({ errorCode: 0, memberEpoch: 1 });
    expect(hb.assignment!.topicPartitions).toEqual(a.assignment!.topicPartitions);

    // Leaving after the restart works too, and the group is then Empty.
    expect(await heartbeatOverWire(broker.bootstrap, { groupId: 'gr', memberId: 'member-a', memberEpoch: -1 })).toMatchObject({ errorCode: 0, memberEpoch: -1 });
    expect((await describeOverWire(broker.bootstrap, ['gr']))[0]).toMatchObject({ groupState: 'Empty', groupEpoch: 2, members: [] });
  }, 30_000);
});
