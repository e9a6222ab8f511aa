/**
 * Produce requests that arrive in one socket read are appended in one storage write batch
 * (src/storage/write-batch.ts, opened by src/server/connection.ts): their batches reach the segment in
 * one writev, before any response. If that deferred write fails, the responses already built must
 * not leave: the connection is closed without them, and later produces get KAFKA_STORAGE_ERROR.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { startBroker, type Broker } from '../../src/index.js';
import { decodeResponseFrame, defaultValue, encodeRequestFrame } from '../../src/protocol/codec.js';
import { api as produceApi } from '../../src/protocol/messages/00-produce.js';
import { makeSizedBatch } from '../storage/make-batch.js';

const TOPIC = 'write-batch';
const VERSION = 7;

let broker: Broker;
let dir: string;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brook-write-batch-'));
  broker = await startBroker({ port: 0, dataDir: dir });
  broker.context.storage.createTopic(TOPIC, { partitions: 1 });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await broker?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function produceFrame(correlationId: number, batch: Buffer): Buffer {
  const body = defaultValue(produceApi.request, VERSION);
  body.acks = 1;
  body.timeoutMs = 30_000;
  body.topicData = [{ name: TOPIC, partitionData: [{ index: 0, records: batch }] }] as typeof body.topicData;
  return Buffer.concat(encodeRequestFrame(produceApi, VERSION, { correlationId, clientId: 'write-batch-test' }, body));
}

interface Outcome {
  /** Decoded responses in arrival order: correlation id, error code, base offset. */
  responses: Array<{ correlationId: number; errorCode: number; baseOffset: bigint }>;
  closedByBroker: boolean;
}

/** Sends `frames` in one socket write; collects `expected` responses or stops when the broker closes. */
function exchange(frames: Buffer[], expected: number): Promise<Outcome> {
  const port = broker.port;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const out: Outcome = { responses: [], closedByBroker: false };
    let buf = Buffer.alloc(0);
    socket.on('connect', () => socket.write(Buffer.concat(frames)));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const size = buf.readInt32BE(0);
        const { correlationId, body } = decodeResponseFrame(produceApi, VERSION, buf.subarray(4, 4 + size));
        const p = body.responses[0]!.partitionResponses[0]!;
        out.responses.push({ correlationId, errorCode: p.errorCode, baseOffset: p.baseOffset });
        buf = buf.subarray(4 + size);
      }
      if (out.responses.length >= expected) {
        socket.destroy();
        resolve(out);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      out.closedByBroker = out.responses.length < expected;
      resolve(out);
    });
  });
}

it('writes the batches of pipelined produce requests from one read with one writev, then answers in order', async () => {
  const writev = vi.spyOn(fs, 'writevSync');
  const batches = [1, 2, 3, 4].map((seed) => makeSizedBatch(8000, 10, seed));
  const r = await exchange(batches.map((b, i) => produceFrame(100 + i, b)), 4);
  expect(r.responses).toEqual(batches.map((_, i) => ({ correlationId: 100 + i, errorCode: 0, baseOffset: BigInt(10 * i) })));
  // One read normally carries all four frames; TCP may split it, so the bound is one write per batch.
  const calls = writev.mock.calls.filter((c) => (c[1] as readonly Buffer[]).every((b) => b.length === batches[0]!.length));
  expect(calls.length).toBeGreaterThanOrEqual(1);
  expect(calls.length).toBeLessThanOrEqual(4);
  const seg = path.join(dir, `${TOPIC}-0`, '00000000000000000000.log');
  expect(fs.readFileSync(seg).length).toBe(batches.reduce((n, b) => n + b.length, 0));
});

it('closes the connection without acknowledging when the deferred write fails', async () => {
  vi.spyOn(fs, 'writevSync').mockImplementation(() => {
    throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
  });
  const failed = await exchange([produceFrame(1, makeSizedBatch(4000, 5, 1)), produceFrame(2, makeSizedBatch(4000, 5, 2))], 2);
  expect(failed.responses.filter((x) => x.errorCode === 0)).toEqual([]);
  expect(failed.closedByBroker).toBe(true);
  vi.restoreAllMocks();
  const after = await exchange([produceFrame(3, makeSizedBatch(4000, 5, 3))], 1);
  expect(after.responses).toEqual([{ correlationId: 3, errorCode: 56, baseOffset: -1n }]); // KAFKA_STORAGE_ERROR
});
