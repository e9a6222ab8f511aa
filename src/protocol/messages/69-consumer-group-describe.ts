/**
 * ConsumerGroupDescribe (key 69): state, epochs and members (with current and target assignments) of
 * groups using the new consumer protocol (KIP-848).
 *
 * Versions:
 *   v0    — initial; always flexible.
 *   v1    — each member says whether it joined with the classic or the consumer protocol (KIP-1099).
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

/** Kafka's common struct: partitions of one topic, by id and name. */
const TopicPartitions = struct('TopicPartitions', [
  field('topicId', T.uuid, '0+'),
  field('topicName', T.string, '0+'),
  field('partitions', T.array(T.int32), '0+'),
]);

/** Kafka's common struct: a member's assignment. */
const Assignment = struct('Assignment', [field('topicPartitions', T.array(TopicPartitions), '0+')]);

export const ConsumerGroupDescribeRequest = message({
  name: 'ConsumerGroupDescribeRequest',
  kind: 'request',
  apiKey: 69,
  validVersions: '0-1',
  flexibleVersions: '0+',
  fields: [
    field('groupIds', T.array(T.string), '0+'),
    field('includeAuthorizedOperations', T.bool, '0+'),
  ],
});
export type ConsumerGroupDescribeRequest = MessageValue<typeof ConsumerGroupDescribeRequest>;

export const ConsumerGroupDescribeResponse = message({
  name: 'ConsumerGroupDescribeResponse',
  kind: 'response',
  apiKey: 69,
  validVersions: '0-1',
  flexibleVersions: '0+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field(
      'groups',
      T.array(
        struct('DescribedGroup', [
          field('errorCode', T.int16, '0+'),
          field('errorMessage', T.string, '0+', { nullable: '0+', default: null }),
          field('groupId', T.string, '0+'),
          field('groupState', T.string, '0+'),
          field('groupEpoch', T.int32, '0+'),
          field('assignmentEpoch', T.int32, '0+'),
          field('assignorName', T.string, '0+'),
          field(
            'members',
            T.array(
              struct('Member', [
                field('memberId', T.string, '0+'),
                field('instanceId', T.string, '0+', { nullable: '0+', default: null }),
                field('rackId', T.string, '0+', { nullable: '0+', default: null }),
                field('memberEpoch', T.int32, '0+'),
                field('clientId', T.string, '0+'),
                field('clientHost', T.string, '0+'),
                field('subscribedTopicNames', T.array(T.string), '0+'),
                field('subscribedTopicRegex', T.string, '0+', { nullable: '0+', default: null }),
                field('assignment', Assignment, '0+'),
                field('targetAssignment', Assignment, '0+'),
                // -1 unknown, 0 classic, 1 consumer.
                field('memberType', T.int8, '1+', { default: -1, ignorable: true }),
              ]),
            ),
            '0+',
          ),
          field('authorizedOperations', T.int32, '0+', { default: -2147483648 }),
        ]),
      ),
      '0+',
    ),
  ],
});
export type ConsumerGroupDescribeResponse = MessageValue<typeof ConsumerGroupDescribeResponse>;

export const api = defineApi({
  key: 69,
  name: 'ConsumerGroupDescribe',
  request: ConsumerGroupDescribeRequest,
  response: ConsumerGroupDescribeResponse,
});
