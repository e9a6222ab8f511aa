/**
 * Golden bytes from real clients: every request frame that kafkajs, @platformatic/kafka and kcat
 * (librdkafka) sent to Brook, recorded by test/fixtures/capture.ts, must decode with our codec and
 * re-encode to the identical bytes (header included). The responses the clients accepted are checked
 * the same way. Coverage is checked too: each client must have sent the core APIs.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeMessagePrefix,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
  isFlexible,
  isValidVersion,
} from '../../src/protocol/codec.js';
import { decodeRequestHeader } from '../../src/protocol/headers.js';
import type { ApiSpec } from '../../src/protocol/schema/dsl.js';
import { readFixture, readFixtureIndexes } from '../fixtures/golden-index.js';
import { discoverApis } from './discover.js';

const apis = new Map<number, ApiSpec>((await discoverApis()).map(({ api }) => [api.key, api]));
const indexes = readFixtureIndexes();

const flexibleOf = (apiKey: number, version: number): boolean | undefined => {
  const api = apis.get(apiKey);
  return api !== undefined && isValidVersion(api.request, version) ? isFlexible(api.request, version) : undefined;
};

/** APIs every client must have sent (by name). kcat's CreateTopics comes from librdkafka's Admin API. */
const REQUIRED = [
  'ApiVersions',
  'Metadata',
  'Produce',
  'Fetch',
  'ListOffsets',
  'FindCoordinator',
  'JoinGroup',
  'SyncGroup',
  'OffsetCommit',
  'OffsetFetch',
  'CreateTopics',
];
/** A client pinned to Kafka 0.8.2/0.9.0's protocol has neither ApiVersions (0.10.0) nor CreateTopics (0.10.1). */
const NOT_IN_ITS_PROTOCOL: Record<string, string[]> = { 'kcat-legacy': ['ApiVersions', 'CreateTopics'] };

describe('golden bytes from real clients', () => {
  it('has fixtures for kafkajs, @platformatic/kafka and kcat (newest versions and oldest ones)', () => {
    expect(indexes.map((i) => i.client)).toEqual(['kafkajs', 'kafkajs-oldest', 'kcat', 'kcat-legacy', 'platformatic']);
  });

  for (const index of indexes) {
    describe(`${index.client} (${index.clientVersion})`, () => {
      it('covers the core APIs', () => {
        const sent = new Set(index.entries.map((e) => e.api));
        const required = REQUIRED.filter((name) => !(NOT_IN_ITS_PROTOCOL[index.client] ?? []).includes(name));
        expect(required.filter((name) => !sent.has(name))).toEqual([]);
      });

      for (const e of index.entries) {
        it(`${e.file}: ${e.api} v${e.version} request decodes and re-encodes to identical bytes`, () => {
          const frame = readFixture(index.client, e.file);
          expect(frame.readInt32BE(0)).toBe(frame.length - 4);
          const api = apis.get(e.apiKey);
          expect(api, `API key ${e.apiKey} has a schema`).toBeDefined();
          const body = frame.subarray(4);
          const { header, bodyOffset, flexible } = decodeRequestHeader(body, flexibleOf);
          expect(flexible).toBe(e.headerVersion === 2);
          expect(header).toMatchObject({ apiKey: e.apiKey, apiVersion: e.version, correlationId: e.correlationId, clientId: e.clientId });
          const { value, end } = decodeMessagePrefix(api!.request, e.version, body, bodyOffset);
          expect(end, 'the body ends exactly at the end of the frame').toBe(body.length);
          const again = Buffer.concat(
            encodeRequestFrame(api!, e.version, { correlationId: header.correlationId, clientId: header.clientId }, value),
          );
          expect(again.toString('hex')).toBe(frame.toString('hex'));
        });

        if (e.responseFile !== null) {
          it(`${e.responseFile}: the response the client accepted round-trips`, () => {
            const frame = readFixture(index.client, e.responseFile!);
            expect(frame.readInt32BE(0)).toBe(frame.length - 4);
            const api = apis.get(e.apiKey)!;
            const { correlationId, body } = decodeResponseFrame(api, e.version, frame.subarray(4));
            expect(correlationId).toBe(e.correlationId);
            const again = Buffer.concat(encodeResponseFrame(api, e.version, correlationId, body));
            expect(again.toString('hex')).toBe(frame.toString('hex'));
          });
        }
      }
    });
  }
});
