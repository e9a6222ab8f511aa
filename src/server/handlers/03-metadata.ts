/**
 * Metadata (key 3): v0-13.
 *
 * Behaviour:
 *   - Brokers: this node, at its advertised address for the listener the request came in on.
 *     Controller id: this node (v1+). Cluster id from the data directory (v2+).
 *   - Topics: v0 empty list = all topics; v1+ null = all, empty = none. Listing all topics hides
 *     Kafka's internal topics (__consumer_offsets, …); asked for by name they are described (is_internal).
 *   - Every partition: leader = this node at leader epoch 0, replicas = isr = [node], offline = [].
 *   - Unknown topic names are created when auto.create.topics.enable (default true) and, from v4, the
 *     request's allow_auto_topic_creation allow it, with num.partitions. Creation is synchronous here,
 *     so the created topic is described at once (Kafka answers LEADER_NOT_AVAILABLE and lets the
 *     client retry). Otherwise UNKNOWN_TOPIC_OR_PARTITION; illegal names: INVALID_TOPIC_EXCEPTION.
 *   - v10+ topic ids in the response; v12+ topics may be asked for by id (UNKNOWN_TOPIC_ID, name null).
 *   - Authorized operations (v8+): Kafka's "not requested" value (INT32_MIN) unless asked for; when
 *     asked for, every operation the resource type has, as a broker without an authorizer answers.
 *   - v13: top-level error code NONE.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type MetadataRequest, type MetadataResponse } from '../../protocol/messages/03-metadata.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { TopicInfo } from '../../storage/index.js';
import { AUTHORIZED_OPERATIONS_OMITTED as OMITTED } from '../admin/kafka-enums.js';
import { defineHandler, type RequestContext } from '../handler.js';
import { listenerFor } from '../listeners.js';
import { LEADER_EPOCH, Topics } from '../topics/topics.js';

type ResponseTopic = MetadataResponse['topics'][number];
type ResponsePartition = ResponseTopic['partitions'][number];

/** AclOperation codes: READ 3, WRITE 4, CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11. */
const TOPIC_OPERATIONS = [3, 4, 5, 6, 7, 8, 10, 11].reduce((m, op) => m | (1 << op), 0);
/** CREATE 5, ALTER 7, DESCRIBE 8, CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12, CREATE_TOKENS 13, DESCRIBE_TOKENS 14. */
const CLUSTER_OPERATIONS = [5, 7, 8, 9, 10, 11, 12, 13, 14].reduce((m, op) => m | (1 << op), 0);

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 13,
  handle(ctx, request, version): MetadataResponse {
    const broker = ctx.broker;
    const topics = Topics.of(broker);
    const listener = listenerFor(broker.listeners, ctx.connection.listenerName);
    const ops = version >= 8 && request.includeTopicAuthorizedOperations ? TOPIC_OPERATIONS : OMITTED;

    let out: ResponseTopic[];
    const all = request.topics === null || (version === 0 && request.topics.length === 0);
    if (all) {
      out = topics
        .list()
        .filter((t) => !Topics.isInternal(t.name))
        .map((t) => describe(ctx, t, ops));
    } else {
      const allowCreate = version < 4 || request.allowAutoTopicCreation;
      // Kafka collects the requested topics into a set: a topic named twice is described once.
      const seen = new Set<string>();
      out = [];
      for (const t of request.topics ?? []) {
        const key = version >= 10 && t.topicId !== ZERO_UUID ? `id:${t.topicId}` : `name:${t.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(lookup(ctx, topics, t, version, allowCreate, ops));
      }
    }

    return {
      throttleTimeMs: 0,
      brokers: listener ? [{ nodeId: broker.nodeId, host: listener.host, port: listener.port, rack: null }] : [],
      clusterId: broker.clusterId,
      controllerId: broker.nodeId,
      topics: out,
      clusterAuthorizedOperations:
        version >= 8 && version <= 10 && request.includeClusterAuthorizedOperations ? CLUSTER_OPERATIONS : OMITTED,
      errorCode: ErrorCode.NONE,
    };
  },
});

function lookup(
  ctx: RequestContext,
  topics: Topics,
  t: NonNullable<MetadataRequest['topics']>[number],
  version: number,
  allowCreate: boolean,
  ops: number,
): ResponseTopic {
  if (version >= 10 && t.topicId !== ZERO_UUID) {
    const byId = topics.byId(t.topicId);
    if (byId === undefined) return failed(ErrorCode.UNKNOWN_TOPIC_ID, version >= 12 ? null : (t.name ?? ''), t.topicId, ops);
    return describe(ctx, byId, ops);
  }
  if (t.name === null) return failed(ErrorCode.INVALID_REQUEST, version >= 12 ? null : '', ZERO_UUID, ops);
  const r = topics.getOrAutoCreate(t.name, allowCreate);
  if (r.topic === undefined) return failed(r.errorCode, t.name, ZERO_UUID, ops);
  return describe(ctx, r.topic, ops);
}

function describe(ctx: RequestContext, t: TopicInfo, ops: number): ResponseTopic {
  const node = ctx.broker.nodeId;
  const partitions: ResponsePartition[] = new Array(t.partitions);
  for (let p = 0; p < t.partitions; p++) {
    partitions[p] = {
      errorCode: ErrorCode.NONE,
      partitionIndex: p,
      leaderId: node,
      leaderEpoch: LEADER_EPOCH,
      replicaNodes: [node],
      isrNodes: [node],
      offlineReplicas: [],
    };
  }
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.topicId,
    isInternal: Topics.isInternal(t.name),
    partitions,
    topicAuthorizedOperations: ops,
  };
}

function failed(errorCode: number, name: string | null, topicId: string, ops: number): ResponseTopic {
  return { errorCode, name, topicId, isInternal: false, partitions: [], topicAuthorizedOperations: ops };
}
