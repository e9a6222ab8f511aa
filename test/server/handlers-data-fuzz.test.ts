/**
 * Seeded random requests (every field, every version, nulls and extremes) straight into the data-path
 * handlers of a real broker: each must answer with a response its version can encode, never throw
 * (acks=0 failures excepted: they close the connection on purpose). Existing topics get hit too, so
 * the read and append paths see odd offsets, sizes, epochs and isolation levels.
 * More iterations: FUZZ_ITERATIONS=2000 npx vitest run test/server/handlers-data-fuzz.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeResponseFrame, isFlexible } from '../../src/protocol/codec.js';
import { encodeRecordBatch } from '../../src/protocol/records/records.js';
import { ProtocolViolation } from '../../src/server/connection.js';
import { NO_RESPONSE, type AnyHandler, type RequestContext } from '../../src/server/handler.js';
import produce from '../../src/server/handlers/00-produce.js';
import fetch from '../../src/server/handlers/01-fetch.js';
import listOffsets from '../../src/server/handlers/02-list-offsets.js';
import metadata from '../../src/server/handlers/03-metadata.js';
import offsetForLeaderEpoch from '../../src/server/handlers/23-offset-for-leader-epoch.js';
import { ValueGen, type GenMode } from '../protocol/value-gen.js';
import { startTestBroker, type TestBroker } from './handlers-data-helpers.js';

const iterations = Number(process.env.FUZZ_ITERATIONS ?? 60);
const HANDLERS: readonly AnyHandler[] = [produce, fetch, listOffsets, metadata, offsetForLeaderEpoch];
const MODES: readonly GenMode[] = ['random', 'nulls', 'large', 'empty'];

let tb: TestBroker;

beforeAll(async () => {
  tb = await startTestBroker('memory', { 'auto.create.topics.enable': false });
  const storage = tb.broker.storage;
  // Names ValueGen likes to pick, so lookups succeed now and then.
  for (const name of ['a', 'topic-1']) {
    storage.createTopic(name, { partitions: 3 });
    for (let p = 0; p < 3; p++) {
      storage.partition(name, p)!.append(encodeRecordBatch({ baseOffset: 0, records: [{ value: `${name}-${p}`, timestamp: Date.now() }] }));
    }
  }
});

afterAll(async () => {
  await tb?.close();
});

function context(apiKey: number, apiVersion: number): RequestContext {
  return {
    broker: tb.broker.context,
    connection: {
      id: 1,
      remoteAddress: '127.0.0.1',
      remotePort: 1,
      localPort: tb.port,
      listenerName: 'PLAINTEXT',
      client: 'fuzz',
      clientId: 'fuzz',
      clientSoftware: null,
    } as RequestContext['connection'],
    header: { apiKey, apiVersion, correlationId: 1, clientId: 'fuzz' },
    log: tb.broker.logger,
  };
}

describe.each(HANDLERS.map((h) => [h.api.name, h] as const))('%s with random requests', (_name, handler) => {
  it(`answers every version ${handler.minVersion}-${handler.maxVersion} with an encodable response`, async () => {
    let answered = 0;
    for (let i = 0; i < iterations; i++) {
      for (let version = handler.minVersion; version <= handler.maxVersion; version++) {
        const gen = new ValueGen(i * 1000 + version, MODES[i % MODES.length]);
        const request = gen.message(handler.api.request, version, isFlexible(handler.api.request, version)) as Record<string, unknown>;
        if ('maxWaitMs' in request) request.maxWaitMs = Math.min(Number(request.maxWaitMs), 5); // no long polls here
        let result: unknown;
        try {
          result = await handler.handle(context(handler.apiKey, version), request, version);
        } catch (err) {
          if (err instanceof ProtocolViolation && handler === produce && request.acks === 0) continue;
          throw new Error(`${handler.api.name} v${version} (seed ${i}) threw: ${(err as Error).stack}`);
        }
        if (result === NO_RESPONSE) {
          expect(handler === produce && request.acks === 0).toBe(true);
          continue;
        }
        try {
          encodeResponseFrame(handler.api, version, 1, result);
        } catch (err) {
          throw new Error(`${handler.api.name} v${version} (seed ${i}): response cannot be encoded: ${(err as Error).message}`);
        }
        answered++;
      }
    }
    expect(answered).toBeGreaterThan(0);
  });
});
