/**
 * CreatePartitions (key 37): raise topics' partition counts, optionally with explicit replica
 * assignments for the new partitions.
 *
 * Versions:
 *   v0    — initial: per topic the new total count and optional assignments; timeout, validate_only.
 *   v1    — same layout; throttled responses are sent before the throttle is applied.
 *   v2    — flexible versions.
 *   v3    — same layout; THROTTLING_QUOTA_EXCEEDED may be returned (KIP-599).
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const CreatePartitionsRequest = message({
  name: 'CreatePartitionsRequest',
  kind: 'request',
  apiKey: 37,
  validVersions: '0-3',
  flexibleVersions: '2+',
  fields: [
    field(
      'topics',
      T.array(
        struct('CreatePartitionsTopic', [
          field('name', T.string, '0+'),
          field('count', T.int32, '0+'),
          field(
            'assignments',
            T.array(
              struct('CreatePartitionsAssignment', [
                field('brokerIds', T.array(T.int32), '0+'),
              ]),
            ),
            '0+',
            { nullable: '0+' },
          ),
        ]),
      ),
      '0+',
    ),
    field('timeoutMs', T.int32, '0+'),
    field('validateOnly', T.bool, '0+'),
  ],
});
export type CreatePartitionsRequest = MessageValue<typeof CreatePartitionsRequest>;

export const CreatePartitionsResponse = message({
  name: 'CreatePartitionsResponse',
  kind: 'response',
  apiKey: 37,
  validVersions: '0-3',
  flexibleVersions: '2+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field(
      'results',
      T.array(
        struct('CreatePartitionsTopicResult', [
          field('name', T.string, '0+'),
          field('errorCode', T.int16, '0+'),
          field('errorMessage', T.string, '0+', { nullable: '0+', default: null }),
        ]),
      ),
      '0+',
    ),
  ],
});
export type CreatePartitionsResponse = MessageValue<typeof CreatePartitionsResponse>;

export const api = defineApi({
  key: 37,
  name: 'CreatePartitions',
  request: CreatePartitionsRequest,
  response: CreatePartitionsResponse,
});
