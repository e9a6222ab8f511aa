/**
 * Client plumbing for the compression and legacy e2e tests: kafkajs codecs backed by Brook's own
 * (src/protocol/records/compression), each real client's produce and read calls reduced to one
 * message shape so the matrix can compare what every client saw. Real clients only.
 */
import * as zlib from 'node:zlib';
import kafkajs from 'kafkajs';
import { Consumer as PlatformaticConsumer, Producer as PlatformaticProducer } from '@platformatic/kafka';
import { codecFor } from '../../src/protocol/records/compression/index.js';
import { batchCompression, batchSize } from '../../src/protocol/records/batch-header.js';
import type { Broker } from '../../src/server/broker.js';
import { kcat, type KcatMessage } from './helpers.js';

export const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CodecName = (typeof CODECS)[number];
export const CODEC_ID: Readonly<Record<CodecName, number>> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

/** @platformatic/kafka enables zstd only where node:zlib has it (Node >= 22.15). */
export const PLATFORMATIC_HAS_ZSTD = typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function';

/** One message as every client's output is reduced to. Headers as "k=v" in record order. */
export interface Seen {
  key: string | null;
  value: string | null;
  headers: string[];
  timestamp: number;
}

/** kafkajs ships gzip only: snappy (xerial, as Java writes), lz4 and zstd from Brook's codecs. */
export function registerKafkajsCodecs(): void {
  const { CompressionCodecs, CompressionTypes } = kafkajs;
  for (const type of [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD]) {
    (CompressionCodecs as Record<number, unknown>)[type] = () => ({
      compress: async (encoder: { buffer: Buffer }) => codecFor(type).compress(encoder.buffer),
      decompress: async (buffer: Buffer) => codecFor(type).decompress(buffer),
    });
  }
}

export function kafkajsClient(bootstrap: string, clientId = 'e2e-compression'): kafkajs.Kafka {
  return new kafkajs.Kafka({ clientId, brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50 } });
}

/** The codec id of every stored batch of partition 0 (read straight from storage). */
export function storedCodecs(broker: Broker, topic: string): number[] {
  const log = broker.context.storage.partition(topic, 0)!;
  const read = log.read(log.logStartOffset, 64 << 20);
  const out: number[] = [];
  for (const chunk of read.chunks) {
    for (let p = 0; p + 61 <= chunk.length; p += batchSize(chunk, p)) out.push(batchCompression(chunk, p));
  }
  read.release();
  return out;
}

/** Every message of `topic` as kcat -C -J sees it (from the beginning to the end, no group). */
export async function kcatRead(bootstrap: string, topic: string): Promise<Seen[]> {
  const { stdout } = await kcat(['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-J', '-X', 'fetch.wait.max.ms=20']);
  const messages = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as KcatMessage);
  return messages
    .sort((a, b) => a.offset - b.offset)
    .map((m) => {
      const headers: string[] = [];
      for (let i = 0; m.headers !== undefined && i < m.headers.length; i += 2) headers.push(`${m.headers[i]}=${m.headers[i + 1]}`);
      return { key: m.key, value: m.payload, headers, timestamp: m.ts };
    });
}

/** kcat producer: one message per line "key\tvalue", the same headers on each, librdkafka's codec. */
export async function kcatProduce(bootstrap: string, topic: string, codec: CodecName, lines: string[], headers: string[]): Promise<void> {
  const args = ['-b', bootstrap, '-P', '-t', topic, '-p', '0', '-K', '\t', '-z', codec, '-X', 'linger.ms=20', '-q'];
  for (const h of headers) args.push('-H', h);
  await kcat(args, { input: lines.join('\n') + '\n' });
}

/** Reads partition 0 of `topic` by offset with @platformatic/kafka's group-less fetch (Fetch v12+). */
export async function platformaticRead(consumer: PlatformaticConsumer, nodeId: number, topic: string, count: number): Promise<Seen[]> {
  const meta = await consumer.metadata({ topics: [topic], forceUpdate: true });
  const topicId = meta.topics.get(topic)!.id;
  const out: Seen[] = [];
  let next = 0n;
  for (let round = 0; round < 100 && out.length < count; round++) {
    const response = await consumer.fetch({
      node: nodeId,
      maxWaitTime: 50,
      topics: [{ topicId, partitions: [{ partition: 0, fetchOffset: next, currentLeaderEpoch: -1, lastFetchedEpoch: -1, partitionMaxBytes: 1 << 20 }] }],
    });
    for (const t of response.responses) {
      for (const p of t.partitions) {
        if (p.errorCode !== 0) throw new Error(`platformatic fetch error ${p.errorCode}`);
        for (const batch of p.records ?? []) {
          for (const r of batch.records) {
            const offset = batch.firstOffset + BigInt(r.offsetDelta);
            if (offset < next) continue;
            out.push({
              key: r.key === null || r.key === undefined ? null : r.key.toString(),
              value: r.value === null || r.value === undefined ? null : r.value.toString(),
              headers: r.headers.map(([k, v]) => `${k?.toString()}=${v?.toString()}`),
              timestamp: Number(batch.firstTimestamp + BigInt(r.timestampDelta)),
            });
            next = offset + 1n;
          }
        }
      }
    }
  }
  return out;
}

export function platformaticClients(bootstrap: string): { producer: PlatformaticProducer; consumer: PlatformaticConsumer } {
  const base = { clientId: 'e2e-compression-platformatic', bootstrapBrokers: [bootstrap], retries: 2 };
  return { producer: new PlatformaticProducer(base), consumer: new PlatformaticConsumer({ ...base, groupId: 'e2e-compression-unused' }) };
}

/** Whether the broker serves the classic group APIs a kafkajs consumer needs. */
export function groupsServed(broker: Broker): boolean {
  const keys = new Set(broker.context.apiVersions.map((a) => a.apiKey));
  return [8, 9, 10, 11, 12, 13, 14].every((k) => keys.has(k));
}

/** Reads `count` messages from each topic with a kafkajs group consumer (from the beginning). */
export async function kafkajsGroupRead(kafka: kafkajs.Kafka, groupId: string, topics: readonly string[], count: (topic: string) => number): Promise<Map<string, Seen[]>> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50, sessionTimeout: 10_000, heartbeatInterval: 500 });
  const got = new Map<string, Seen[]>(topics.map((t) => [t, []]));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const complete = () => topics.every((t) => got.get(t)!.length >= count(t));
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        got.get(topic)!.push({
          key: message.key === null ? null : message.key.toString(),
          value: message.value === null ? null : message.value.toString(),
          headers: Object.entries(message.headers ?? {}).map(([k, v]) => `${k}=${String(v)}`),
          timestamp: Number(message.timestamp),
        });
        if (complete()) done();
      },
    });
    await Promise.race([finished, new Promise((_, reject) => setTimeout(() => reject(new Error('kafkajs consumer timed out')), 30_000))]);
  } finally {
    await consumer.disconnect();
  }
  return got;
}
