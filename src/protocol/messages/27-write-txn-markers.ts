/**
 * WriteTxnMarkers (key 27): the transaction coordinator asks partition leaders to write commit/abort
 * control records that end a transaction (broker-to-broker).
 *
 * Versions:
 *   v0    — per marker: producer id/epoch, commit-or-abort, topics/partitions and coordinator epoch;
 *           per-partition errors out.
 *   v1    — flexible versions.
 *   v2    — each marker carries the transaction version (0/1 legacy, 2 = KIP-890 part 2) it was
 *           written under (KIP-1228, Kafka 4.2).
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const WriteTxnMarkersRequest = message({
  name: 'WriteTxnMarkersRequest',
  kind: 'request',
  apiKey: 27,
  validVersions: '0-2',
  flexibleVersions: '1+',
  fields: [
    field(
      'markers',
      T.array(
        struct('WritableTxnMarker', [
          field('producerId', T.int64, '0+'),
          field('producerEpoch', T.int16, '0+'),
          // true = commit, false = abort.
          field('transactionResult', T.bool, '0+'),
          field(
            'topics',
            T.array(
              struct('WritableTxnMarkerTopic', [
                field('name', T.string, '0+'),
                field('partitionIndexes', T.array(T.int32), '0+'),
              ]),
            ),
            '0+',
          ),
          field('coordinatorEpoch', T.int32, '0+'),
          field('transactionVersion', T.int8, '2+', { ignorable: true }),
        ]),
      ),
      '0+',
    ),
  ],
});
export type WriteTxnMarkersRequest = MessageValue<typeof WriteTxnMarkersRequest>;

export const WriteTxnMarkersResponse = message({
  name: 'WriteTxnMarkersResponse',
  kind: 'response',
  apiKey: 27,
  validVersions: '0-2',
  flexibleVersions: '1+',
  fields: [
    field(
      'markers',
      T.array(
        struct('WritableTxnMarkerResult', [
          field('producerId', T.int64, '0+'),
          field(
            'topics',
            T.array(
              struct('WritableTxnMarkerTopicResult', [
                field('name', T.string, '0+'),
                field(
                  'partitions',
                  T.array(
                    struct('WritableTxnMarkerPartitionResult', [
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
        ]),
      ),
      '0+',
    ),
  ],
});
export type WriteTxnMarkersResponse = MessageValue<typeof WriteTxnMarkersResponse>;

export const api = defineApi({
  key: 27,
  name: 'WriteTxnMarkers',
  request: WriteTxnMarkersRequest,
  response: WriteTxnMarkersResponse,
});
