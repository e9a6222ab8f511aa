/**
 * @platformatic/kafka transactions against Brook: an idempotent transactional producer commits and
 * aborts across partitions; its consumer (read_committed by default) in a group sees exactly the
 * committed records.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import type { Broker } from '../../src/server/broker.js';
import { testBroker } from './helpers.js';

const TOPIC = 'tx-platformatic';
let broker: Broker;

beforeAll(async () => {
  broker = await testBroker();
  const admin = new Admin({ clientId: 'e2e-txn-platformatic', bootstrapBrokers: [broker.bootstrap] });
  await admin.createTopics({ topics: [TOPIC], partitions: 3, replicas: 1 });
  await admin.close();
});

afterAll(async () => {
  await broker?.close();
});

it('commit and abort with @platformatic/kafka; a read_committed group consumer sees only commits', async () => {
  const producer = new Producer({
    clientId: 'e2e-txn-platformatic',
    bootstrapBrokers: [broker.bootstrap],
    serializers: stringSerializers,
    idempotent: true,
    transactionalId: 'platformatic-tx',
  });
  try {
    const send = (tx: Awaited<ReturnType<typeof producer.beginTransaction>>, tag: string) =>
      tx.send({ messages: [0, 1, 2].map((partition) => ({ topic: TOPIC, partition, key: tag, value: `${tag}-${partition}` })) });
    const t1 = await producer.beginTransaction();
    await send(t1, 'committed-a');
    await t1.commit();
    const t2 = await producer.beginTransaction();
    await send(t2, 'aborted');
    await t2.abort();
    const t3 = await producer.beginTransaction();
    await send(t3, 'committed-b');
    await t3.commit();
  } finally {
    await producer.close();
  }

  const consumer = new Consumer({
    clientId: 'e2e-txn-platformatic-reader',
    bootstrapBrokers: [broker.bootstrap],
    groupId: 'platformatic-tx-reader',
    deserializers: stringDeserializers,
    maxWaitTime: 200,
  });
  const seen: string[] = [];
  try {
    const stream = await consumer.consume({ topics: [TOPIC], mode: 'earliest' });
    const deadline = setTimeout(() => void stream.close(), 15_000);
    for await (const m of stream) {
      seen.push(m.value);
      if (seen.length >= 6) break;
    }
    clearTimeout(deadline);
    await new Promise((r) => setTimeout(r, 300));
    await stream.close();
  } finally {
    await consumer.close(true);
  }
  expect([...seen].sort()).toEqual(['committed-a-0', 'committed-a-1', 'committed-a-2', 'committed-b-0', 'committed-b-1', 'committed-b-2']);
});
