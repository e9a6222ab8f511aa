/**
 * The group coordinator loads __consumer_offsets when the broker starts (not on the first group
 * request), so a load failure stops start-up, and a fresh data dir stays fast (nothing to load).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, expect, it, vi } from 'vitest';
import { startBroker, type Broker } from '../../src/index.js';
import { GroupCoordinator } from '../../src/server/groups/coordinator.js';
import type { LogRecord } from '../../src/server/logger.js';
import { defaultValue } from '../../src/protocol/codec.js';
import { api as offsetCommit } from '../../src/protocol/messages/08-offset-commit.js';
import { WireConnection } from '../../bench/lib/wire.js';

const dirs: string[] = [];
const brokers: Broker[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const b of brokers.splice(0)) await b.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'brook-polish-groups-'));
  dirs.push(d);
  return d;
}

async function start(dataDir: string, logs: LogRecord[] = []): Promise<Broker> {
  const b = await startBroker({ port: 0, dataDir, log: (r) => logs.push(r), logLevel: 'info' });
  brokers.push(b);
  return b;
}

it('loads committed offsets at start, before any group request', async () => {
  const dataDir = tempDir();
  const first = await start(dataDir);
  const kafka = new Kafka({ brokers: [first.bootstrap], clientId: 'polish', logLevel: logLevel.NOTHING });
  let admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] });
  await admin.disconnect();
  // A simple (memberless) commit, as an admin tool sends it.
  const conn = await WireConnection.connect('127.0.0.1', first.port);
  const body = defaultValue(offsetCommit.request, 8);
  body.groupId = 'billing';
  body.topics = [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: -1, committedMetadata: null },
        { partitionIndex: 1, committedOffset: 7n, committedLeaderEpoch: -1, committedMetadata: null },
      ],
    },
  ] as typeof body.topics;
  const committed = await conn.request(offsetCommit, 8, body);
  conn.close();
  expect(committed.topics[0]!.partitions.map((p) => p.errorCode)).toEqual([0, 0]);
  await first.close();
  brokers.length = 0;

  const logs: LogRecord[] = [];
  const again = await start(dataDir, logs);
  const loaded = logs.findIndex((r) => r.msg === 'loaded groups and offsets from __consumer_offsets');
  const listening = logs.findIndex((r) => r.msg === 'listening');
  expect(loaded).toBeGreaterThanOrEqual(0);
  expect(loaded).toBeLessThan(listening); // logged before start() resolved
  expect(logs[loaded]!.fields).toMatchObject({ groups: 1 });

  admin = new Kafka({ brokers: [again.bootstrap], clientId: 'polish', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchOffsets({ groupId: 'billing', topics: ['orders'] });
    expect(offsets[0]!.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset)).toEqual(['42', '7']);
  } finally {
    await admin.disconnect();
  }
});

it('a fresh data dir starts without creating or loading __consumer_offsets', async () => {
  const dataDir = tempDir();
  const logs: LogRecord[] = [];
  const broker = await start(dataDir, logs);
  expect(broker.context.storage.topic('__consumer_offsets')).toBeUndefined();
  expect(logs.some((r) => r.msg.includes('__consumer_offsets'))).toBe(false);
});

it('a failing group load stops start-up with a clear error and releases the data dir and port', async () => {
  const dataDir = tempDir();
  const first = await start(dataDir);
  first.context.storage.createTopic('__consumer_offsets', { partitions: 3 });
  await first.close();
  brokers.length = 0;

  vi.spyOn(GroupCoordinator.prototype, 'load').mockImplementation(() => {
    throw new Error('simulated read failure');
  });
  await expect(startBroker({ port: 0, dataDir, logLevel: 'silent' })).rejects.toThrow(/cannot load coordinator state: simulated read failure/);
  vi.restoreAllMocks();
  // The failed start closed its storage: the data dir opens again.
  const ok = await start(dataDir);
  expect(ok.context.storage.topic('__consumer_offsets')?.partitions).toBe(3);
});
