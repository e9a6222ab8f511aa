/**
 * Setup steps over the wire (any Kafka broker): version negotiation, topic creation (CreateTopics, or
 * Metadata auto-creation where the broker has no CreateTopics), waiting for leaders, end offsets.
 */
import { defaultValue } from '../../src/protocol/codec.js';
import { api as apiVersionsApi } from '../../src/protocol/messages/18-api-versions.js';
import { api as createTopicsApi } from '../../src/protocol/messages/19-create-topics.js';
import { api as listOffsetsApi } from '../../src/protocol/messages/02-list-offsets.js';
import { api as metadataApi } from '../../src/protocol/messages/03-metadata.js';
import { ZERO_UUID } from '../../src/protocol/primitives/uuid.js';
import type { WireConnection } from './wire.js';

/** API key → highest version the broker supports. */
export type VersionTable = Map<number, number>;

export async function apiVersions(conn: WireConnection): Promise<VersionTable> {
  const res = await conn.request(apiVersionsApi, 0, defaultValue(apiVersionsApi.request, 0));
  if (res.errorCode !== 0) throw new Error(`ApiVersions failed with error ${res.errorCode}`);
  return new Map(res.apiKeys.map((k) => [k.apiKey, k.maxVersion]));
}

/** The version to speak: the highest both sides know, capped at `cap`. */
export function pick(versions: VersionTable, apiKey: number, cap: number): number {
  const max = versions.get(apiKey);
  if (max === undefined) throw new Error(`the broker does not support API key ${apiKey}`);
  return Math.min(max, cap);
}

export interface TopicLayout {
  partitions: number;
}

async function metadataFor(conn: WireConnection, versions: VersionTable, topic: string, autoCreate: boolean) {
  const v = pick(versions, 3, 9);
  const body = defaultValue(metadataApi.request, v);
  body.topics = [{ topicId: ZERO_UUID, name: topic }] as typeof body.topics;
  body.allowAutoTopicCreation = autoCreate;
  return conn.request(metadataApi, v, body);
}

/**
 * Creates `topic` with `partitions` partitions unless it exists, then waits until every partition has
 * a leader. Returns the partition count found (an existing topic keeps its own count).
 */
export async function ensureTopic(conn: WireConnection, versions: VersionTable, topic: string, partitions: number): Promise<TopicLayout> {
  if (versions.has(19)) {
    const v = pick(versions, 19, 5);
    const body = defaultValue(createTopicsApi.request, v);
    body.timeoutMs = 30_000;
    body.topics = [{ name: topic, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] } as never];
    const res = await conn.request(createTopicsApi, v, body);
    const r = res.topics[0];
    // 36 = TOPIC_ALREADY_EXISTS
    if (r !== undefined && r.errorCode !== 0 && r.errorCode !== 36) {
      throw new Error(`CreateTopics ${topic}: error ${r.errorCode} ${r.errorMessage ?? ''}`);
    }
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    const md = await metadataFor(conn, versions, topic, true);
    const t = md.topics.find((x) => x.name === topic);
    if (t !== undefined && t.errorCode === 0 && t.partitions.length > 0 && t.partitions.every((p) => p.leaderId >= 0)) {
      return { partitions: t.partitions.length };
    }
    if (Date.now() > deadline) throw new Error(`topic ${topic} has no leaders after 30 s (error ${t?.errorCode})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Latest (end) offset of each partition 0..n-1. */
export async function endOffsets(conn: WireConnection, versions: VersionTable, topic: string, partitions: number): Promise<number[]> {
  const v = pick(versions, 2, 7);
  const body = defaultValue(listOffsetsApi.request, v);
  body.replicaId = -1;
  body.topics = [
    {
      name: topic,
      partitions: Array.from({ length: partitions }, (_, i) => ({ partitionIndex: i, currentLeaderEpoch: -1, timestamp: -1n, maxNumOffsets: 1 })),
    } as never,
  ];
  const res = await conn.request(listOffsetsApi, v, body);
  const out = new Array<number>(partitions).fill(0);
  for (const p of res.topics[0]?.partitions ?? []) {
    if (p.errorCode !== 0) throw new Error(`ListOffsets ${topic}-${p.partitionIndex}: error ${p.errorCode}`);
    out[p.partitionIndex] = Number(p.offset);
  }
  return out;
}
