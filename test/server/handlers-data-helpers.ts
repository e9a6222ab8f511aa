/**
 * Shared set-up for the data-path handler tests: a broker per storage kind (memory, disk), started
 * through the public API, and small wrappers over the real clients (kafkajs, kcat, @platformatic/kafka).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, fetchV17, metadataV12, produceV11 } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker, type BrokerOptions } from '../../src/index.js';

export type StorageKind = 'memory' | 'disk';
export const STORAGE_KINDS: readonly StorageKind[] = ['memory', 'disk'];

export interface TestBroker {
  readonly broker: Broker;
  readonly bootstrap: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startTestBroker(kind: StorageKind, config: BrokerOptions['config'] = {}): Promise<TestBroker> {
  const dir = kind === 'disk' ? mkdtempSync(join(tmpdir(), 'brook-handlers-')) : undefined;
  const broker = await startBroker({
    host: '127.0.0.1',
    port: 0,
    ...(dir !== undefined ? { dataDir: dir } : { memory: true }),
    config,
    logLevel: (process.env.BROOK_TEST_LOG as 'debug' | undefined) ?? 'error',
  });
  return {
    broker,
    bootstrap: broker.bootstrap,
    port: broker.port,
    async close() {
      await broker.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function kafkajs(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'brook-test', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50 } });
}

export interface KcatMessage {
  topic: string;
  partition: number;
  offset: number;
  ts: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

/** Reads a whole topic with kcat (librdkafka) from the beginning to the end, as JSON lines. */
export function kcatConsume(bootstrap: string, topic: string, extra: string[] = []): Promise<KcatMessage[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'kcat',
      ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-J', '-q', '-X', 'fetch.wait.max.ms=50', ...extra],
      { maxBuffer: 256 * 1024 * 1024, timeout: 30_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`kcat failed: ${err.message}\n${stderr}`));
        else resolve(stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as KcatMessage));
      },
    );
  });
}

/** Produces one message per line with kcat (librdkafka's producer: record batches v2, acks=all). */
export function kcatProduce(bootstrap: string, topic: string, lines: string[], extra: string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'kcat',
      ['-b', bootstrap, '-P', '-t', topic, '-q', ...extra],
      { timeout: 30_000 },
      (err, _stdout, stderr) => (err ? reject(new Error(`kcat failed: ${err.message}\n${stderr}`)) : resolve()),
    );
    child.stdin!.end(lines.join('\n') + '\n');
  });
}

/** A raw @platformatic/kafka connection: its own Fetch/Metadata/Produce encoders and parsers. */
export async function platformaticConnection(port: number): Promise<Connection> {
  const c = new Connection('brook-test');
  await c.connect('127.0.0.1', port);
  return c;
}

export interface FetchPartitionArg {
  partition: number;
  fetchOffset: bigint;
  partitionMaxBytes?: number;
  currentLeaderEpoch?: number;
}

export interface FetchArgs {
  maxWaitMs?: number;
  minBytes?: number;
  maxBytes?: number;
  isolationLevel?: number;
  sessionId?: number;
  sessionEpoch?: number;
  topics: Array<{ topicId: string; partitions: FetchPartitionArg[] }>;
  forgotten?: Array<{ topic: string; partitions: number[] }>;
}

export interface FetchResult {
  errorCode: number;
  sessionId: number;
  responses: Array<{
    topicId: string;
    partitions: Array<{
      partitionIndex: number;
      errorCode: number;
      highWatermark: bigint;
      lastStableOffset: bigint;
      logStartOffset: bigint;
      records?: Array<{ firstOffset: bigint; records: Array<{ offsetDelta: number; key: Buffer; value: Buffer }> }>;
    }>;
  }>;
}

/** Fetch v17 through @platformatic/kafka. Error responses come back as the parsed response, not thrown. */
export async function fetch17(c: Connection, args: FetchArgs): Promise<FetchResult> {
  const topics = args.topics.map((t) => ({
    topicId: t.topicId,
    partitions: t.partitions.map((p) => ({
      partition: p.partition,
      currentLeaderEpoch: p.currentLeaderEpoch ?? -1,
      fetchOffset: p.fetchOffset,
      lastFetchedEpoch: -1,
      partitionMaxBytes: p.partitionMaxBytes ?? 1024 * 1024,
    })),
  }));
  try {
    return (await fetchV17.api.async(
      c,
      args.maxWaitMs ?? 0,
      args.minBytes ?? 1,
      args.maxBytes ?? 50 * 1024 * 1024,
      args.isolationLevel ?? 0,
      args.sessionId ?? 0,
      args.sessionEpoch ?? -1,
      topics,
      args.forgotten ?? [],
      '',
    )) as unknown as FetchResult;
  } catch (err) {
    const response = (err as { response?: FetchResult }).response;
    if (response !== undefined) return response;
    throw err;
  }
}

/** The topic id Metadata v12 reports (creating the topic if the broker allows it). */
export async function topicId(c: Connection, topic: string): Promise<string> {
  const md = (await metadataV12.api.async(c, [topic], true, false)) as unknown as { topics: Array<{ name: string; topicId: string }> };
  const t = md.topics.find((x) => x.name === topic);
  if (t === undefined) throw new Error(`no metadata for ${topic}`);
  return t.topicId;
}

export { metadataV12, produceV11 };

/** Resolves when `p` settles, or with 'pending' after `ms`. */
export function settledWithin<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms).unref())]);
}
