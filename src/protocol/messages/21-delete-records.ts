/**
 * DeleteRecords (key 21): advance partitions' log start offsets, deleting everything before them.
 *
 * Versions:
 *   v0    — initial: per partition the offset to delete up to (-1 = high watermark); response
 *           gives the new low watermark.
 *   v1    — same layout; throttled responses are sent before the throttle is applied.
 *   v2    — flexible versions.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const DeleteRecordsRequest = message({
  name: 'DeleteRecordsRequest',
  kind: 'request',
  apiKey: 21,
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [
    field(
      'topics',
      T.array(
        struct('DeleteRecordsTopic', [
          field('name', T.string, '0+'),
          field(
            'partitions',
            T.array(
              struct('DeleteRecordsPartition', [
                field('partitionIndex', T.int32, '0+'),
                field('offset', T.int64, '0+'),
              ]),
            ),
            '0+',
          ),
        ]),
      ),
      '0+',
    ),
    field('timeoutMs', T.int32, '0+'),
  ],
});
export type DeleteRecordsRequest = MessageValue<typeof DeleteRecordsRequest>;

export const DeleteRecordsResponse = message({
  name: 'DeleteRecordsResponse',
  kind: 'response',
  apiKey: 21,
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field(
      'topics',
      T.array(
        struct('DeleteRecordsTopicResult', [
          field('name', T.string, '0+'),
          field(
            'partitions',
            T.array(
              struct('DeleteRecordsPartitionResult', [
                field('partitionIndex', T.int32, '0+'),
                field('lowWatermark', T.int64, '0+'),
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
export type DeleteRecordsResponse = MessageValue<typeof DeleteRecordsResponse>;

export const api = defineApi({
  key: 21,
  name: 'DeleteRecords',
  request: DeleteRecordsRequest,
  response: DeleteRecordsResponse,
});
