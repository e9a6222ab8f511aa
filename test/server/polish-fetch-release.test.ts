/**
 * Fetch gives its pooled segment-read buffers back only once the socket has written them
 * (src/server/write-release.ts). This proves both halves: the pool really recycles (its counters move),
 * and recycling never corrupts a response — many concurrent fetches over several connections read
 * distinct data (every record's value names its partition and offset) and every record is checked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBroker, type Broker } from '../../src/index.js';
import { defaultValue, decodeResponseFrame, encodeRequestFrame } from '../../src/protocol/codec.js';
import { api as fetchApi } from '../../src/protocol/messages/01-fetch.js';
import { decodeRecordBatches } from '../../src/protocol/records/records.js';
import { readBufferPool } from '../../src/storage/buffer-pool.js';
import { WireConnection } from '../../bench/lib/wire.js';
import { makeBatch } from '../storage/make-batch.js';

const TOPIC = 'polish-release';
const PARTITIONS = 4;
const RECORDS_PER_BATCH = 20;
const VALUE_BYTES = 1000;
/** 6.4 MB per partition: above the 4 MiB tail cache, so most reads come from segment files. */
const BATCHES = 320;

let broker: Broker;
let dir: string;

/** A value that says where it belongs; any byte from another read shows up as a mismatch. */
function valueFor(partition: number, offset: number): Buffer {
  const v = Buffer.alloc(VALUE_BYTES, 97 + ((partition * 7 + offset) % 26));
  v.write(`p${partition}o${offset};`, 0, 'latin1');
  return v;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brook-polish-release-'));
  broker = await startBroker({ port: 0, dataDir: dir });
  const storage = broker.context.storage;
  storage.createTopic(TOPIC, { partitions: PARTITIONS });
  for (let p = 0; p < PARTITIONS; p++) {
    const log = storage.partition(TOPIC, p)!;
    for (let b = 0; b < BATCHES; b++) {
      const base = b * RECORDS_PER_BATCH;
      const values = Array.from({ length: RECORDS_PER_BATCH }, (_, i) => valueFor(p, base + i));
      log.append(makeBatch(values, { baseOffset: base }));
    }
  }
});
afterAll(async () => {
  await broker?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function fetchFrame(conn: WireConnection, partitions: Array<{ partition: number; offset: number }>): { id: number; frame: ReturnType<typeof encodeRequestFrame> } {
  const body = defaultValue(fetchApi.request, 11);
  body.replicaId = -1;
  body.maxWaitMs = 10;
  body.minBytes = 1;
  body.maxBytes = 8 << 20;
  body.topics = [
    {
      topic: TOPIC,
      partitions: partitions.map((x) => ({
        partition: x.partition,
        currentLeaderEpoch: -1,
        fetchOffset: BigInt(x.offset),
        lastFetchedEpoch: -1,
        logStartOffset: -1n,
        partitionMaxBytes: 1 << 20,
      })),
    },
  ] as typeof body.topics;
  const id = conn.takeCorrelationId();
  return { id, frame: encodeRequestFrame(fetchApi, 11, { correlationId: id, clientId: 'polish' }, body) };
}

it('concurrent fetches of distinct data stay intact while the read pool recycles buffers', async () => {
  const end = BATCHES * RECORDS_PER_BATCH;
  const before = readBufferPool.stats();
  const conns = await Promise.all([0, 1, 2, 3].map(() => WireConnection.connect('127.0.0.1', broker.port)));
  let records = 0;
  const problems: string[] = [];
  try {
    await Promise.all(
      conns.map(async (conn, c) => {
        const inFlight: Promise<void>[] = [];
        for (let n = 0; n < 30; n++) {
          // Two partitions per request, at offsets that differ per connection and per request.
          const asked = [0, 1].map((k) => ({
            partition: (c + n + k) % PARTITIONS,
            offset: ((c * 1013 + n * 397 + k * 2111) % (end - 1000)),
          }));
          const { id, frame } = fetchFrame(conn, asked);
          inFlight.push(
            new Promise<void>((resolve, reject) => {
              conn.sendFrame(frame, id, (resp) => {
                if (resp instanceof Error) return reject(resp);
                const parts = decodeResponseFrame(fetchApi, 11, resp).body.responses[0]!.partitions;
                for (const part of parts) {
                  const want = asked.find((a) => a.partition === part.partitionIndex)!;
                  if (part.errorCode !== 0) problems.push(`p${part.partitionIndex}: error ${part.errorCode}`);
                  let batches;
                  try {
                    batches = decodeRecordBatches(part.records as Buffer, { verifyCrc: true });
                  } catch (err) {
                    problems.push(`p${part.partitionIndex}@${want.offset}: ${(err as Error).message}`);
                    continue;
                  }
                  for (const batch of batches) {
                    for (const r of batch.records) {
                      if (!r.value?.equals(valueFor(part.partitionIndex, r.offset))) {
                        problems.push(`p${part.partitionIndex} offset ${r.offset}: wrong value`);
                      }
                      records++;
                    }
                  }
                  if (batches.length === 0 || batches[0]!.baseOffset > want.offset) problems.push(`p${part.partitionIndex}@${want.offset}: no data`);
                }
                resolve();
              });
            }),
          );
          if (inFlight.length >= 6) await inFlight.shift();
        }
        await Promise.all(inFlight);
      }),
    );
  } finally {
    for (const c of conns) c.close();
  }
  expect(problems.slice(0, 5)).toEqual([]);
  expect(records).toBeGreaterThan(100_000);
  const after = readBufferPool.stats();
  // 240 partition reads of ~1 MiB: released after the socket wrote them, then taken again.
  expect(after.released - before.released).toBeGreaterThan(100);
  expect(after.reused - before.reused).toBeGreaterThan(100);
});
