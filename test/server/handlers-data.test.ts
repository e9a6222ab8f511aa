/**
 * The data-path handlers (Produce, Fetch, ListOffsets, Metadata) end to end with real clients, on
 * memory and disk storage: kafkajs produces and lists offsets, kcat (librdkafka) reads, and
 * @platformatic/kafka's own Fetch/Metadata/Produce encoders drive long polls and error cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '@platformatic/kafka';
import {
  STORAGE_KINDS,
  fetch17,
  kafkajs,
  kcatConsume,
  kcatProduce,
  platformaticConnection,
  produceV11,
  settledWithin,
  startTestBroker,
  topicId,
  type TestBroker,
} from './handlers-data-helpers.js';

describe.each(STORAGE_KINDS)('data path on %s storage', (kind) => {
  let tb: TestBroker;
  let conn: Connection;

  beforeAll(async () => {
    tb = await startTestBroker(kind, { 'num.partitions': 3 });
    conn = await platformaticConnection(tb.port);
  });

  afterAll(async () => {
    await conn?.close();
    await tb?.close();
  });

  it('kafkajs produces 10k keyed messages with headers; offsets and kcat read them all back', async () => {
    const producer = kafkajs(tb.bootstrap).producer();
    await producer.connect();
    const messages = Array.from({ length: 10_000 }, (_, i) => ({
      key: `key-${i}`,
      value: `value-${i}`,
      headers: { n: String(i), source: 'kafkajs' },
    }));
    const sent = await producer.send({ topic: 'orders', messages, acks: -1 });
    await producer.disconnect();
    expect(sent.every((r) => r.errorCode === 0)).toBe(true);
    expect(sent).toHaveLength(3); // auto-created with num.partitions=3

    const admin = kafkajs(tb.bootstrap).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('orders');
    await admin.disconnect();
    expect(offsets.reduce((n, o) => n + Number(o.high), 0)).toBe(10_000);
    expect(offsets.every((o) => o.low === '0')).toBe(true);

    const read = await kcatConsume(tb.bootstrap, 'orders');
    expect(read).toHaveLength(10_000);
    const byKey = new Map(read.map((m) => [m.key, m]));
    for (const i of [0, 1, 4242, 9999]) {
      const m = byKey.get(`key-${i}`)!;
      expect(m.payload).toBe(`value-${i}`);
      expect(m.headers).toEqual(['n', String(i), 'source', 'kafkajs']);
    }
    // Offsets per partition are dense from 0.
    for (const o of offsets) {
      const got = read.filter((m) => m.partition === o.partition).map((m) => m.offset);
      expect(got).toEqual(Array.from({ length: Number(o.high) }, (_, i) => i));
    }
  });

  it('ListOffsets by timestamp (kafkajs fetchTopicOffsetsByTimestamp) finds the first record at or after it', async () => {
    const kafka = kafkajs(tb.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'timed', numPartitions: 1 }] }).catch(() => undefined);
    const producer = kafka.producer();
    await producer.connect();
    // Metadata auto-creates the topic if CreateTopics is not served yet.
    const base = Date.now() - 60_000;
    await producer.send({
      topic: 'timed',
      messages: Array.from({ length: 100 }, (_, i) => ({ value: `m${i}`, timestamp: String(base + i * 10) })),
    });
    await producer.disconnect();
    const partitions = await admin.fetchTopicOffsetsByTimestamp('timed', base + 505);
    const p0 = partitions.find((p) => p.partition === 0)!;
    expect(p0.offset).toBe('51');
    const first = await admin.fetchTopicOffsetsByTimestamp('timed', base - 1);
    expect(first.find((p) => p.partition === 0)!.offset).toBe('0');
    await admin.disconnect();
  });

  it('acks=0: kafkajs gets no response and the data is stored', async () => {
    const kafka = kafkajs(tb.bootstrap);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'fire-and-forget', acks: 0, messages: [{ partition: 0, value: 'a' }, { partition: 0, value: 'b' }] });
    // A request with a response on the same connection proves the acks=0 one was handled first.
    await producer.send({ topic: 'fire-and-forget', acks: 1, messages: [{ partition: 0, value: 'c' }] });
    await producer.disconnect();
    const read = await kcatConsume(tb.bootstrap, 'fire-and-forget');
    expect(read.map((m) => m.payload)).toEqual(['a', 'b', 'c']);
  });

  it('acks=0 to a partition that does not exist closes the connection (as Kafka does)', async () => {
    const c = await platformaticConnection(tb.port);
    await topicId(c, 'acks0-errors'); // 3 partitions: 0-2
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    await produceV11.api.async(c, 0, 1000, [{ topic: 'acks0-errors', partition: 7, value: Buffer.from('x') }]).catch(() => undefined);
    expect(await settledWithin(closed, 5000)).not.toBe('pending');
  });

  it('a long-polling fetch (max_wait 5 s) returns as soon as a produce makes data available', async () => {
    const id = await topicId(conn, 'long-poll');
    const started = Date.now();
    const pending = fetch17(conn, {
      maxWaitMs: 5000,
      minBytes: 1,
      topics: [{ topicId: id, partitions: [{ partition: 1, fetchOffset: 0n }] }],
    });
    expect(await settledWithin(pending, 200)).toBe('pending'); // nothing there yet: it waits
    const producer = kafkajs(tb.bootstrap).producer();
    await producer.connect();
    await producer.send({ topic: 'long-poll', messages: [{ partition: 1, value: 'wake up' }] });
    const res = await pending;
    const elapsed = Date.now() - started;
    await producer.disconnect();
    expect(elapsed).toBeLessThan(5000); // woken by the produce, not by max_wait
    const p = res.responses[0]!.partitions[0]!;
    expect(p.errorCode).toBe(0);
    expect(p.highWatermark).toBe(1n);
    expect(p.records?.[0]?.records[0]?.value.toString()).toBe('wake up');
  });

  it('@platformatic/kafka drives an incremental fetch session: only news comes back, and a long poll on the session wakes on produce', async () => {
    const id = await topicId(conn, 'session-topic');
    const partitions = [0, 1, 2].map((partition) => ({ partition, fetchOffset: 0n }));
    const full = await fetch17(conn, { sessionId: 0, sessionEpoch: 0, topics: [{ topicId: id, partitions }] });
    expect(full.errorCode).toBe(0);
    expect(full.sessionId).not.toBe(0);
    expect(full.responses[0]!.partitions.map((p) => p.partitionIndex)).toEqual([0, 1, 2]);

    // Nothing new: the incremental response is empty.
    const quiet = await fetch17(conn, { sessionId: full.sessionId, sessionEpoch: 1, topics: [] });
    expect(quiet.errorCode).toBe(0);
    expect(quiet.responses).toEqual([]);

    // A long poll on the session (no partitions named: the session's own) wakes when partition 2 gets data.
    const pending = fetch17(conn, { sessionId: full.sessionId, sessionEpoch: 2, maxWaitMs: 5000, topics: [] });
    expect(await settledWithin(pending, 100)).toBe('pending');
    const producer = kafkajs(tb.bootstrap).producer();
    await producer.connect();
    await producer.send({ topic: 'session-topic', messages: [{ partition: 2, key: 'k', value: 'in session' }] });
    await producer.disconnect();
    const woken = await pending;
    expect(woken.responses.flatMap((t) => t.partitions.map((p) => p.partitionIndex))).toEqual([2]);
    expect(woken.responses[0]!.partitions[0]!.records?.[0]?.records[0]?.value.toString()).toBe('in session');

    // A stale epoch is refused; the session survives it.
    expect((await fetch17(conn, { sessionId: full.sessionId, sessionEpoch: 1, topics: [] })).errorCode).toBe(71);
    expect((await fetch17(conn, { sessionId: full.sessionId, sessionEpoch: 3, topics: [] })).errorCode).toBe(0);
  });

  it('kcat produces gzip, snappy, lz4 and zstd batches; they are stored and served as they came', async () => {
    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
      const topic = `compressed-${codec}`;
      const lines = Array.from({ length: 200 }, (_, i) => `${codec} line ${i} ${'x'.repeat(i % 50)}`);
      await kcatProduce(tb.bootstrap, topic, lines, ['-z', codec, '-p', '0']);
      const read = await kcatConsume(tb.bootstrap, topic);
      expect(read.map((m) => m.payload)).toEqual(lines);
    }
  });

  it('a fetch whose offset is past the end gets OFFSET_OUT_OF_RANGE; unknown topic ids UNKNOWN_TOPIC_ID', async () => {
    const id = await topicId(conn, 'orders');
    const res = await fetch17(conn, { topics: [{ topicId: id, partitions: [{ partition: 0, fetchOffset: 1_000_000n }] }] });
    expect(res.responses[0]!.partitions[0]!.errorCode).toBe(1);
    const unknown = await fetch17(conn, { topics: [{ topicId: '00000000-0000-0000-0000-0000000000ff', partitions: [{ partition: 0, fetchOffset: 0n }] }] });
    expect(unknown.responses[0]!.partitions[0]!.errorCode).toBe(100);
  });

  it('a fetch answers at least one whole batch even when it is larger than the partition limit (KIP-74)', async () => {
    const id = await topicId(conn, 'orders');
    const res = await fetch17(conn, {
      topics: [{ topicId: id, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 }] }],
    });
    const p = res.responses[0]!.partitions[0]!;
    expect(p.errorCode).toBe(0);
    expect(p.records?.length).toBe(1);
    expect(p.records![0]!.records.length).toBeGreaterThan(0);
  });
});

describe('auto-creation switched off', () => {
  let tb: TestBroker;

  beforeAll(async () => {
    tb = await startTestBroker('memory', { 'auto.create.topics.enable': false });
  });

  afterAll(async () => {
    await tb?.close();
  });

  it('Metadata and Produce for an unknown topic answer UNKNOWN_TOPIC_OR_PARTITION and create nothing', async () => {
    const kafka = kafkajs(tb.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await expect(admin.fetchTopicMetadata({ topics: ['missing'] })).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });

    const c = await platformaticConnection(tb.port);
    const err = (await produceV11.api.async(c, 1, 1000, [{ topic: 'missing', partition: 0, value: Buffer.from('x') }]).then(
      () => undefined,
      (e: unknown) => e,
    )) as { response?: { responses: Array<{ partitionResponses: Array<{ errorCode: number }> }> } } | undefined;
    expect(err?.response?.responses[0]?.partitionResponses[0]?.errorCode).toBe(3);
    await c.close();

    expect(await admin.listTopics()).toEqual([]);
    await admin.disconnect();
  });
});
