/**
 * Idempotent producers with real clients under a lost acknowledgement: the broker appends a Produce,
 * then drops the connection instead of answering (broker.faults.closeAfterHandling), so the client
 * retries the same batch. With idempotence (InitProducerId, sequence numbers) the retry is recognised
 * as a duplicate and every message is stored once; without it the batch is stored twice, as Kafka
 * does — which shows the fault really fired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { Producer as PlatformaticProducer, stringSerializers } from '@platformatic/kafka';
import type { Broker } from '../../src/server/broker.js';
import { kcat, kcatConsumeAll, killCliBroker, removeDir, startCliBroker, tempDir, testBroker, type CliBroker } from './helpers.js';

const PRODUCE = 0;
let broker: Broker;
let kafka: Kafka;
let topicCount = 0;

beforeAll(async () => {
  broker = await testBroker();
  kafka = new Kafka({ clientId: 'e2e-idempotence', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 50 } });
});

afterAll(async () => {
  await broker?.close();
});

async function newTopic(): Promise<string> {
  const topic = `e2e-idem-${++topicCount}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  return topic;
}

/** Payloads in the topic, in offset order (offsets checked dense). */
async function stored(topic: string): Promise<string[]> {
  const messages = await kcatConsumeAll(broker.bootstrap, topic);
  expect(messages.map((m) => m.offset)).toEqual(messages.map((_, i) => i));
  return messages.map((m) => m.payload!);
}

const batch = (name: string) => Array.from({ length: 10 }, (_, i) => `${name}-${i}`);

describe('idempotent producers under a lost acknowledgement', () => {
  for (const idempotent of [true, false]) {
    it(`kafkajs, idempotent=${idempotent}: ${idempotent ? 'each message once' : 'the retried batch twice'}`, async () => {
      const topic = await newTopic();
      const producer = kafka.producer({ idempotent, maxInFlightRequests: idempotent ? 1 : undefined });
      await producer.connect();
      try {
        const send = (values: string[]) => producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
        await send(batch('a'));
        broker.faults.closeAfterHandling(PRODUCE);
        await send(batch('b'));
        await send(batch('c'));
        expect(broker.faults.active, 'the fault fired').toBe(false);
      } finally {
        broker.faults.clear();
        await producer.disconnect();
      }
      const expected = idempotent ? [...batch('a'), ...batch('b'), ...batch('c')] : [...batch('a'), ...batch('b'), ...batch('b'), ...batch('c')];
      expect(await stored(topic)).toEqual(expected);
    });
  }

  for (const idempotent of [true, false]) {
    it(`kcat (librdkafka), enable.idempotence=${idempotent}`, async () => {
      const topic = await newTopic();
      const values = Array.from({ length: 200 }, (_, i) => `m-${i}`);
      broker.faults.closeAfterHandling(PRODUCE);
      try {
        // kcat gives up when "all brokers are down": a second bootstrap address for the same broker
        // keeps one connection up while the faulted one reconnects.
        await kcat(
          ['-b', `${broker.bootstrap},localhost:${broker.port}`, '-P', '-t', topic, '-p', '0', '-X', `enable.idempotence=${idempotent}`, '-X', 'linger.ms=50', '-X', 'retry.backoff.ms=20'],
          { input: values.join('\n') + '\n' },
        );
        expect(broker.faults.active, 'the fault fired').toBe(false);
      } finally {
        broker.faults.clear();
      }
      const got = await stored(topic);
      if (idempotent) {
        expect(got).toEqual(values);
      } else {
        // The first batch was appended, then retried and appended again.
        expect(new Set(got)).toEqual(new Set(values));
        expect(got.length).toBeGreaterThan(values.length);
      }
    });
  }

  it('@platformatic/kafka, idempotent: each message once', async () => {
    const topic = await newTopic();
    const producer = new PlatformaticProducer({
      clientId: 'e2e-idempotence',
      bootstrapBrokers: [broker.bootstrap],
      serializers: stringSerializers,
      idempotent: true,
      retries: 5,
      retryDelay: 50,
    });
    try {
      const send = (values: string[]) => producer.send({ messages: values.map((value) => ({ topic, value, partition: 0 })) });
      await send(batch('a'));
      broker.faults.closeAfterHandling(PRODUCE);
      await send(batch('b'));
      await send(batch('c'));
      expect(broker.faults.active, 'the fault fired').toBe(false);
    } finally {
      broker.faults.clear();
      await producer.close();
    }
    expect(await stored(topic)).toEqual([...batch('a'), ...batch('b'), ...batch('c')]);
  });
});

describe('idempotent producer state across broker restarts', () => {
  const dirs: string[] = [];
  const children: CliBroker[] = [];
  afterAll(async () => {
    for (const c of children) await killCliBroker(c);
    for (const d of dirs) removeDir(d);
  });

  for (const how of ['graceful', 'SIGKILL'] as const) {
    const what =
      how === 'graceful'
        ? 'the producer carries on after the restart, and a retried batch is still caught as a duplicate'
        : 'the producer carries on with its next sequence number (state rebuilt from the log)';
    it(`${how}: ${what}`, async () => {
      const dir = tempDir(`idem-${how}`);
      dirs.push(dir);
      // The broker comes back on the same port, so the producer reconnects by itself with its id.
      let inProcess: Broker | undefined;
      let child: CliBroker | undefined;
      let port: number;
      if (how === 'graceful') {
        inProcess = await testBroker({ dataDir: dir });
        port = inProcess.port;
      } else {
        child = await startCliBroker(['--data-dir', dir]);
        children.push(child);
        port = child.port;
      }
      const client = new Kafka({
        clientId: 'e2e-idempotence-restart',
        brokers: [`127.0.0.1:${port}`],
        logLevel: logLevel.NOTHING,
        retry: { retries: 10, initialRetryTime: 100 },
      });
      const admin = client.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'idem', numPartitions: 1 }], waitForLeaders: true });
      await admin.disconnect();
      const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const send = (values: string[]) => producer.send({ topic: 'idem', acks: -1, messages: values.map((value) => ({ value })) });
      let restarted: Broker | undefined;
      try {
        await send(batch('a'));
        await send(batch('b'));
        if (inProcess !== undefined) {
          await inProcess.close();
          restarted = await testBroker({ dataDir: dir, port });
        } else {
          child!.proc.kill('SIGKILL');
          await child!.exited;
          children.push(await startCliBroker(['--data-dir', dir], { port }));
        }
        await send(batch('c'));
        if (restarted !== undefined) {
          restarted.faults.closeAfterHandling(PRODUCE);
          await send(batch('d'));
          expect(restarted.faults.active, 'the fault fired').toBe(false);
        }
      } finally {
        await producer.disconnect();
      }
      const messages = await kcatConsumeAll(`127.0.0.1:${port}`, 'idem');
      const expected = [...batch('a'), ...batch('b'), ...batch('c'), ...(restarted !== undefined ? batch('d') : [])];
      expect(messages.map((m) => m.payload)).toEqual(expected);
      expect(messages.map((m) => m.offset)).toEqual(expected.map((_, i) => i));
      await restarted?.close();
    });
  }
});
