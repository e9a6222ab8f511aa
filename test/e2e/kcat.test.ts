/**
 * kcat (Debian's, on librdkafka) against a real Brook broker: metadata listing, 10,000 keyed messages
 * with headers produced, then consumed back without a group and compared exactly — keys, values,
 * headers, offsets and partitions (librdkafka's `consistent` partitioner is CRC-32 of the key modulo
 * the partition count, so the partition of every message is known in advance).
 */
import CRC32 from 'crc-32';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Broker } from '../../src/server/broker.js';
import { byPartition, kcat, kcatConsumeAll, testBroker } from './helpers.js';

const TOPIC = 'e2e-kcat';
const PARTITIONS = 4;
const COUNT = 10_000;

let broker: Broker;

beforeAll(async () => {
  broker = await testBroker({ config: { 'num.partitions': PARTITIONS, 'auto.create.topics.enable': true } });
});

afterAll(async () => {
  await broker?.close();
});

/** librdkafka's "consistent" partitioner: CRC-32 (IEEE) of the key, modulo the partition count. */
function partitionOfKey(key: string): number {
  return (CRC32.buf(Buffer.from(key)) >>> 0) % PARTITIONS;
}

describe('kcat end to end', () => {
  it('lists the broker and topics (-L)', async () => {
    const { stdout } = await kcat(['-b', broker.bootstrap, '-L', '-J']);
    const meta = JSON.parse(stdout) as {
      brokers: Array<{ id: number; name: string }>;
      topics: Array<{ topic: string }>;
    };
    expect(meta.brokers).toEqual([{ id: broker.context.nodeId, name: broker.bootstrap }]);
    expect(meta.topics.filter((t) => !t.topic.startsWith('__'))).toEqual([]);
  });

  it('produces 10,000 keyed messages with headers (-P) and reads them back exactly (-C -o beginning -e)', async () => {
    await produceAndCompare(TOPIC, COUNT, []);
    const { stdout } = await kcat(['-b', broker.bootstrap, '-L', '-t', TOPIC, '-J']);
    const topic = (JSON.parse(stdout) as { topics: Array<{ topic: string; partitions: Array<{ partition: number; leader: number }> }> })
      .topics[0]!;
    expect(topic.topic).toBe(TOPIC);
    expect(topic.partitions.map((p) => p.partition).sort()).toEqual([0, 1, 2, 3]);
    for (const p of topic.partitions) expect(p.leader).toBe(broker.context.nodeId);
  });

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    it(`round-trips ${codec}-compressed batches`, async () => {
      await produceAndCompare(`${TOPIC}-${codec}`, 2000, ['-z', codec]);
    });
  }

  // librdkafka re-enables ApiVersions for a fallback of 0.10.0 or later, so these are the old ones.
  for (const [fallback, codec] of [['0.8.0', 'none'], ['0.8.2', 'gzip'], ['0.9.0', 'snappy']] as const) {
    it(`speaks to a client limited to Kafka ${fallback}'s protocol (magic 0 message sets both ways, ${codec})`, async () => {
      const old = ['-X', 'api.version.request=false', '-X', `broker.version.fallback=${fallback}`, '-z', codec];
      const topic = `${TOPIC}-old-${fallback.replaceAll('.', '-')}`;
      const lines = Array.from({ length: 300 }, (_, i) => `key-${i}:value-${i}`);
      // Old producer, modern consumer (v2 batches up-converted from magic 0/1 on the way in).
      await kcat(['-b', broker.bootstrap, ...old, '-P', '-t', topic, '-K', ':', '-X', 'partitioner=consistent'], {
        input: lines.slice(0, 150).join('\n') + '\n',
      });
      // Modern producer, old consumer (down-converted on the way out).
      await kcat(['-b', broker.bootstrap, '-P', '-t', topic, '-K', ':', '-X', 'partitioner=consistent'], {
        input: lines.slice(150).join('\n') + '\n',
      });
      const read = async (args: string[]) => {
        const { stdout } = await kcat(['-b', broker.bootstrap, ...args, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p %o %k:%s\n']);
        return stdout.split('\n').filter((l) => l !== '').sort();
      };
      const expected: string[] = [];
      const next = new Map<number, number>();
      for (const line of lines) {
        const p = partitionOfKey(line.split(':')[0]!);
        const offset = next.get(p) ?? 0;
        next.set(p, offset + 1);
        expected.push(`${p} ${offset} ${line}`);
      }
      expected.sort();
      expect(await read([])).toEqual(expected);
      expect(await read(old)).toEqual(expected);
    });
  }

  it('makes progress when a batch is larger than fetch.max.bytes (KIP-74: the first batch always comes whole)', async () => {
    const topic = `${TOPIC}-large-batches`;
    const value = 'y'.repeat(1000);
    await kcat(['-b', broker.bootstrap, '-P', '-t', topic, '-p', '0', '-X', 'linger.ms=200'], {
      input: Array.from({ length: 500 }, () => value).join('\n') + '\n',
    });
    const { stdout } = await kcat([
      '-b', broker.bootstrap, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o %S\n',
      '-X', 'fetch.max.bytes=2048', '-X', 'message.max.bytes=1000', '-X', 'max.partition.fetch.bytes=1024',
    ]);
    const lines = stdout.split('\n').filter((l) => l !== '');
    expect(lines).toEqual(Array.from({ length: 500 }, (_, i) => `${i} 1000`));
  });

  it('queries offsets by time (-Q) and reads a single partition from an offset', async () => {
    // kcat -Q -J prints {"<topic>": {"topic": "<topic>", "<partition>": {"partition": p, "offset": o}}}.
    const query = async (ts: number) => {
      const { stdout } = await kcat(['-b', broker.bootstrap, '-Q', '-t', `${TOPIC}:0:${ts}`, '-t', `${TOPIC}:3:${ts}`, '-J']);
      const answer = (JSON.parse(stdout) as Record<string, Record<string, unknown>>)[TOPIC]!;
      return [answer['0'], answer['3']];
    };
    // Timestamp 0: the first offset. A timestamp after every record: Kafka answers offset -1.
    expect(await query(0)).toEqual([{ partition: 0, offset: 0 }, { partition: 3, offset: 0 }]);
    expect(await query(Date.now() + 3_600_000)).toEqual([{ partition: 0, offset: -1 }, { partition: 3, offset: -1 }]);

    const { stdout: tail } = await kcat(['-b', broker.bootstrap, '-C', '-t', TOPIC, '-p', '0', '-o', '-3', '-e', '-q', '-J']);
    const last = tail.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { offset: number });
    const end = (await kcatConsumeAll(broker.bootstrap, TOPIC)).filter((m) => m.partition === 0).length;
    expect(last.map((m) => m.offset)).toEqual([end - 3, end - 2, end - 1]);
  });
});

