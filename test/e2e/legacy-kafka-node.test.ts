/**
 * kafka-node 5 (an npm client older than Kafka 0.11's record batches) against Brook: it produces legacy
 * message sets and consumes down-converted ones, and kafkajs / kcat read what it wrote and the reverse.
 *
 * What kafka-node really sends (taken from the broker's debug log and asserted below):
 *   - answered ApiVersions (v0): Metadata v1, Produce v2 (magic-1 message sets; compressed ones are a
 *     magic-1 wrapper around magic-1 messages), and, for its group-less Consumer, Fetch v0 (Brook
 *     down-converts to magic 0: no timestamps); its ConsumerGroup (JoinGroup/SyncGroup v0) fetches
 *     with Fetch v2 (magic 1, timestamps kept);
 *   - ApiVersions left unanswered (how it meets a Kafka 0.9 broker; Brook's fault injection drops the
 *     answer, kafka-node times out after 500 ms and falls back): Produce v1 with magic-0 messages, Fetch v0.
 *     In that mode kafka-node's compressed produce is malformed (a magic-0 wrapper around magic-1
 *     messages, which Kafka's validator refuses too), so it produces uncompressed there.
 * kafka-node has gzip and (optional native) snappy, no lz4 or zstd; zstd is UNSUPPORTED_COMPRESSION_TYPE
 * for Fetch < v10, as in Kafka. Where kafka-node's optional snappy 6 did not build, snappy cases are
 * left out.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Broker } from '../../src/server/broker.js';
import type { LogRecord } from '../../src/server/logger.js';
import { testBroker } from './helpers.js';
import { CODEC_ID, groupsServed, kafkajsClient, kafkajsGroupRead, kcatRead, registerKafkajsCodecs, storedCodecs, type Seen } from './compression-clients.js';

// kafka-node ships no types: the few calls used here, typed.
interface KnMessage {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  timestamp?: Date;
}
interface KnClient {
  close(cb: () => void): void;
}
interface KnProducer {
  on(event: 'ready', cb: () => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
  send(payloads: unknown[], cb: (err: Error | null, data: unknown) => void): void;
}
interface KnConsumer {
  on(event: 'message', cb: (m: KnMessage) => void): void;
  on(event: 'error' | 'offsetOutOfRange', cb: (err: Error) => void): void;
  close(force: boolean, cb: () => void): void;
}
interface KnConsumerGroup {
  on(event: 'message', cb: (m: KnMessage) => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
  close(commit: boolean, cb: () => void): void;
}
interface KafkaNode {
  ConsumerGroup: new (options: Record<string, unknown>, topics: string[]) => KnConsumerGroup;
  KafkaClient: new (options: Record<string, unknown>) => KnClient;
  Producer: new (client: KnClient, options: Record<string, unknown>) => KnProducer;
  Consumer: new (client: KnClient, payloads: unknown[], options: Record<string, unknown>) => KnConsumer;
  KeyedMessage: new (key: string, value: string) => unknown;
}
const requireCjs = createRequire(import.meta.url);
/**
 * kafka-node loads snappy with `optional('snappy')`, which resolves from the `optional` package at the
 * top of node_modules, so it finds Brook's own snappy 7 (a promise API: kafka-node's callbacks would
 * never fire) instead of the snappy 6 it declares and npm installed beside it. Point that lookup at
 * kafka-node's own copy, as a standalone kafka-node install would have it.
 */
function useKafkaNodeOwnSnappy(): boolean {
  const fromKafkaNode = createRequire(requireCjs.resolve('kafka-node'));
  try {
    // Its optional native snappy 6 may have failed to build (no compiler): then snappy is left out here.
    const version = (fromKafkaNode('snappy/package.json') as { version: string }).version;
    if (!version.startsWith('6.')) return false;
    const own = fromKafkaNode('snappy') as unknown;
    const id = createRequire(requireCjs.resolve('optional')).resolve('snappy');
    const mod = new (requireCjs('node:module') as { Module: new (id: string) => { exports: unknown; loaded: boolean; filename: string } }).Module(id);
    mod.exports = own;
    mod.loaded = true;
    mod.filename = id;
    (requireCjs.cache as Record<string, unknown>)[id] = mod;
    return true;
  } catch {
    return false;
  }
}
/** kafka-node's own snappy is usable (else the snappy cases are skipped, with that reason). */
const KN_SNAPPY = useKafkaNodeOwnSnappy();
const kafkaNode = requireCjs('kafka-node') as KafkaNode;

