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
import { decodeRecordBatches } from '../../src/protocol/records/records.js';
import { decodeMessageSet } from '../../src/protocol/records/legacy/message-set.js';
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

/** A decoded request, read loosely (the checks below name the fields they expect). */
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test-only field access

function decodeRequest(client: string, file: string, apiKey: number, version: number): Loose {
  const body = readFixture(client, file).subarray(4);
  const { bodyOffset } = decodeRequestHeader(body, flexibleOf);
  return decodeMessagePrefix(apis.get(apiKey)!.request, version, body, bodyOffset).value as Loose;
}

/** The records of a Produce partition, whatever the message format (v2 batches or magic 0/1 sets). */
function recordsOf(records: Buffer): Array<{ key: string | null; value: string | null; headers: string[] }> {
  const text = (b: Buffer | null) => (b === null ? null : b.toString());
  if (records.length > 16 && records[16] === 2) {
    return decodeRecordBatches(records).flatMap((b) =>
      b.records.map((r) => ({ key: text(r.key), value: text(r.value), headers: r.headers.flatMap((h) => [h.key, String(text(h.value))]) })),
    );
  }
  return decodeMessageSet(records).map((m) => ({ key: text(m.key), value: text(m.value), headers: [] }));
}

/**
 * What the client meant, per API: a byte-exact round trip cannot catch two same-typed fields read in
 * swapped order, so the decoded values are checked against what each capture scenario did
 * (test/fixtures/capture.ts: topic "golden…", keys k1-k3, values v1-v3, header h, groups "golden…").
 */
/** No scenario writes more records than this to its topic. */
const MAX_RECORDS = 8;