/** Produces `count` keyed messages with two headers through kcat, reads them back, compares exactly. */
async function produceAndCompare(topic: string, count: number, extra: string[]): Promise<void> {
  const value = (i: number) => `value-${i}-${'x'.repeat(i % 50)}`;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`key-${i}\t${value(i)}`);
  await kcat(
    ['-b', broker.bootstrap, '-P', '-t', topic, '-K', '\t', '-H', 'origin=kcat', '-H', 'kind=e2e', '-X', 'partitioner=consistent', '-X', 'acks=all', ...extra],
    { input: lines.join('\n') + '\n' },
  );

  const messages = await kcatConsumeAll(broker.bootstrap, topic);
  expect(messages.length).toBe(count);
  const expected = new Map<number, Array<{ key: string; payload: string }>>();
  for (let i = 0; i < count; i++) {
    const k = `key-${i}`;
    const list = expected.get(partitionOfKey(k)) ?? [];
    list.push({ key: k, payload: value(i) });
    expected.set(partitionOfKey(k), list);
  }
  const parts = byPartition(messages);
  expect([...parts.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [p, want] of expected) {
    const got = parts.get(p)!;
    expect(got.map((m) => m.offset), `partition ${p} offsets`).toEqual(want.map((_, n) => n));
    expect(got.map((m) => ({ key: m.key, payload: m.payload })), `partition ${p} records`).toEqual(want);
    for (const m of got) {
      if (m.headers?.join(',') !== 'origin,kcat,kind,e2e') expect(m.headers).toEqual(['origin', 'kcat', 'kind', 'e2e']);
      expect(m.topic).toBe(topic);
    }
  }
}