const T0 = Date.now() - 10_000;
const KN_ATTRIBUTES = { none: 0, gzip: 1, snappy: 2 } as const;

let broker: Broker;
const logs: LogRecord[] = [];

/** Versions of `api` kafka-node's client id used since `from` (an index into the log). */
function versionsUsed(api: string, from = 0): number[] {
  const seen = new Set<number>();
  for (const r of logs.slice(from)) {
    if (r.msg === 'request' && r.fields.api === api && r.fields.clientId === 'kafka-node-client') seen.add(r.fields.v as number);
  }
  return [...seen].sort();
}

function knClient(): KnClient {
  return new kafkaNode.KafkaClient({ kafkaHost: broker.bootstrap, requestTimeout: 10_000 });
}

const producers = new WeakMap<KnClient, Promise<KnProducer>>();

/** One Producer per client: kafka-node emits 'ready' once per client, so a second Producer would wait forever. */
function knProducer(client: KnClient): Promise<KnProducer> {
  let p = producers.get(client);
  if (p === undefined) {
    const producer = new kafkaNode.Producer(client, { requireAcks: 1 });
    p = new Promise<KnProducer>((resolve, reject) => {
      producer.on('ready', () => resolve(producer));
      producer.on('error', reject);
    });
    producers.set(client, p);
  }
  return p;
}

async function knProduce(client: KnClient, topic: string, codec: keyof typeof KN_ATTRIBUTES, messages: Array<{ key: string; value: string }>): Promise<void> {
  const producer = await knProducer(client);
  await new Promise<void>((resolve, reject) =>
    producer.send(
      [{ topic, partition: 0, attributes: KN_ATTRIBUTES[codec], messages: messages.map((m) => new kafkaNode.KeyedMessage(m.key, m.value)) }],
      (err) => (err ? reject(err) : resolve()),
    ),
  );
}

/**
 * kafka-node's group-less Consumer, on a client of its own, from offset 0 until `count` messages
 * arrived. (Closing a kafka-node Consumer closes its client, so each read gets a fresh one.)
 */
async function knConsume(topic: string, count: number, fetchMaxBytes = 1024 * 1024): Promise<KnMessage[]> {
  const client = knClient();
  const got: KnMessage[] = [];
  const consumer = new kafkaNode.Consumer(client, [{ topic, partition: 0, offset: 0 }], {
    fromOffset: true,
    autoCommit: false,
    encoding: 'utf8',
    keyEncoding: 'utf8',
    fetchMaxWaitMs: 50,
    fetchMaxBytes,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`kafka-node got ${got.length}/${count} messages`)), 15_000);
      consumer.on('message', (m) => {
        got.push(m);
        if (got.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      });
      consumer.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  } finally {
    await new Promise<void>((resolve) => consumer.close(true, resolve));
  }
  return got;
}

const closeClient = (c: KnClient) => new Promise<void>((resolve) => c.close(resolve));

const keyed = (tag: string, n: number, size = 1) =>
  Array.from({ length: n }, (_, i) => ({ key: `${tag}-k${i}`, value: `${tag} value ${i} `.repeat(size) }));

async function kafkajsSend(topic: string, codec: number, list: Seen[]): Promise<void> {
  const p = kafkajsClient(broker.bootstrap, 'e2e-legacy-kafkajs').producer();
  await p.connect();
  try {
    await p.send({ topic, acks: -1, compression: codec, messages: list.map((m) => ({ partition: 0, key: m.key, value: m.value, timestamp: String(m.timestamp) })) });
  } finally {
    await p.disconnect();
  }
}

beforeAll(async () => {
  registerKafkajsCodecs();
  broker = await testBroker({ logLevel: 'debug', log: (r) => logs.push(r) });
  for (const t of ['kn-plain', 'kn-gzip', 'kn-snappy', 'kjs-to-kn', 'kn-small', 'kn-zstd', 'kn-old', 'kjs-to-kn-old', 'kjs-to-kn-group']) {
    broker.context.storage.createTopic(t, { partitions: 1 });
  }
});

afterAll(async () => {
  await broker?.close();
});

