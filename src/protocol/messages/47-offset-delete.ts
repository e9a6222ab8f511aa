/**
 * OffsetDelete (key 47): delete a group's committed offsets for some partitions (KIP-496). Allowed only
 * for partitions the group is not subscribed to.
 *
 * Versions:
 *   v0    — the only version; never flexible. Group-level error first, then per-partition errors.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const OffsetDeleteRequest = message({
  name: 'OffsetDeleteRequest',
  kind: 'request',
  apiKey: 47,
  validVersions: '0',
  flexibleVersions: 'none',
  fields: [
    field('groupId', T.string, '0+'),
    field(
      'topics',
      T.array(
        struct('OffsetDeleteRequestTopic', [
          field('name', T.string, '0+'),
          field(
            'partitions',
            T.array(struct('OffsetDeleteRequestPartition', [field('partitionIndex', T.int32, '0+')])),
            '0+',
          ),
        ]),
      ),
      '0+',
    ),
  ],
});
export type OffsetDeleteRequest = MessageValue<typeof OffsetDeleteRequest>;

export const OffsetDeleteResponse = message({
  name: 'OffsetDeleteResponse',
  kind: 'response',
  apiKey: 47,
  validVersions: '0',
  flexibleVersions: 'none',
  fields: [
    field('errorCode', T.int16, '0+'),
    field('throttleTimeMs', T.int32, '0+', { ignorable: true }),
    field(
      'topics',
      T.array(
        struct('OffsetDeleteResponseTopic', [
          field('name', T.string, '0+'),
          field(
            'partitions',
            T.array(
              struct('OffsetDeleteResponsePartition', [
                field('partitionIndex', T.int32, '0+'),
                field('errorCode', T.int16, '0+'),
              ]),
            ),
            '0+',
          ),
        ]),
      ),
      '0+',
    ),
  ],
});
export type OffsetDeleteResponse = MessageValue<typeof OffsetDeleteResponse>;

export const api = defineApi({
  key: 47,
  name: 'OffsetDelete',
  request: OffsetDeleteRequest,
  response: OffsetDeleteResponse,
});
