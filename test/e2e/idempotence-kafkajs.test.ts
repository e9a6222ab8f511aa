/**
 * kafkajs idempotent producer against Brook: a Produce whose response is lost (the broker appends, then
 * closes the connection, or never answers) is retried by kafkajs with the same sequence numbers, and
 * Brook answers the retry with the original offsets instead of appending again. Read back with kcat:
 * every message exactly once, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { Broker } from '../../src/server/broker.js';
import { kcatConsumeAll, testBroker } from './helpers.js';

const PRODUCE = 0;
let broker: Broker;
let kafka: Kafka;
let producer: Producer;

beforeAll(async () => {
  broker = await testBroker();
  kafka = new Kafka({ clientId: 'e2e-idempotence', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, requestTimeout: 1500, retry: { retries: 8, initialRetryTime: 50 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'idem', numPartitions: 1 }, { topic: 'idem-drop', numPartitions: 1 }] });
  await admin.disconnect();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect().catch(() => {});
  await broker?.close();
});

async function sendAll(topic: string, count: number, faultAt: number, inject: () => void): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (i === faultAt) inject();
    await producer.send({ topic, acks: -1, messages: [{ key: `k${i}`, value: `v${i}` }, { key: `k${i}b`, value: `v${i}b` }] });
  }
}

describe('idempotent producer (kafkajs)', () => {
  it('a connection closed after the append does not duplicate the batch', async () => {
    await sendAll('idem', 10, 4, () => broker.faults.closeAfterHandling(PRODUCE));
    const got = await kcatConsumeAll(broker.bootstrap, 'idem');
    expect(got.map((m) => m.payload)).toEqual(Array.from({ length: 10 }, (_, i) => [`v${i}`, `v${i}b`]).flat());
    expect(got.map((m) => m.offset)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('a response that never comes (request timeout, retry) does not duplicate the batch', async () => {
    await sendAll('idem-drop', 6, 2, () => broker.faults.dropResponseAfterHandling(PRODUCE));
    const got = await kcatConsumeAll(broker.bootstrap, 'idem-drop');
    expect(got.map((m) => m.payload)).toEqual(Array.from({ length: 6 }, (_, i) => [`v${i}`, `v${i}b`]).flat());
  });
});