describe('kafka-node with ApiVersions (Produce v2, Fetch v0)', () => {
  const written = new Map<string, Array<{ key: string; value: string }>>();

  it('produces uncompressed, gzip and snappy message sets; they are stored as v2 batches in the same codec', async () => {
    const client = knClient();
    const mark = logs.length;
    try {
      for (const codec of KN_SNAPPY ? (['none', 'gzip', 'snappy'] as const) : (['none', 'gzip'] as const)) {
        const topic = codec === 'none' ? 'kn-plain' : `kn-${codec}`;
        const list = keyed(codec, 25, 5);
        await knProduce(client, topic, codec, list);
        written.set(topic, list);
        expect(new Set(storedCodecs(broker, topic))).toEqual(new Set([CODEC_ID[codec]]));
      }
    } finally {
      await closeClient(client);
    }
    expect(versionsUsed('ApiVersions', mark)).toEqual([0]);
    expect(versionsUsed('Produce', mark)).toEqual([2]);
  });

  const kcatSeen = new Map<string, Seen[]>();
  it('kcat reads what kafka-node wrote: keys, values and the magic-1 timestamps kafka-node set', async () => {
    for (const [topic, list] of written) {
      const seen = await kcatRead(broker.bootstrap, topic);
      kcatSeen.set(topic, seen);
      expect(seen.map(({ timestamp: _t, ...m }) => m)).toEqual(list.map((m) => ({ key: m.key, value: m.value, headers: [] })));
      // kafka-node stamps Date.now() into magic-1 messages; the batch keeps it.
      for (const m of seen) expect(Math.abs(m.timestamp - Date.now())).toBeLessThan(120_000);
    }
  });

  it('a kafkajs group consumer reads what kafka-node wrote (when groups are served)', async (ctx) => {
    if (!groupsServed(broker)) ctx.skip();
    const kafka = kafkajsClient(broker.bootstrap, 'e2e-legacy-kafkajs');
    const got = await kafkajsGroupRead(kafka, 'e2e-legacy', [...written.keys()], (t) => written.get(t)!.length);
    for (const topic of written.keys()) expect(got.get(topic), topic).toEqual(kcatSeen.get(topic));
  }, 40_000);

  it('kafka-node reads back its own messages (Fetch v0, down-converted to magic 0)', async () => {
    const mark = logs.length;
    for (const [topic, list] of written) {
      const got = await knConsume(topic, list.length);
      expect(got.map((m) => [m.offset, m.key, m.value])).toEqual(list.map((m, i) => [i, m.key, m.value]));
    }
    expect(versionsUsed('Fetch', mark)).toEqual([0]);
  });

  it('kafka-node reads kafkajs batches (none, gzip, snappy, several batches) down-converted', async () => {
    const all: Seen[] = [];
    for (const codec of [CODEC_ID.none, CODEC_ID.gzip, KN_SNAPPY ? CODEC_ID.snappy : CODEC_ID.none, CODEC_ID.gzip]) {
      const list = Array.from({ length: 20 }, (_, i) => ({ key: `kjs-${all.length + i}`, value: `from kafkajs ${codec} #${all.length + i}`, headers: [], timestamp: T0 + i }));
      await kafkajsSend('kjs-to-kn', codec, list);
      all.push(...list);
    }
    const got = await knConsume('kjs-to-kn', all.length);
    expect(got.map((m) => [m.offset, m.key, m.value])).toEqual(all.map((m, i) => [i, m.key, m.value]));
  });

  it('honours a small fetchMaxBytes: every message exactly once, in order, over many fetches', async () => {
    const list = keyed('small', 200, 3);
    const mark = logs.length;
    // One uncompressed batch of 200 records (~90 bytes each as magic 0): each 1 KiB fetch starts mid-batch.
    await kafkajsSend('kn-small', CODEC_ID.none, list.map((m) => ({ ...m, headers: [], timestamp: T0 })));
    const got = await knConsume('kn-small', list.length, 1024);
    expect(got.map((m) => [m.offset, m.key, m.value])).toEqual(list.map((m, i) => [i, m.key, m.value]));
    const fetches = logs.slice(mark).filter((r) => r.msg === 'request' && r.fields.api === 'Fetch').length;
    expect(fetches).toBeGreaterThanOrEqual(15);
  });

  it('a zstd topic answers kafka-node with UNSUPPORTED_COMPRESSION_TYPE, and the broker keeps serving', async () => {
    await kafkajsSend('kn-zstd', CODEC_ID.zstd, [{ key: 'z', value: 'zstd', headers: [], timestamp: T0 }]);
    const err = await knConsume('kn-zstd', 1).then(() => undefined, (e: unknown) => e);
    // An error answer (Fetch v0 cannot carry zstd), not the test's own timeout.
    expect(err).toBeDefined();
    expect(String(err)).not.toMatch(/kafka-node got/);
    expect(await kcatRead(broker.bootstrap, 'kn-zstd')).toEqual([{ key: 'z', value: 'zstd', headers: [], timestamp: T0 }]);
  });
});

