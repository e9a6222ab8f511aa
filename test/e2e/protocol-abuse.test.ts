/**
 * Protocol abuse against a real broker while a healthy kafkajs producer keeps producing: an oversized
 * frame, a negative size, HTTP instead of Kafka, a garbage body, an unknown API key, a frame cut
 * mid-way. Each offending connection is closed (with a log line, never an answer that makes no sense),
 * the broker keeps serving, and the producer sees no error and loses nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { Broker } from '../../src/server/broker.js';
import type { LogRecord } from '../../src/server/logger.js';
import { RawClient } from '../server/helpers.js';
import { testBroker } from './helpers.js';

const TOPIC = 'e2e-abuse';

let broker: Broker;
let producer: Producer;
const logs: LogRecord[] = [];
let sent = 0;
let producing: Promise<void>;
let stop = false;
const producerErrors: unknown[] = [];
/** Client addresses of the offending connections, in order (the broker's log lines name them). */
const abusive: string[] = [];

beforeAll(async () => {
  broker = await testBroker({ logLevel: 'warn', log: (r) => logs.push(r) });
  const kafka = new Kafka({ clientId: 'e2e-healthy', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  producer = kafka.producer();
  await producer.connect();
  producing = (async () => {
    while (!stop) {
      try {
        await producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: 10 }, (_, j) => ({ value: `m-${sent + j}` })) });
        sent += 10;
      } catch (err) {
        producerErrors.push(err);
        return;
      }
    }
  })();
  // Let it get going.
  while (sent < 50 && producerErrors.length === 0) await new Promise((r) => setTimeout(r, 10));
});

afterAll(async () => {
  stop = true;
  await producing;
  await producer?.disconnect().catch(() => {});
  await broker?.close();
});

function frame(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

/** A request header v1 (api key, version, correlation id, client id) followed by `body`. */
function request(apiKey: number, version: number, body: Buffer): Buffer {
  const head = Buffer.alloc(10 + 5);
  head.writeInt16BE(apiKey, 0);
  head.writeInt16BE(version, 2);
  head.writeInt32BE(7, 4);
  head.writeInt16BE(5, 8);
  head.write('abuse', 10);
  return frame(Buffer.concat([head, body]));
}

/** Sends `bytes` (optionally half-closing), expects the broker to close without answering. */
async function expectClosed(bytes: Buffer, opts: { end?: boolean } = {}): Promise<void> {
  const c = await RawClient.connect(broker.port);
  abusive.push(`127.0.0.1:${c.socket.localPort}`);
  const sentBefore = sent;
  c.write(bytes);
  if (opts.end) c.socket.end();
  await Promise.race([
    c.closedPromise,
    new Promise((_, reject) => setTimeout(() => reject(new Error('the broker did not close the connection')), 5000)),
  ]);
  expect(c.frames).toEqual([]);
  // The healthy producer made progress meanwhile (or at least is still fine).
  expect(producerErrors).toEqual([]);
  await waitForProgress(sentBefore);
}

async function waitForProgress(from: number): Promise<void> {
  const end = Date.now() + 5000;
  while (sent <= from && Date.now() < end && producerErrors.length === 0) await new Promise((r) => setTimeout(r, 10));
  expect(producerErrors).toEqual([]);
  expect(sent).toBeGreaterThan(from);
}

describe('protocol abuse', () => {
  it('closes a connection that announces an oversized frame (2 GiB - 1)', async () => {
    const head = Buffer.alloc(4);
    head.writeInt32BE(0x7fffffff);
    await expectClosed(Buffer.concat([head, Buffer.alloc(64, 1)]));
    // One byte above socket.request.max.bytes (100 MiB by default), as Kafka's limit.
    head.writeInt32BE(104_857_601);
    await expectClosed(Buffer.concat([head, Buffer.alloc(64, 1)]));
  });

  it('closes a connection that announces a negative size', async () => {
    await expectClosed(Buffer.from([0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0]));
  });

  it('closes a connection that speaks HTTP', async () => {
    await expectClosed(Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
  });

  it('closes a connection that sends a garbage body', async () => {
    // Metadata v1: the topics array claims 1,000,000 entries and then the frame ends.
    await expectClosed(request(3, 1, Buffer.from([0x00, 0x0f, 0x42, 0x40, 0xde, 0xad])));
    // Random bytes after a plausible header, for Produce v3.
    await expectClosed(request(0, 3, Buffer.from('ffeeddccbbaa99887766554433221100ffffffff', 'hex')));
  });

  it('closes a connection that uses an unknown API key or an unsupported version of a known one', async () => {
    await expectClosed(request(999, 0, Buffer.alloc(0)));
    await expectClosed(request(-1, 0, Buffer.alloc(0)));
    await expectClosed(request(0, 99, Buffer.alloc(0))); // Produce v99
  });

  it('closes a connection whose frame is cut mid-way (client half-closes)', async () => {
    const whole = request(18, 3, Buffer.from([0x06, 0x61, 0x62, 0x75, 0x73, 0x65, 0x04, 0x31, 0x2e, 0x30, 0x00]));
    await expectClosed(whole.subarray(0, whole.length - 5), { end: true });
    await expectClosed(Buffer.from([0, 0]), { end: true });
  });

  it('keeps serving while 200 connections sit on half-sent frames', async () => {
    const stalled = await Promise.all(Array.from({ length: 200 }, () => RawClient.connect(broker.port)));
    const head = Buffer.alloc(14);
    head.writeInt32BE(1000);
    for (const c of stalled) {
      abusive.push(`127.0.0.1:${c.socket.localPort}`);
      c.write(head);
    }
    await waitForProgress(sent);
    await waitForProgress(sent);
    for (const c of stalled) c.destroy();
    await Promise.all(stalled.map((c) => c.closedPromise));
  });

  it('kept producing without errors and lost nothing', async () => {
    const before = sent;
    await waitForProgress(before);
    stop = true;
    await producing;
    expect(producerErrors).toEqual([]);
    const admin = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const [offsets] = await admin.fetchTopicOffsets(TOPIC);
    await admin.disconnect();
    expect(Number(offsets!.high)).toBe(sent);
    // Every rejected connection left one warning naming the client and the reason.
    const warnings = logs.filter((r) => r.level === 'warn' && abusive.includes(String(r.fields.client)));
    expect(warnings.map((w) => String(w.fields.client)).sort(), 'one warning per offending connection').toEqual([...abusive].sort());
    const reasonOf = new Map(warnings.map((w) => [String(w.fields.client), `${w.msg}: ${String(w.fields.error ?? '')}`]));
    const reasons = abusive.map((client) => reasonOf.get(client));
    // The 200 stalled connections, dropped by the client mid-frame.
    expect(reasons.slice(11)).toEqual(new Array(200).fill(expect.stringMatching(/middle of a request/)));
    expect(reasons.slice(0, 11)).toEqual([
      expect.stringMatching(/exceeds/),
      expect.stringMatching(/exceeds/),
      expect.stringMatching(/negative/),
      expect.stringMatching(/HTTP/),
      expect.stringMatching(/Metadata v1/),
      expect.stringMatching(/Produce v3/),
      expect.stringMatching(/API key 999/),
      expect.stringMatching(/API key -1/),
      expect.stringMatching(/version 99|v99/),
      expect.stringMatching(/middle of a request/),
      expect.stringMatching(/middle of a request/),
    ]);
  });
});
