/**
 * ConsumerGroupHeartbeat (key 68): the new consumer group protocol (KIP-848). One request both joins,
 * heartbeats and leaves; the coordinator computes assignments and hands each member its own.
 *
 * Versions:
 *   v0    — initial; always flexible. Fields left null in a heartbeat mean "unchanged".
 *   v1    — request may subscribe by a server-side regular expression; the broker may answer
 *           INVALID_SUBSCRIPTION_REGEX.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

/** Kafka's common struct: partitions of one topic, named by topic id. */
const TopicPartitions = struct('TopicPartitions', [
  field('topicId', T.uuid, '0+'),
  field('partitions', T.array(T.int32), '0+'),
]);

export const ConsumerGroupHeartbeatRequest = message({
  name: 'ConsumerGroupHeartbeatRequest',
  kind: 'request',
  apiKey: 68,
  validVersions: '0-1',
  flexibleVersions: '0+',
  fields: [
    field('groupId', T.string, '0+'),
    field('memberId', T.string, '0+'),
    field('memberEpoch', T.int32, '0+'),
    field('instanceId', T.string, '0+', { nullable: '0+', default: null }),
    field('rackId', T.string, '0+', { nullable: '0+', default: null }),
    field('rebalanceTimeoutMs', T.int32, '0+', { default: -1 }),
    field('subscribedTopicNames', T.array(T.string), '0+', { nullable: '0+', default: null }),
    field('subscribedTopicRegex', T.string, '1+', { nullable: '1+', default: null }),
    field('serverAssignor', T.string, '0+', { nullable: '0+', default: null }),
    field('topicPartitions', T.array(TopicPartitions), '0+', { nullable: '0+', default: null }),
  ],
});
export type ConsumerGroupHeartbeatRequest = MessageValue<typeof ConsumerGroupHeartbeatRequest>;

export const ConsumerGroupHeartbeatResponse = message({
  name: 'ConsumerGroupHeartbeatResponse',
  kind: 'response',
  apiKey: 68,
  validVersions: '0-1',
  flexibleVersions: '0+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field('errorCode', T.int16, '0+'),
    field('errorMessage', T.string, '0+', { nullable: '0+', default: null }),
    field('memberId', T.string, '0+', { nullable: '0+', default: null }),
    field('memberEpoch', T.int32, '0+'),
    field('heartbeatIntervalMs', T.int32, '0+'),
    // Null when the member's assignment has not changed since the last heartbeat.
    field('assignment', struct('Assignment', [field('topicPartitions', T.array(TopicPartitions), '0+')]), '0+', {
      nullable: '0+',
      default: null,
    }),
  ],
});
export type ConsumerGroupHeartbeatResponse = MessageValue<typeof ConsumerGroupHeartbeatResponse>;

export const api = defineApi({
  key: 68,
  name: 'ConsumerGroupHeartbeat',
  request: ConsumerGroupHeartbeatRequest,
  response: ConsumerGroupHeartbeatResponse,
});
