/**
 * Cross-client compression matrix: for each codec (none, gzip, snappy, lz4, zstd), each producer
 * (kafkajs with Brook's codecs, kcat/librdkafka, @platformatic/kafka) writes keyed messages with
 * headers and timestamps; each reader (kcat -C -J, @platformatic/kafka by offset, and a kafkajs group
 * consumer when the broker serves groups) must see the same keys, values, headers and timestamps.
 * The topics keep the producer's codec (compression.type=producer), so storage must hold the batches
 * with the codec each producer chose: the fast path stores bytes as produced.
 *
 * Cells skipped, with the reason:
 *   - @platformatic/kafka and zstd: it enables zstd only where node:zlib has it (Node >= 22.15);
 *   - @platformatic/kafka reading snappy written by kafkajs: kafkajs here uses Brook's codec, which
 *     writes the xerial framing Java producers write, and platformatic's snappy reads raw blocks only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Broker } from '../../src/server/broker.js';
import { testBroker } from './helpers.js';
import {
  CODECS,
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
  type CodecName,
  type Seen,
} from './compression-clients.js';
import kafkajs from 'kafkajs';

const PRODUCERS = ['kafkajs', 'kcat', 'platformatic'] as const;
type ProducerName = (typeof PRODUCERS)[number];
const COUNT = 40;
const T0 = Date.now() - 60_000;
const KCAT_HEADERS = ['source=kcat', 'trace=abc'];

let broker: Broker;
let kafka: kafkajs.Kafka;
let pf: ReturnType<typeof platformaticClients>;
/** What each topic's producer meant to write (kcat: timestamps are librdkafka's, filled in from kcat's own read). */
const expected = new Map<string, Seen[]>();

const topicOf = (producer: ProducerName, codec: CodecName) => `matrix-${producer}-${codec}`;
const value = (i: number, codec: string) => `${codec} payload ${i} `.repeat(8 + (i % 5));

function canProduce(producer: ProducerName, codec: CodecName): boolean {
  return !(producer === 'platformatic' && codec === 'zstd' && !PLATFORMATIC_HAS_ZSTD);
}

function platformaticCanRead(producer: ProducerName, codec: CodecName): string | undefined {
  if (codec === 'zstd' && !PLATFORMATIC_HAS_ZSTD) return 'no zstd in @platformatic/kafka on this Node';
  if (codec === 'snappy' && producer === 'kafkajs') return 'platformatic cannot decode xerial-framed snappy';
  return undefined;
}

async function produce(producer: ProducerName, codec: CodecName): Promise<void> {
  const topic = topicOf(producer, codec);
  const messages: Seen[] = Array.from({ length: COUNT }, (_, i) => ({
    key: `key-${i}`,
    value: value(i, codec),
    headers: producer === 'kcat' ? [...KCAT_HEADERS] : [`seq=${i}`, `codec=${codec}`],
    timestamp: T0 + i * 1000,
  }));
  if (producer === 'kafkajs') {
    const p = kafka.producer();
    await p.connect();
    await p.send({
      topic,
      acks: -1,
      compression: CODEC_ID[codec],
      messages: messages.map((m, i) => ({ partition: 0, key: m.key, value: m.value, timestamp: String(m.timestamp), headers: { seq: String(i), codec } })),
    });
    await p.disconnect();
  } else if (producer === 'platformatic') {
    await pf.producer.send({
      acks: -1,
      compression: codec,
      messages: messages.map((m, i) => ({
        topic,
        partition: 0,
        key: Buffer.from(m.key!),
        value: Buffer.from(m.value!),
        timestamp: BigInt(m.timestamp),
        headers: new Map([[Buffer.from('seq'), Buffer.from(String(i))], [Buffer.from('codec'), Buffer.from(codec)]]),
      })),
    });
  } else {
    await kcatProduce(broker.bootstrap, topic, codec, messages.map((m) => `${m.key}\t${m.value}`), KCAT_HEADERS);
  }
  expected.set(topic, messages);
}

beforeAll(async () => {
  registerKafkajsCodecs();
  broker = await testBroker();
  kafka = kafkajsClient(broker.bootstrap);
  pf = platformaticClients(broker.bootstrap);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: PRODUCERS.flatMap((p) => CODECS.map((c) => ({ topic: topicOf(p, c), numPartitions: 1 }))),
    waitForLeaders: true,
  });
  await admin.disconnect();
  const jobs: Promise<void>[] = [];
  for (const p of PRODUCERS) for (const c of CODECS) if (canProduce(p, c)) jobs.push(produce(p, c));
  await Promise.all(jobs);
}, 60_000);

afterAll(async () => {
  await pf?.producer.close().catch(() => {});
  await pf?.consumer.close().catch(() => {});
  await broker?.close();
});

const kcatCache = new Map<string, Promise<Seen[]>>();
/** kcat's view of a topic, read once. */
const kcatSeen = (topic: string) => {
  let p = kcatCache.get(topic);
  if (p === undefined) kcatCache.set(topic, (p = kcatRead(broker.bootstrap, topic)));
  return p;
};

/** kcat's timestamps are librdkafka's own: take them from the stored data once, then compare everywhere. */
function withTimestamps(topic: string, reference: Seen[]): Seen[] {
  const want = expected.get(topic)!;
  return topic.includes('-kcat-') ? want.map((m, i) => ({ ...m, timestamp: reference[i]?.timestamp ?? -1 })) : want;
}

describe('compression matrix', () => {
  for (const producer of PRODUCERS) {
    for (const codec of CODECS) {
      const topic = topicOf(producer, codec);
      describe(`${producer} → ${codec}`, () => {
        if (!canProduce(producer, codec)) {
          it.skip(`${producer} cannot produce ${codec} on this Node (no zstd in node:zlib)`, () => {});
          return;
        }

        it('is stored with the producer codec, bytes as produced', () => {
          const codecs = storedCodecs(broker, topic);
          expect(codecs.length).toBeGreaterThan(0);
          expect(new Set(codecs)).toEqual(new Set([CODEC_ID[codec]]));
        });

        it('kcat reads keys, values, headers and timestamps', async () => {
          const seen = await kcatSeen(topic);
          expect(seen).toEqual(withTimestamps(topic, seen));
          if (producer === 'kcat') for (const m of seen) expect(m.timestamp).toBeGreaterThan(T0);
        });

        const reason = platformaticCanRead(producer, codec);
        it.skipIf(reason !== undefined)(`@platformatic/kafka reads by offset${reason ? ` (skipped: ${reason})` : ''}`, async () => {
          const seen = await platformaticRead(pf.consumer, broker.context.nodeId, topic, COUNT);
          const reference = await kcatSeen(topic);
          expect(seen).toEqual(withTimestamps(topic, reference));
        });
      });
    }
  }

  it('a kafkajs group consumer reads every topic of the matrix (when groups are served)', async (ctx) => {
    if (!groupsServed(broker)) ctx.skip();
    const topics = [...expected.keys()];
    const got = await kafkajsGroupRead(kafka, 'e2e-compression-matrix', topics, () => COUNT);
    for (const topic of topics) {
      const reference = await kcatSeen(topic);
      expect(got.get(topic), topic).toEqual(withTimestamps(topic, reference));
    }
  }, 60_000);
});