describe('kafka-node ConsumerGroup (Fetch v2: down-converted to magic 1, timestamps kept)', () => {
  it('reads kafkajs batches (none, gzip, snappy) with their timestamps (when groups are served)', async (ctx) => {
    if (!groupsServed(broker)) ctx.skip();
    const all: Seen[] = [];
    for (const codec of [CODEC_ID.gzip, CODEC_ID.none, KN_SNAPPY ? CODEC_ID.snappy : CODEC_ID.none]) {
      const list = Array.from({ length: 15 }, (_, i) => ({ key: `cg-${all.length + i}`, value: `group ${codec} #${all.length + i}`, headers: [], timestamp: T0 + all.length + i }));
      await kafkajsSend('kjs-to-kn-group', codec, list);
      all.push(...list);
    }
    const mark = logs.length;
    const got: KnMessage[] = [];
    const group = new kafkaNode.ConsumerGroup(
      { kafkaHost: broker.bootstrap, groupId: 'e2e-legacy-kn-group', fromOffset: 'earliest', encoding: 'utf8', keyEncoding: 'utf8', fetchMaxWaitMs: 50, sessionTimeout: 10_000 },
      ['kjs-to-kn-group'],
    );
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`kafka-node group got ${got.length}/${all.length}`)), 20_000);
        group.on('message', (m) => {
          got.push(m);
          if (got.length >= all.length) {
            clearTimeout(timer);
            resolve();
          }
        });
        group.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      });
    } finally {
      await new Promise<void>((resolve) => group.close(true, resolve));
    }
    expect(got.map((m) => [m.offset, m.key, m.value, m.timestamp?.getTime()])).toEqual(all.map((m, i) => [i, m.key, m.value, m.timestamp]));
    expect(versionsUsed('Fetch', mark)).toEqual([2]);
  }, 30_000);
});

describe('kafka-node as against Kafka 0.9 (ApiVersions unanswered: Produce v1 magic 0, Fetch v0)', () => {
  it('produces magic-0 messages that kcat and kafka-node read; kafka-node reads kafkajs gzip batches', async () => {
    // kafkajs and kcat send ApiVersions too: they write and read while it is answered.
    const fromKafkajs = Array.from({ length: 40 }, (_, i) => ({ key: `g${i}`, value: `gzip ${i} `.repeat(6), headers: [], timestamp: T0 }));
    await kafkajsSend('kjs-to-kn-old', CODEC_ID.gzip, fromKafkajs);
    const list = keyed('old', 30, 4);
    broker.context.faults.dropResponseAfterHandling(18, Infinity);
    const mark = logs.length;
    const client = knClient();
    try {
      await knProduce(client, 'kn-old', 'none', list);
      const back = await knConsume('kn-old', list.length, 2048);
      expect(back.map((m) => [m.offset, m.key, m.value])).toEqual(list.map((m, i) => [i, m.key, m.value]));
      const got = await knConsume('kjs-to-kn-old', fromKafkajs.length);
      expect(got.map((m) => [m.offset, m.key, m.value])).toEqual(fromKafkajs.map((m, i) => [i, m.key, m.value]));
    } finally {
      await closeClient(client);
      broker.context.faults.clear();
    }
    expect(versionsUsed('Produce', mark)).toEqual([1]);
    expect(versionsUsed('Fetch', mark)).toEqual([0]);
    // Magic 0 carries no timestamp: the stored records have none (-1), which kcat shows as such.
    const seen = await kcatRead(broker.bootstrap, 'kn-old');
    expect(seen).toEqual(list.map((m) => ({ key: m.key, value: m.value, headers: [], timestamp: -1 })));
  });
});
