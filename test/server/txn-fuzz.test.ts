/**
 * Seeded random requests (every field, every version, nulls and extremes) into the transaction and
 * producer handlers of a real broker: each must answer with a response its version can encode, never
 * throw, and leave the broker serving. Some requests name real transactional ids and producer ids, so
 * the coordinator's state machine is exercised beyond its first check.
 * More iterations: FUZZ_ITERATIONS=2000 npx vitest run test/server/txn-fuzz.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeResponseFrame, isFlexible } from '../../src/protocol/codec.js';
import type { AnyHandler, RequestContext } from '../../src/server/handler.js';
import initProducerId from '../../src/server/handlers/22-init-producer-id.js';
import addPartitionsToTxn from '../../src/server/handlers/24-add-partitions-to-txn.js';
import addOffsetsToTxn from '../../src/server/handlers/25-add-offsets-to-txn.js';
import endTxn from '../../src/server/handlers/26-end-txn.js';
import writeTxnMarkers from '../../src/server/handlers/27-write-txn-markers.js';
import txnOffsetCommit from '../../src/server/handlers/28-txn-offset-commit.js';
import describeProducers from '../../src/server/handlers/61-describe-producers.js';
import describeTransactions from '../../src/server/handlers/65-describe-transactions.js';
import listTransactions from '../../src/server/handlers/66-list-transactions.js';
import { ValueGen, type GenMode } from '../protocol/value-gen.js';
import { startTestBroker, type TestBroker } from './handlers-data-helpers.js';

const iterations = Number(process.env.FUZZ_ITERATIONS ?? 40);
const HANDLERS: readonly AnyHandler[] = [
  initProducerId,
  addPartitionsToTxn,
  addOffsetsToTxn,
  endTxn,
  writeTxnMarkers,
  txnOffsetCommit,
  describeProducers,
  describeTransactions,
  listTransactions,
];
const MODES: readonly GenMode[] = ['random', 'nulls', 'large', 'empty'];

let tb: TestBroker;

beforeAll(async () => {
  tb = await startTestBroker('memory', { 'auto.create.topics.enable': false });
  for (const name of ['a', 'topic-1']) tb.broker.storage.createTopic(name, { partitions: 3 });
});

afterAll(async () => {
  await tb?.close();
});

function context(apiKey: number, apiVersion: number): RequestContext {
  return {
    broker: tb.broker.context,
    connection: { id: 1, remoteAddress: '127.0.0.1', remotePort: 1, localPort: tb.port, listenerName: 'PLAINTEXT', client: 'fuzz', clientId: 'fuzz', clientSoftware: null } as RequestContext['connection'],
    header: { apiKey, apiVersion, correlationId: 1, clientId: 'fuzz' },
    log: tb.broker.logger,
  };
}

describe.each(HANDLERS.map((h) => [h.api.name, h] as const))('%s with random requests', (_name, handler) => {
  it(`answers every version ${handler.minVersion}-${handler.maxVersion} with an encodable response`, async () => {
    // A real transactional id with a real producer, so some requests get past the first checks.
    const real = await initProducerId.handle(context(22, 4), { transactionalId: 'a', transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 }, 4);
    const { producerId, producerEpoch } = real as { producerId: bigint; producerEpoch: number };
    let answered = 0;
    for (let i = 0; i < iterations; i++) {
      for (let version = handler.minVersion; version <= handler.maxVersion; version++) {
        const gen = new ValueGen(i * 1000 + version, MODES[i % MODES.length]);
        const request = gen.message(handler.api.request, version, isFlexible(handler.api.request, version)) as Record<string, unknown>;
        if (i % 3 === 0) {
          for (const k of Object.keys(request)) {
            if (/transactionalId$/i.test(k) && typeof request[k] === 'string') request[k] = 'a';
            if (/producerId$/i.test(k) && typeof request[k] === 'bigint') request[k] = producerId;
            if (/producerEpoch$/i.test(k) && typeof request[k] === 'number') request[k] = producerEpoch;
          }
        }
        if (typeof request.transactionTimeoutMs === 'number') request.transactionTimeoutMs = Math.max(1000, Math.abs(request.transactionTimeoutMs) % 900_000);
        let result: unknown;
        try {
          result = await handler.handle(context(handler.apiKey, version), request, version);
        } catch (err) {
          throw new Error(`${handler.api.name} v${version} (seed ${i}) threw: ${(err as Error).stack}`);
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
