/**
 * Topic-level compression.type with real clients: the broker recompresses what producers send to the
 * topic's codec, every client reads the result, and compacted topics refuse keyless records.
 *   - compression.type=zstd receiving gzip batches (kafkajs, kcat, @platformatic/kafka) stores zstd
 *     batches; kcat and a kafkajs group consumer read them (@platformatic/kafka has no zstd on Node 20:
 *     skipped with that reason, unless this Node has zlib zstd);
 *   - compression.type=uncompressed receiving lz4 and snappy stores uncompressed batches;
 *   - compression.type=gzip with compression.gzip.level=1 set through AlterConfigs;
 *   - cleanup.policy=compact: kafkajs sending a keyless record gets INVALID_RECORD; keyed records pass
 *     and stay in the producer's codec.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import kafkajs from 'kafkajs';
import { batchSize } from '../../src/protocol/records/batch-header.js';
import type { Broker } from '../../src/server/broker.js';
import { testBroker } from './helpers.js';
import {
  CODEC_ID,
  PLATFORMATIC_HAS_ZSTD,
  groupsServed,
  kafkajsClient,
  kafkajsGroupRead,
  kcatProduce,
  kcatRead,
  platformaticClients,
  platformaticRead,
  registerKafkajsCodecs,
  storedCodecs,
  type Seen,
} from './compression-clients.js';

let broker: Broker;
let kafka: kafkajs.Kafka;
let pf: ReturnType<typeof platformaticClients>;
const T0 = Date.now() - 30_000;

const messages = (tag: string, n: number): Seen[] =>
  Array.from({ length: n }, (_, i) => ({ key: `k-${i}`, value: `${tag} value ${i} `.repeat(10), headers: [`i=${i}`, `tag=${tag}`], timestamp: T0 + i }));

async function kafkajsSend(topic: string, codec: number, list: Seen[]): Promise<void> {
  const p = kafka.producer();
  await p.connect();
  try {
    await p.send({
      topic,
      acks: -1,
      compression: codec,
      messages: list.map((m, i) => ({ partition: 0, key: m.key, value: m.value, timestamp: String(m.timestamp), headers: { i: String(i), tag: m.headers[1]!.slice(4) } })),
    });
  } finally {
    await p.disconnect();
  }
}

beforeAll(async () => {
  registerKafkajsCodecs();
  broker = await testBroker();
  kafka = kafkajsClient(broker.bootstrap, 'e2e-compression-topic');
  pf = platformaticClients(broker.bootstrap);
  const admin = kafka.admin();
  await admin.connect();
  const cfg = (entries: Record<string, string>) => Object.entries(entries).map(([name, value]) => ({ name, value }));
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: 'zstd-kafkajs', numPartitions: 1, configEntries: cfg({ 'compression.type': 'zstd' }) },
      { topic: 'zstd-kcat', numPartitions: 1, configEntries: cfg({ 'compression.type': 'zstd' }) },
      { topic: 'zstd-platformatic', numPartitions: 1, configEntries: cfg({ 'compression.type': 'zstd', 'compression.zstd.level': '10' }) },
      { topic: 'plain', numPartitions: 1, configEntries: cfg({ 'compression.type': 'uncompressed' }) },
      { topic: 'gzip-fast', numPartitions: 1 },
      { topic: 'compacted', numPartitions: 1, configEntries: cfg({ 'cleanup.policy': 'compact' }) },
    ],
  });
  await admin.alterConfigs({
    validateOnly: false,
    resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: 'gzip-fast', configEntries: cfg({ 'compression.type': 'gzip', 'compression.gzip.level': '1' }) }],
  });
  await admin.disconnect();
}, 30_000);

afterAll(async () => {
  await pf?.producer.close().catch(() => {});
  await pf?.consumer.close().catch(() => {});
  await broker?.close();
});

describe('compression.type=zstd receiving gzip', () => {
  const sent = new Map<string, Seen[]>();

  it('kafkajs, kcat and @platformatic/kafka gzip batches are stored as zstd', async () => {
    const a = messages('kafkajs', 50);
    await kafkajsSend('zstd-kafkajs', CODEC_ID.gzip, a);
    sent.set('zstd-kafkajs', a);

    const b = messages('kcat', 50).map((m) => ({ ...m, headers: ['from=kcat'] }));
    await kcatProduce(broker.bootstrap, 'zstd-kcat', 'gzip', b.map((m) => `${m.key}\t${m.value}`), ['from=kcat']);
    sent.set('zstd-kcat', b);

    const c = messages('platformatic', 50);
    await pf.producer.send({
      acks: -1,
      compression: 'gzip',
      messages: c.map((m, i) => ({
        topic: 'zstd-platformatic',
        partition: 0,
        key: Buffer.from(m.key!),
        value: Buffer.from(m.value!),
        timestamp: BigInt(m.timestamp),
        headers: new Map([[Buffer.from('i'), Buffer.from(String(i))], [Buffer.from('tag'), Buffer.from('platformatic')]]),
      })),
    });
    sent.set('zstd-platformatic', c);

    for (const topic of sent.keys()) {
      const codecs = storedCodecs(broker, topic);
      expect(codecs.length, topic).toBeGreaterThan(0);
      expect(new Set(codecs), topic).toEqual(new Set([CODEC_ID.zstd]));
    }
  });

  it('kcat reads them with keys, values, headers and timestamps intact', async () => {
    for (const [topic, want] of sent) {
      const seen = await kcatRead(broker.bootstrap, topic);
      if (topic === 'zstd-kcat') {
        expect(seen.map(({ timestamp: _t, ...m }) => m)).toEqual(want.map(({ timestamp: _t, ...m }) => m));
      } else expect(seen, topic).toEqual(want);
    }
  });

  it('a kafkajs group consumer reads them (when groups are served)', async (ctx) => {
    if (!groupsServed(broker)) ctx.skip();
    const got = await kafkajsGroupRead(kafka, 'e2e-compression-topic', [...sent.keys()], (t) => sent.get(t)!.length);
    for (const [topic, want] of sent) {
      const reference = await kcatRead(broker.bootstrap, topic);
      expect(got.get(topic), topic).toEqual(reference);
      expect(got.get(topic)!.map((m) => m.value)).toEqual(want.map((m) => m.value));
    }
  }, 40_000);

  it.skipIf(!PLATFORMATIC_HAS_ZSTD)('@platformatic/kafka reads them (skipped on Node without zlib zstd: platformatic has no zstd there)', async () => {
    for (const [topic, want] of sent) {
      const seen = await platformaticRead(pf.consumer, broker.context.nodeId, topic, want.length);
      expect(seen.map((m) => m.value)).toEqual(want.map((m) => m.value));
    }
  });
});

describe('compression.type=uncompressed and gzip with a level', () => {
  it('lz4 and snappy batches become uncompressed; every client reads them', async () => {
    const a = messages('lz4', 30);
    const b = messages('snappy', 30);
    await kafkajsSend('plain', CODEC_ID.lz4, a);
    await kafkajsSend('plain', CODEC_ID.snappy, b);
    expect(storedCodecs(broker, 'plain')).toEqual([CODEC_ID.none, CODEC_ID.none]);
    const want = [...a, ...b];
    expect(await kcatRead(broker.bootstrap, 'plain')).toEqual(want);
    expect(await platformaticRead(pf.consumer, broker.context.nodeId, 'plain', want.length)).toEqual(want);
  });

  it('compression.gzip.level set by AlterConfigs applies to recompression', async () => {
    const a = messages('to-gzip', 40);
    await kafkajsSend('gzip-fast', CODEC_ID.zstd, a);
    await kafkajsSend('gzip-fast', CODEC_ID.none, a);
    expect(storedCodecs(broker, 'gzip-fast')).toEqual([CODEC_ID.gzip, CODEC_ID.gzip]);
    // zlib is deterministic per level: the stored payload is exactly the level-1 deflate of the records.
    const log = broker.context.storage.partition('gzip-fast', 0)!;
    const stored = log.read(0, 1 << 20).chunks[0]!;
    const payload = stored.subarray(61, batchSize(stored, 0));
    const records = gunzipSync(payload);
    expect(payload.equals(gzipSync(records, { level: 1 }))).toBe(true);
    expect(payload.equals(gzipSync(records, { level: 6 }))).toBe(false);
    expect(await kcatRead(broker.bootstrap, 'gzip-fast')).toEqual([...a, ...a]);
    expect(await platformaticRead(pf.consumer, broker.context.nodeId, 'gzip-fast', 80)).toEqual([...a, ...a]);
  });
});

describe('compacted topic', () => {
  it('refuses a batch with a keyless record (INVALID_RECORD) and keeps nothing of it', async () => {
    const p = kafka.producer({ retry: { retries: 0 } });
    await p.connect();
    try {
      const err = await p
        .send({ topic: 'compacted', acks: -1, compression: CODEC_ID.lz4, messages: [{ key: 'a', value: '1' }, { value: 'no key' }] })
        .then(() => undefined, (e: unknown) => e);
      expect(err).toBeDefined();
      expect(JSON.stringify(err) + String(err)).toMatch(/INVALID_RECORD|failed the broker's validation/);
      await p.send({ topic: 'compacted', acks: -1, compression: CODEC_ID.lz4, messages: [{ key: 'a', value: '1' }, { key: 'b', value: null }] });
    } finally {
      await p.disconnect();
    }
    expect(storedCodecs(broker, 'compacted')).toEqual([CODEC_ID.lz4]);
    const seen = await kcatRead(broker.bootstrap, 'compacted');
    expect(seen.map((m) => [m.key, m.value])).toEqual([['a', '1'], ['b', null]]);
  });
});
