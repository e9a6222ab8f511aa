/**
 * DescribeProducers (key 61): the active idempotent/transactional producers of partitions, as the
 * partition leader sees them (KIP-664; used to find hanging transactions).
 *
 * Versions:
 *   v0    — the only version; always flexible.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const DescribeProducersRequest = message({
  name: 'DescribeProducersRequest',
  kind: 'request',
  apiKey: 61,
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    field(
      'topics',
      T.array(
        struct('TopicRequest', [
          field('name', T.string, '0+'),
          field('partitionIndexes', T.array(T.int32), '0+'),
        ]),
      ),
      '0+',
    ),
  ],
});
export type DescribeProducersRequest = MessageValue<typeof DescribeProducersRequest>;

export const DescribeProducersResponse = message({
  name: 'DescribeProducersResponse',
  kind: 'response',
  apiKey: 61,
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field(
      'topics',
      T.array(
        struct('TopicResponse', [
          field('name', T.string, '0+'),
          field(
            'partitions',
            T.array(
              struct('PartitionResponse', [
                field('partitionIndex', T.int32, '0+'),
                field('errorCode', T.int16, '0+'),
                field('errorMessage', T.string, '0+', { nullable: '0+', default: null }),
                field(
                  'activeProducers',
                  T.array(
                    struct('ProducerState', [
                      field('producerId', T.int64, '0+'),
                      // int32 on the wire although producer epochs are int16 elsewhere.
                      field('producerEpoch', T.int32, '0+'),
                      field('lastSequence', T.int32, '0+', { default: -1 }),
                      field('lastTimestamp', T.int64, '0+', { default: -1n }),
                      field('coordinatorEpoch', T.int32, '0+'),
                      field('currentTxnStartOffset', T.int64, '0+', { default: -1n }),
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
export type DescribeProducersResponse = MessageValue<typeof DescribeProducersResponse>;

export const api = defineApi({
  key: 61,
  name: 'DescribeProducers',
  request: DescribeProducersRequest,
  response: DescribeProducersResponse,
});
