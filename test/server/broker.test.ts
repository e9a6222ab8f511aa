import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeResponseFrame, encodeRequestFrame } from '../../src/protocol/codec.js';
import { api as apiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { api as heartbeat } from '../../src/protocol/messages/12-heartbeat.js';
import { startBroker } from '../../src/index.js';
import { Broker } from '../../src/server/broker.js';
import { defineHandler, NO_RESPONSE } from '../../src/server/handler.js';
import apiVersionsHandler from '../../src/server/handlers/18-api-versions.js';
import type { LogRecord } from '../../src/server/logger.js';
import { rawRequest, RawClient, sizePrefixed, sleep } from './helpers.js';

/** A test handler on Heartbeat v0-3: memberId picks the behaviour, generationId is a delay / marker. */
const testHandler = defineHandler({
  api: heartbeat,
  minVersion: 0,
  maxVersion: 3,
  async handle(ctx, req) {
    if (req.memberId === 'no-response') return NO_RESPONSE;
    if (req.memberId === 'throw') throw new Error('handler exploded');
    if (req.memberId === 'until-shutdown') {
      await new Promise((resolve) => ctx.broker.signal.addEventListener('abort', resolve));
      return { throttleTimeMs: 0, errorCode: 99 };
    }
    await sleep(req.generationId);
    return { throttleTimeMs: 0, errorCode: req.generationId % 100 };
  },
});

const brokers: Broker[] = [];
const clients: RawClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

async function start(logs?: LogRecord[], config: Record<string, string | number> = {}): Promise<Broker> {
  const broker = await Broker.start(
    { port: 0, memory: true, config, ...(logs ? { log: (r: LogRecord) => logs.push(r), logLevel: 'debug' as const } : {}) },
    { handlers: [apiVersionsHandler, testHandler] },
  );
  brokers.push(broker);
  return broker;
}

async function client(port: number, host = '127.0.0.1'): Promise<RawClient> {
  const c = await RawClient.connect(port, host);
  clients.push(c);
  return c;
}

function hb(correlationId: number, memberId: string, generationId = 0, version = 3): Buffer {
  return Buffer.concat(
    encodeRequestFrame(heartbeat, version, { correlationId, clientId: 'test' }, {
      groupId: 'g',
      generationId,
      memberId,
      groupInstanceId: null,
    }),
  );
}

function av(correlationId: number, version: number): Buffer {
  return Buffer.concat(
    encodeRequestFrame(apiVersions, version, { correlationId, clientId: 'test' }, {
      clientSoftwareName: 'brook-test',
      clientSoftwareVersion: '1.0',
    }),
  );
}

describe('Broker', () => {
  it('answers ApiVersions v0-v4 with the ranges of the handler registry', async () => {
    const broker = await start();
    const c = await client(broker.port);
    for (let v = 0; v <= 4; v++) c.write(av(v + 1, v));
    const frames = await c.waitFrames(5);
    frames.forEach((f, v) => {
      const { correlationId, body } = decodeResponseFrame(apiVersions, v, f);
      expect(correlationId).toBe(v + 1);
      expect(body.errorCode).toBe(0);
      expect(body.apiKeys).toEqual([
        { apiKey: 12, minVersion: 0, maxVersion: 3 },
        { apiKey: 18, minVersion: 0, maxVersion: 4 },
      ]);
    });
  });

  it('answers a too-new ApiVersions version per KIP-511: v0 body, UNSUPPORTED_VERSION, the ranges', async () => {
    const broker = await start();
    const c = await client(broker.port);
    // v7 of ApiVersions, flexible header (v2: client id then an empty tag section) and a body we cannot know.
    const head = Buffer.alloc(8);
    head.writeInt16BE(18, 0);
    head.writeInt16BE(7, 2);
    head.writeInt32BE(42, 4);
    c.write(sizePrefixed(Buffer.concat([head, Buffer.from([0, 1, 0x78, 0]), Buffer.from([3, 1, 0x61, 0])])));
    const [frame] = await c.waitFrames(1);
    const { correlationId, body } = decodeResponseFrame(apiVersions, 0, frame!);
    expect(correlationId).toBe(42);
    expect(body.errorCode).toBe(35);
    expect(body.apiKeys).toContainEqual({ apiKey: 18, minVersion: 0, maxVersion: 4 });
    expect(c.closed).toBe(false);
  });

  it('rejects an invalid client software name on ApiVersions v3+ with INVALID_REQUEST', async () => {
    const broker = await start();
    const c = await client(broker.port);
    c.write(
      Buffer.concat(
        encodeRequestFrame(apiVersions, 3, { correlationId: 1, clientId: null }, {
          clientSoftwareName: '-bad name-',
          clientSoftwareVersion: '1',
        }),
      ),
    );
    const { body } = decodeResponseFrame(apiVersions, 3, (await c.waitFrames(1))[0]!);
    expect(body.errorCode).toBe(42);
  });

  it('closes the connection with a log line for an unknown key, an unsupported version, a malformed body or a short header; other clients carry on', async () => {
    const logs: LogRecord[] = [];
    const broker = await start(logs);
    const good = await client(broker.port);
    const bad = [
      rawRequest(77, 0, 1), // unknown API key
      hb(1, 'm', 0, 4), // Heartbeat v4: the schema has it, this broker serves 0-3
      rawRequest(12, 3, 1, Buffer.from([0, 4, 0x61])), // header says client id of 4 bytes, 1 present
      sizePrefixed(Buffer.from([0, 18, 0])), // 3-byte request
      Buffer.concat([hb(1, 'm').subarray(0, 20)]), // cut frame, then the client leaves
    ];
    const expected = [
      /unsupported API key 77/,
      /unsupported version 4 of Heartbeat .*0-3/,
      /malformed request header|malformed Heartbeat v3 request/,
      /shorter than a request header/,
    ];
    for (const frame of bad.slice(0, 4)) {
      const c = await client(broker.port);
      c.write(frame);
      await c.closedPromise;
    }
    const cut = await client(broker.port);
    cut.write(bad[4]!);
    await sleep(20);
    cut.destroy();
    await cut.closedPromise;
    // The broker handles the cut client's close on its own schedule (later on a loaded machine): wait for its warning.
    for (const end = Date.now() + 10_000; logs.filter((r) => r.level === 'warn').length <= expected.length && Date.now() < end; ) await sleep(10);
    const warnings = logs.filter((r) => r.level === 'warn');
    expected.push(/closed the connection in the middle of a request/);
    expected.forEach((re, i) => {
      expect(`${warnings[i]?.msg}: ${String(warnings[i]?.fields.error)}`).toMatch(re);
      expect(String(warnings[i]?.fields.client)).toMatch(/^127\.0\.0\.1:\d+$/);
    });
    expect(warnings[1]?.fields.clientId).toBe('test'); // the Heartbeat v4 request's client.id
    good.write(hb(9, 'm', 5));
    const { correlationId, body } = decodeResponseFrame(heartbeat, 3, (await good.waitFrames(1))[0]!);
    expect([correlationId, body.errorCode]).toEqual([9, 5]);
  });

  it('pipelines through real dispatch: out-of-order completion, in-order responses, no response for NO_RESPONSE', async () => {
    const broker = await start();
    const c = await client(broker.port);
    c.write(Buffer.concat([hb(1, 'm', 60), hb(2, 'no-response'), hb(3, 'm', 30), hb(4, 'm', 0)]));
    const frames = await c.waitFrames(3);
    expect(frames.map((f) => decodeResponseFrame(heartbeat, 3, f).correlationId)).toEqual([1, 3, 4]);
    await sleep(30);
    expect(c.frames).toHaveLength(3);
  });

  it('serves IPv4 and IPv6 loopback on the same port by default, and advertises localhost', async () => {
    const broker = await start();
    expect(broker.bootstrap).toBe(`localhost:${broker.port}`);
    for (const host of ['127.0.0.1', '::1']) {
      const c = await client(broker.port, host);
      c.write(av(1, 2));
      const { body } = decodeResponseFrame(apiVersions, 2, (await c.waitFrames(1))[0]!);
      expect(body.errorCode).toBe(0);
    }
  });

  it('runs several brokers on port 0 in one process', async () => {
    const [a, b] = await Promise.all([
      startBroker({ port: 0, memory: true, logLevel: 'silent' }),
      startBroker({ port: 0, memory: true, logLevel: 'silent' }),
    ]);
    brokers.push(a, b);
    expect(a.port).not.toBe(b.port);
    for (const broker of [a, b]) {
      const c = await client(broker.port);
      c.write(av(5, 1));
      expect(decodeResponseFrame(apiVersions, 1, (await c.waitFrames(1))[0]!).correlationId).toBe(5);
    }
  });

  it('takes Kafka properties from options: socket.request.max.bytes bounds frames', async () => {
    const logs: LogRecord[] = [];
    const broker = await start(logs, { 'socket.request.max.bytes': 64 });
    expect(broker.config.entry('socket.request.max.bytes')?.source).toBe('option');
    const c = await client(broker.port);
    c.write(hb(1, 'x'.repeat(100)));
    await c.closedPromise;
    expect(logs.some((r) => /exceeds socket.request.max.bytes \(64\)/.test(String(r.fields.error)))).toBe(true);
  });

  it('graceful close: stops accepting, answers in-flight requests (long polls cut short), then resolves', async () => {
    const broker = await start();
    const c = await client(broker.port);
    c.write(Buffer.concat([hb(1, 'm', 150), hb(2, 'until-shutdown')]));
    await sleep(30);
    const t0 = Date.now();
    await broker.close();
    const frames = c.frames.map((f) => decodeResponseFrame(heartbeat, 3, f));
    expect(frames.map((f) => [f.correlationId, f.body.errorCode])).toEqual([
      [1, 50],
      [2, 99],
    ]);
    expect(Date.now() - t0).toBeLessThan(2000);
    await c.closedPromise;
    await expect(RawClient.connect(broker.port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a handler that throws closes only its connection, logged as an internal error', async () => {
    const logs: LogRecord[] = [];
    const broker = await start(logs);
    const c = await client(broker.port);
    c.write(hb(1, 'throw'));
    await c.closedPromise;
    expect(logs.some((r) => r.level === 'error' && r.fields.error === 'handler exploded')).toBe(true);
  });

  it('exposes fault injection per broker', async () => {
    const broker = await start();
    broker.faults.closeAfterHandling(12);
    const c = await client(broker.port);
    c.write(hb(1, 'm'));
    await c.closedPromise;
    expect(c.frames).toEqual([]);
  });

  it('fails to start with a clear message when the port is taken', async () => {
    const a = await start();
    await expect(Broker.start({ port: a.port, memory: true, logLevel: 'silent' })).rejects.toThrow(/already in use/);
  });

  it('opens disk storage at the data dir; close flushes and writes the clean-shutdown marker', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'brook-broker-'));
    const logs: LogRecord[] = [];
    const broker = await Broker.start({ port: 0, dataDir, config: { 'node.id': 3 }, log: (r) => logs.push(r), logLevel: 'info' });
    expect(broker.storage.kind).toBe('disk');
    expect(broker.context.clusterId).toBe(broker.storage.clusterId);
    broker.storage.createTopic('t', { partitions: 2 });
    expect(existsSync(join(dataDir, '.kafka_cleanshutdown'))).toBe(false);
    await broker.close();
    expect(existsSync(join(dataDir, '.kafka_cleanshutdown'))).toBe(true);
    expect(readFileSync(join(dataDir, 'meta.properties'), 'utf8')).toMatch(/node\.id=3/);

    const again = await Broker.start({ port: 0, dataDir, config: { 'node.id': 3 }, log: (r) => logs.push(r), logLevel: 'info' });
    brokers.push(again);
    expect(again.storage.topic('t')?.partitions).toBe(2);
    expect(again.context.clusterId).toBe(broker.context.clusterId);
    expect(logs.some((r) => /did not shut down cleanly/.test(r.msg))).toBe(false);
    await again.close();
    await expect(Broker.start({ port: 0, dataDir, logLevel: 'silent' })).rejects.toThrow(
      /belongs to node\.id 3, but this broker is configured as node\.id 0/,
    );
  });

  it('uses memory storage with memory: true', async () => {
    const broker = await start();
    expect(broker.storage.kind).toBe('memory');
    expect(broker.storage.dataDir).toBeUndefined();
  });
});
