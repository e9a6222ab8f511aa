/**
 * DescribeTransactions (key 65): state, timeout, producer and partitions of transactional ids, from their
 * transaction coordinator (KIP-664).
 *
 * Versions:
 *   v0    — the only version; always flexible.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const DescribeTransactionsRequest = message({
  name: 'DescribeTransactionsRequest',
  kind: 'request',
  apiKey: 65,
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [field('transactionalIds', T.array(T.string), '0+')],
});
export type DescribeTransactionsRequest = MessageValue<typeof DescribeTransactionsRequest>;

export const DescribeTransactionsResponse = message({
  name: 'DescribeTransactionsResponse',
  kind: 'response',
  apiKey: 65,
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field(
      'transactionStates',
      T.array(
        struct('TransactionState', [
          field('errorCode', T.int16, '0+'),
          field('transactionalId', T.string, '0+'),
          field('transactionState', T.string, '0+'),
          field('transactionTimeoutMs', T.int32, '0+'),
          field('transactionStartTimeMs', T.int64, '0+'),
          field('producerId', T.int64, '0+'),
          field('producerEpoch', T.int16, '0+'),
          field(
            'topics',
            T.array(
              struct('TopicData', [
                field('topic', T.string, '0+'),
                field('partitions', T.array(T.int32), '0+'),
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
export type DescribeTransactionsResponse = MessageValue<typeof DescribeTransactionsResponse>;

export const api = defineApi({
  key: 65,
  name: 'DescribeTransactions',
  request: DescribeTransactionsRequest,
  response: DescribeTransactionsResponse,
});
