/**
 * Fetch returns pooled segment-read buffers to the pool when the socket has written them
 * (src/server/write-release.ts). Releasing any earlier would let the next read overwrite bytes still
 * queued for a client; this reads a disk log with many concurrent 1 MiB fetches on several connections
 * and checks every batch's CRC-32C. (With the release moved before the write, hundreds fail.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBroker, type Broker } from '../../src/index.js';
import { defaultValue, decodeResponseFrame, encodeRequestFrame } from '../../src/protocol/codec.js';
import { api as fetchApi } from '../../src/protocol/messages/01-fetch.js';
import { decodeRecordBatches } from '../../src/protocol/records/records.js';
import { DEFAULT_LOAD, runLoad } from '../../bench/load-gen.js';
import { apiVersions, endOffsets } from '../../bench/lib/admin.js';
import { WireConnection } from '../../bench/lib/wire.js';

let broker: Broker;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brook-fetch-release-'));
  broker = await startBroker({ port: 0, dataDir: dir });
});
afterAll(async () => {
  await broker?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('concurrent 1 MiB fetches from disk return intact batches while read buffers are recycled', async () => {
  const bootstrap = `127.0.0.1:${broker.port}`;
  await runLoad({ ...DEFAULT_LOAD, bootstrap, mode: 'fetch', recordSize: 1000, prefillBytes: 24 << 20, durationMs: 1, warmupMs: 0, topic: 'release' });
  const conns = await Promise.all([0, 1, 2, 3].map(() => WireConnection.connect('127.0.0.1', broker.port)));
  try {
    const [end] = await endOffsets(conns[0]!, await apiVersions(conns[0]!), 'release', 1);
    expect(end).toBeGreaterThan(10_000);
    let batches = 0;
    let corrupt = 0;
    await Promise.all(
      conns.map(async (conn, c) => {
        let offset = Math.floor((c * end!) / conns.length);
        const inFlight: Promise<void>[] = [];
        for (let n = 0; n < 40; n++) {
          const body = defaultValue(fetchApi.request, 11);
          body.replicaId = -1;
          body.maxWaitMs = 10;
          body.minBytes = 1;
          body.topics = [
            { topic: 'release', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: BigInt(offset), lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] },
          ] as typeof body.topics;
          const id = conn.takeCorrelationId();
          inFlight.push(
            new Promise<void>((resolve, reject) => {
              conn.sendFrame(encodeRequestFrame(fetchApi, 11, { correlationId: id, clientId: 'release' }, body), id, (frame) => {
                if (frame instanceof Error) return reject(frame);
                const records = decodeResponseFrame(fetchApi, 11, frame).body.responses[0]!.partitions[0]!.records as Buffer;
                try {
                  batches += decodeRecordBatches(records, { verifyCrc: true }).length;
                } catch {
                  corrupt++;
                }
                resolve();
              });
            }),
          );
          offset = (offset + 600) % Math.max(1, end! - 2000);
          if (inFlight.length >= 8) await inFlight.shift();
        }
        await Promise.all(inFlight);
      }),
    );
    expect(corrupt).toBe(0);
    expect(batches).toBeGreaterThan(1000);
  } finally {
    for (const c of conns) c.close();
  }
});
