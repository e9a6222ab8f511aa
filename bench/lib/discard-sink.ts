/**
 * A discard-everything Kafka endpoint, run as its own process: answers ApiVersions, Metadata (every
 * topic asked for exists, with --partitions partitions led by this node) and Produce (success, offsets
 * counted, nothing stored). It is the ceiling for a real client: what kafkajs reaches when the server
 * costs almost nothing. Any other request closes the connection.
 *
 *   node --import tsx bench/lib/discard-sink.ts [--partitions 1]
 * Prints "sink ready bootstrap=127.0.0.1:PORT".
 */
import net from 'node:net';
import { decodeMessage, encodeResponseFrame, isFlexible, isValidVersion, defaultValue } from '../../src/protocol/codec.js';
import { decodeRequestHeader } from '../../src/protocol/headers.js';
import type { ApiSpec } from '../../src/protocol/schema/dsl.js';
import { api as produceApi, type ProduceResponse } from '../../src/protocol/messages/00-produce.js';
import { api as metadataApi } from '../../src/protocol/messages/03-metadata.js';
import { api as apiVersionsApi } from '../../src/protocol/messages/18-api-versions.js';
import { Framer } from '../../src/server/framer.js';
import { Args } from './args.js';

const args = new Args(process.argv.slice(2));
const partitions = args.number('partitions', 1);
const SUPPORTED: Array<{ api: ApiSpec<any, any>; min: number; max: number }> = [
  { api: produceApi, min: 3, max: 9 },
  { api: metadataApi, min: 0, max: 9 },
  { api: apiVersionsApi, min: 0, max: 3 },
];
const byKey = new Map(SUPPORTED.map((s) => [s.api.key, s]));
const nextOffset = new Map<string, number>();
let port = 0;

function flexibleOf(apiKey: number, version: number): boolean | undefined {
  const s = byKey.get(apiKey);
  return s !== undefined && isValidVersion(s.api.request, version) ? isFlexible(s.api.request, version) : undefined;
}

function handle(frame: Buffer): Buffer[] | null {
  const { header, bodyOffset, flexible } = decodeRequestHeader(frame, flexibleOf);
  const { apiKey, apiVersion: v, correlationId } = header;
  if (apiKey === apiVersionsApi.key) {
    const version = flexible === undefined ? 0 : v; // unknown version: answer v0, as Kafka does
    const res = defaultValue(apiVersionsApi.response, version);
    res.apiKeys = SUPPORTED.map((s) => ({ apiKey: s.api.key, minVersion: s.min, maxVersion: s.max })) as typeof res.apiKeys;
    return encodeResponseFrame(apiVersionsApi, version, correlationId, res);
  }
  const s = byKey.get(apiKey);
  if (s === undefined || flexible === undefined || v < s.min || v > s.max) throw new Error(`unsupported request ${apiKey} v${v}`);
  if (apiKey === metadataApi.key) {
    const req = decodeMessage(metadataApi.request, v, frame, bodyOffset);
    const res = defaultValue(metadataApi.response, v);
    res.brokers = [{ nodeId: 0, host: '127.0.0.1', port, rack: null }] as typeof res.brokers;
    res.clusterId = 'discard-sink';
    res.controllerId = 0;
    res.topics = (req.topics ?? []).map((t) => ({
      errorCode: 0,
      name: t.name,
      topicId: t.topicId,
      isInternal: false,
      partitions: Array.from({ length: partitions }, (_, i) => ({
        errorCode: 0,
        partitionIndex: i,
        leaderId: 0,
        leaderEpoch: 0,
        replicaNodes: [0],
        isrNodes: [0],
        offlineReplicas: [],
      })),
      topicAuthorizedOperations: -2147483648,
    })) as typeof res.topics;
    return encodeResponseFrame(metadataApi, v, correlationId, res);
  }
  const req = decodeMessage(produceApi.request, v, frame, bodyOffset);
  const responses: ProduceResponse['responses'] = req.topicData.map((t) => ({
    name: t.name,
    topicId: t.topicId,
    partitionResponses: t.partitionData.map((p) => {
      const key = `${t.name}-${p.index}`;
      const base = nextOffset.get(key) ?? 0;
      const records = p.records as Buffer | null;
      // lastOffsetDelta + 1 records in a v2 batch (offset 23 of its header)
      const count = records !== null && records.length >= 61 ? records.readInt32BE(23) + 1 : 0;
      nextOffset.set(key, base + count);
      return {
        index: p.index,
        errorCode: 0,
        baseOffset: BigInt(base),
        logAppendTimeMs: -1n,
        logStartOffset: 0n,
        recordErrors: [],
        errorMessage: null,
        currentLeader: { leaderId: -1, leaderEpoch: -1 },
      };
    }),
  })) as ProduceResponse['responses'];
  if (req.acks === 0) return null;
  return encodeResponseFrame(produceApi, v, correlationId, { responses, throttleTimeMs: 0, nodeEndpoints: [] } as ProduceResponse);
}

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  const framer = new Framer(256 << 20);
  socket.on('data', (chunk: Buffer) => {
    framer.push(chunk);
    socket.cork();
    try {
      for (let f = framer.next(); f !== undefined; f = framer.next()) {
        const out = handle(f);
        if (out !== null) for (const b of out) socket.write(b);
      }
    } catch (err) {
      process.stderr.write(`sink: closing connection: ${(err as Error).message}\n`);
      socket.destroy();
      return;
    }
    socket.uncork();
  });
  socket.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => {
  port = (server.address() as net.AddressInfo).port;
  console.log(`sink ready bootstrap=127.0.0.1:${port}`);
});
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => process.exit(0));