const MEANING: Record<string, (req: Loose, version: number, client: string) => void> = {
  Produce: (req, _v, client) => {
    expect(req.acks === -1 || req.acks === 1).toBe(true);
    expect(req.timeoutMs).toBeGreaterThan(0);
    const sent = req.topicData.flatMap((t: Loose) => {
      expect(t.name).toMatch(/^golden/);
      return t.partitionData.flatMap((p: Loose) => {
        expect([0, 1]).toContain(p.index);
        return recordsOf(p.records);
      });
    });
    const got = sent.map((r: Loose) => `${r.key}=${r.value}`).sort();
    if (req.transactionalId !== null) {
      // The scenarios' transactions: one committed record, then one aborted.
      expect(req.transactionalId).toMatch(/^golden-.*-tx$/);
      expect(req.acks).toBe(-1);
      expect([['tx=committed'], ['tx=aborted']]).toContainEqual(got);
      return;
    }
    // librdkafka may split the three lines kcat reads into several requests.
    expect(got.length).toBeGreaterThan(0);
    for (const r of got) expect(['k1=v1', 'k2=v2', 'k3=v3']).toContain(r);
    expect(new Set(got).size).toBe(got.length);
    const withHeaders = client === 'kafkajs' || client === 'platformatic' || client === 'kcat';
    if (withHeaders) for (const r of sent) expect(r.headers[0]).toBe('h');
  },
  CreateTopics: (req) => {
    expect(req.topics.map((t: Loose) => [t.name, t.numPartitions])).toEqual([['golden', 2]]);
    expect([-1, 1]).toContain(req.topics[0].replicationFactor);
    expect(req.timeoutMs).toBeGreaterThan(0);
  },
  Fetch: (req, version) => {
    expect(req.maxWaitMs).toBeGreaterThanOrEqual(0);
    expect(req.minBytes).toBeGreaterThanOrEqual(0);
    for (const t of req.topics) {
      if (version < 13) expect(t.topic).toMatch(/^golden/);
      else expect(t.topicId).not.toBe('AAAAAAAAAAAAAAAAAAAAAA');
      for (const p of t.partitions) {
        expect([0, 1]).toContain(p.partition);
        expect(p.fetchOffset).toBeGreaterThanOrEqual(0n);
        expect(p.fetchOffset).toBeLessThanOrEqual(BigInt(MAX_RECORDS));
        expect(p.partitionMaxBytes).toBeGreaterThan(0);
      }
    }
  },
  ListOffsets: (req) => {
    expect(req.replicaId).toBe(-1);
    for (const t of req.topics) {
      expect(t.name).toMatch(/^golden/);
      for (const p of t.partitions) {
        // -1 latest, -2 earliest, 0 (kcat -Q …:0), else a wall-clock time in ms around "now".
        expect([-1n, -2n, 0n].includes(p.timestamp) || p.timestamp > 1_500_000_000_000n, `timestamp ${p.timestamp}`).toBe(true);
      }
    }
  },
  FindCoordinator: (req, version) => {
    const keys = version >= 4 ? req.coordinatorKeys : [req.key];
    // Key type 0 asks for a group coordinator, 1 for a transaction coordinator (v1+).
    const transactional = version >= 1 && req.keyType === 1;
    if (version >= 1) expect([0, 1]).toContain(req.keyType);
    for (const k of keys) expect(k).toMatch(transactional ? /^golden-.*-tx$/ : /^golden.*group|^golden-legacy/);
  },
  InitProducerId: (req) => {
    // A null transactional id asks for a producer id for idempotence alone (librdkafka: no timeout, -1).
    if (req.transactionalId !== null) {
      expect(req.transactionalId).toMatch(/^golden-.*-tx$/);
      expect(req.transactionTimeoutMs).toBeGreaterThan(0);
    }
  },
  AddPartitionsToTxn: (req, version) => {
    const txns = version >= 4 ? req.transactions : [{ transactionalId: req.v3AndBelowTransactionalId, topics: req.v3AndBelowTopics }];
    for (const t of txns) {
      expect(t.transactionalId).toMatch(/^golden-.*-tx$/);
      expect(t.topics.map((x: Loose) => x.name)).toEqual(['golden']);
    }
  },
  EndTxn: (req) => {
    expect(req.transactionalId).toMatch(/^golden-.*-tx$/);
    expect(req.producerId).toBeGreaterThanOrEqual(0n);
    expect(typeof req.committed).toBe('boolean');
  },
  JoinGroup: (req) => {
    expect(req.groupId).toMatch(/^golden/);
    expect(req.protocolType).toBe('consumer');
    expect(req.sessionTimeoutMs).toBeGreaterThanOrEqual(6000);
    expect(req.protocols.length).toBeGreaterThan(0);
    for (const p of req.protocols) {
      expect(p.name).toMatch(/^(RoundRobinAssigner|range|roundrobin|cooperative-sticky|[a-z-]+)$/i);
      // ConsumerProtocolSubscription: int16 version, then the topic list naming "golden…".
      expect(p.metadata.toString('latin1')).toContain('golden');
    }
  },
  SyncGroup: (req) => {
    expect(req.groupId).toMatch(/^golden/);
    expect(req.generationId).toBeGreaterThanOrEqual(1);
    expect(req.memberId).not.toBe('');
  },
  OffsetCommit: (req) => {
    expect(req.groupId).toMatch(/^golden/);
    for (const t of req.topics) {
      expect(t.name).toMatch(/^golden/);
      for (const p of t.partitions) {
        expect(p.committedOffset).toBeGreaterThanOrEqual(0n);
        expect(p.committedOffset).toBeLessThanOrEqual(BigInt(MAX_RECORDS));
      }
    }
  },
  OffsetFetch: (req, version) => {
    const groups = version >= 8 ? req.groups.map((g: Loose) => g.groupId) : [req.groupId];
    for (const g of groups) expect(g).toMatch(/^golden/);
  },
  Metadata: (req) => {
    for (const t of req.topics ?? []) expect(t.name).toMatch(/^golden/);
  },
  ApiVersions: (req, version) => {
    if (version >= 3) {
      expect(req.clientSoftwareName).toMatch(/kafka|librdkafka/i);
      expect(req.clientSoftwareVersion).not.toBe('');
    }
  },
};

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

        const meaning = MEANING[e.api];
        if (meaning !== undefined) {
          it(`${e.file}: decodes to what the client meant`, () => {
            meaning(decodeRequest(index.client, e.file, e.apiKey, e.version), e.version, index.client);
          });
        }

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
