/**
 * Metadata (key 3): the client learns the brokers, the controller and each topic's partitions,
 * leaders and replicas.
 *
 * Versions:
 *   v0    — initial: topic list (empty means all topics); brokers and topic/partition layout.
 *   v1    — a null topic list means all topics, empty means none; response gains broker rack,
 *           controller id and is_internal.
 *   v2    — response gains cluster_id.
 *   v3    — response gains throttle_time_ms.
 *   v4    — request gains allow_auto_topic_creation.
 *   v5    — response gains offline_replicas per partition.
 *   v6    — same layout; throttled responses are sent before the throttle is applied.
 *   v7    — response gains leader_epoch per partition.
 *   v8    — request can ask for authorized operations; response carries them for topics and cluster.
 *   v9    — flexible versions.
 *   v10   — topic ids: request topics gain topic_id (name becomes nullable), response topics gain topic_id.
 *   v11   — cluster authorized operations removed from both (moved to DescribeCluster, KIP-700).
 *   v12   — topics may be looked up by id: response topic name becomes nullable.
 *   v13   — response gains a top-level error_code (REBOOTSTRAP_REQUIRED, KIP-1102).
 * Kafka's own broker refuses v0 but Brook speaks it.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const MetadataRequest = message({
  name: 'MetadataRequest',
  kind: 'request',
  apiKey: 3,
  validVersions: '0-13',
  flexibleVersions: '9+',
  fields: [
    field(
      'topics',
      T.array(
        struct('MetadataRequestTopic', [
          field('topicId', T.uuid, '10+', { ignorable: true }),
          field('name', T.string, '0+', { nullable: '10+' }),
        ]),
      ),
      '0+',
      { nullable: '1+' },
    ),
    field('allowAutoTopicCreation', T.bool, '4+', { default: true }),
    field('includeClusterAuthorizedOperations', T.bool, '8-10'),
    field('includeTopicAuthorizedOperations', T.bool, '8+'),
  ],
});
export type MetadataRequest = MessageValue<typeof MetadataRequest>;

export const MetadataResponse = message({
  name: 'MetadataResponse',
  kind: 'response',
  apiKey: 3,
  validVersions: '0-13',
  flexibleVersions: '9+',
  fields: [
    field('throttleTimeMs', T.int32, '3+', { ignorable: true }),
    field(
      'brokers',
      T.array(
        struct('MetadataResponseBroker', [
          field('nodeId', T.int32, '0+'),
          field('host', T.string, '0+'),
          field('port', T.int32, '0+'),
          field('rack', T.string, '1+', { nullable: '1+', ignorable: true, default: null }),
        ]),
      ),
      '0+',
    ),
    field('clusterId', T.string, '2+', { nullable: '2+', ignorable: true, default: null }),
    field('controllerId', T.int32, '1+', { ignorable: true, default: -1 }),
    field(
      'topics',
      T.array(
        struct('MetadataResponseTopic', [
          field('errorCode', T.int16, '0+'),
          field('name', T.string, '0+', { nullable: '12+' }),
          field('topicId', T.uuid, '10+', { ignorable: true }),
          field('isInternal', T.bool, '1+', { ignorable: true, default: false }),
          field(
            'partitions',
            T.array(
              struct('MetadataResponsePartition', [
                field('errorCode', T.int16, '0+'),
                field('partitionIndex', T.int32, '0+'),
                field('leaderId', T.int32, '0+'),
                field('leaderEpoch', T.int32, '7+', { ignorable: true, default: -1 }),
                field('replicaNodes', T.array(T.int32), '0+'),
                field('isrNodes', T.array(T.int32), '0+'),
                field('offlineReplicas', T.array(T.int32), '5+', { ignorable: true }),
              ]),
            ),
            '0+',
          ),
          field('topicAuthorizedOperations', T.int32, '8+', { default: -2147483648 }),
        ]),
      ),
      '0+',
    ),
    field('clusterAuthorizedOperations', T.int32, '8-10', { default: -2147483648 }),
    field('errorCode', T.int16, '13+', { ignorable: true }),
  ],
});
export type MetadataResponse = MessageValue<typeof MetadataResponse>;

export const api = defineApi({ key: 3, name: 'Metadata', request: MetadataRequest, response: MetadataResponse });
