/**
 * DeleteTopics (key 20): delete topics, by name or (from v6) by topic id.
 *
 * Versions:
 *   v0    — initial: topic names and a timeout; per-topic error codes.
 *   v1    — response gains throttle_time_ms.
 *   v2    — same layout; throttled responses are sent before the throttle is applied.
 *   v3    — same layout; TOPIC_DELETION_DISABLED may be returned.
 *   v4    — flexible versions.
 *   v5    — response gains a per-topic error message; THROTTLING_QUOTA_EXCEEDED may be returned (KIP-599).
 *   v6    — request names topics as (name or null, topic id) states instead of plain names;
 *           response gains topic id and its name becomes nullable (KIP-516).
 * Kafka 4.0 dropped v0 from its own broker; Brook still speaks it.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const DeleteTopicsRequest = message({
  name: 'DeleteTopicsRequest',
  kind: 'request',
  apiKey: 20,
  validVersions: '0-6',
  flexibleVersions: '4+',
  fields: [
    field(
      'topics',
      T.array(
        struct('DeleteTopicState', [
          field('name', T.string, '6+', { nullable: '6+', default: null }),
          field('topicId', T.uuid, '6+'),
        ]),
      ),
      '6+',
    ),
    field('topicNames', T.array(T.string), '0-5', { ignorable: true }),
    field('timeoutMs', T.int32, '0+'),
  ],
});
export type DeleteTopicsRequest = MessageValue<typeof DeleteTopicsRequest>;

export const DeleteTopicsResponse = message({
  name: 'DeleteTopicsResponse',
  kind: 'response',
  apiKey: 20,
  validVersions: '0-6',
  flexibleVersions: '4+',
  fields: [
    field('throttleTimeMs', T.int32, '1+', { ignorable: true }),
    field(
      'responses',
      T.array(
        struct('DeletableTopicResult', [
          field('name', T.string, '0+', { nullable: '6+' }),
          field('topicId', T.uuid, '6+', { ignorable: true }),
          field('errorCode', T.int16, '0+'),
          field('errorMessage', T.string, '5+', { nullable: '5+', ignorable: true, default: null }),
        ]),
      ),
      '0+',
    ),
  ],
});
export type DeleteTopicsResponse = MessageValue<typeof DeleteTopicsResponse>;

export const api = defineApi({
  key: 20,
  name: 'DeleteTopics',
  request: DeleteTopicsRequest,
  response: DeleteTopicsResponse,
});
