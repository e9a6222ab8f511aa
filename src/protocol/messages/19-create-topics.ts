/**
 * CreateTopics (key 19): create topics with a partition count and replication factor, or an
 * explicit replica assignment, plus topic configs.
 *
 * Versions:
 *   v0    — initial: per topic name, partitions, replication factor, assignments, configs; timeout.
 *   v1    — request gains validate_only; response gains a per-topic error message.
 *   v2    — response gains throttle_time_ms.
 *   v3    — same layout; throttled responses are sent before the throttle is applied.
 *   v4    — same layout; partitions and replication factor may be -1 to take broker defaults (KIP-464).
 *   v5    — flexible versions; response echoes partitions, replication factor and the resulting
 *           configs, with a tagged config error code (KIP-525).
 *   v6    — same layout; THROTTLING_QUOTA_EXCEEDED may be returned (KIP-599).
 *   v7    — response gains the new topic's id.
 * Kafka 4.0 dropped v0-1 from its own broker; Brook still speaks them.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const CreateTopicsRequest = message({
  name: 'CreateTopicsRequest',
  kind: 'request',
  apiKey: 19,
  validVersions: '0-7',
  flexibleVersions: '5+',
  fields: [
    field(
      'topics',
      T.array(
        struct('CreatableTopic', [
          field('name', T.string, '0+'),
          field('numPartitions', T.int32, '0+'),
          field('replicationFactor', T.int16, '0+'),
          field(
            'assignments',
            T.array(
              struct('CreatableReplicaAssignment', [
                field('partitionIndex', T.int32, '0+'),
                field('brokerIds', T.array(T.int32), '0+'),
              ]),
            ),
            '0+',
          ),
          field(
            'configs',
            T.array(
              struct('CreatableTopicConfig', [
                field('name', T.string, '0+'),
                field('value', T.string, '0+', { nullable: '0+' }),
              ]),
            ),
            '0+',
          ),
        ]),
      ),
      '0+',
    ),
    field('timeoutMs', T.int32, '0+', { default: 60000 }),
    field('validateOnly', T.bool, '1+', { default: false }),
  ],
});
export type CreateTopicsRequest = MessageValue<typeof CreateTopicsRequest>;

export const CreateTopicsResponse = message({
  name: 'CreateTopicsResponse',
  kind: 'response',
  apiKey: 19,
  validVersions: '0-7',
  flexibleVersions: '5+',
  fields: [
    field('throttleTimeMs', T.int32, '2+', { ignorable: true }),
    field(
      'topics',
      T.array(
        struct('CreatableTopicResult', [
          field('name', T.string, '0+'),
          field('topicId', T.uuid, '7+', { ignorable: true }),
          field('errorCode', T.int16, '0+'),
          field('errorMessage', T.string, '1+', { nullable: '0+', ignorable: true }),
          field('topicConfigErrorCode', T.int16, '5+', { tag: 0, taggedVersions: '5+', ignorable: true }),
          field('numPartitions', T.int32, '5+', { ignorable: true, default: -1 }),
          field('replicationFactor', T.int16, '5+', { ignorable: true, default: -1 }),
          field(
            'configs',
            T.array(
              struct('CreatableTopicConfigs', [
                field('name', T.string, '5+'),
                field('value', T.string, '5+', { nullable: '5+' }),
                field('readOnly', T.bool, '5+'),
                field('configSource', T.int8, '5+', { ignorable: true, default: -1 }),
                field('isSensitive', T.bool, '5+'),
              ]),
            ),
            '5+',
            { nullable: '5+', ignorable: true },
          ),
        ]),
      ),
      '0+',
    ),
  ],
});
export type CreateTopicsResponse = MessageValue<typeof CreateTopicsResponse>;

export const api = defineApi({
  key: 19,
  name: 'CreateTopics',
  request: CreateTopicsRequest,
  response: CreateTopicsResponse,
});
