/**
 * Short fuzz of the server path (framing → header → decode → handler → encode) with the real codec:
 * seeded random frames, mostly aimed at served API keys with random versions and bodies. The broker must
 * answer or close each connection, never crash or hang, and keep serving a well-behaved client.
 * A longer run: FUZZ_ITERATIONS=20000 npx vitest run test/server/fuzz.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeResponseFrame, encodeRequestFrame } from '../../src/protocol/codec.js';
import { api as apiVersions } from '../../src/protocol/messages/18-api-versions.js';
import { Broker } from '../../src/server/broker.js';
import type { LogRecord } from '../../src/server/logger.js';
import { RawClient, sizePrefixed } from './helpers.js';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iterations = Number(process.env.FUZZ_ITERATIONS ?? 300);
let broker: Broker;
const logs: LogRecord[] = [];

beforeAll(async () => {
  broker = await Broker.start({ port: 0, memory: true, log: (r) => logs.push(r), logLevel: 'warn' });
});
afterAll(() => broker.close());

function randomFrame(rand: () => number): Buffer {
  const len = Math.floor(rand() * 64);
  const body = Buffer.alloc(8 + len);
  for (let i = 0; i < body.length; i++) body[i] = Math.floor(rand() * 256);
  const served = broker.context.apiVersions;
  if (rand() < 0.8) {
    const k = served[Math.floor(rand() * served.length)]!;
    body.writeInt16BE(k.apiKey, 0);
    body.writeInt16BE(Math.floor(rand() * (k.maxVersion + 3)), 2);
  }
  return sizePrefixed(body);
}

describe('server fuzz', () => {
  it(`survives ${iterations} random requests and keeps serving`, async () => {
    const rand = prng(0xb700c);
    const good = await RawClient.connect(broker.port);
    let answered = 0;
    let closed = 0;
    for (let i = 0; i < iterations; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const c = await RawClient.connect(broker.port);
          c.write(randomFrame(rand));
          // Either an answer or a close; never silence.
          await c.waitFrames(1, 5000);
          const outcome = c.frames.length > 0 ? 'answered' : 'closed';
          c.destroy();
          return outcome;
        }),
      );
      answered += batch.filter((o) => o === 'answered').length;
      closed += batch.filter((o) => o === 'closed').length;
    }
    expect(answered + closed).toBe(Math.ceil(iterations / 10) * 10);
    expect(closed).toBeGreaterThan(0);
    // Every close was logged with the client's address.
    const closes = logs.filter((r) => r.msg === 'closing connection');
    expect(closes.length).toBe(closed);
    expect(logs.filter((r) => r.level === 'error')).toEqual([]);
    for (const frame of encodeRequestFrame(apiVersions, 3, { correlationId: 7, clientId: 'good' }, {
      clientSoftwareName: 'good',
      clientSoftwareVersion: '1',
    }))
      good.write(frame);
    const [reply] = await good.waitFrames(1);
    expect(decodeResponseFrame(apiVersions, 3, reply!).body.errorCode).toBe(0);
    good.destroy();
  });
});
