/**
 * Produce (key 0): the client appends record batches to partitions.
 *
 * Versions:
 *   v0    — initial: acks, timeout, per-partition message sets (message format v0).
 *   v1    — response gains throttle_time_ms.
 *   v2    — response gains log_append_time_ms; request may carry message format v1.
 *   v3    — request gains transactional_id; record batches (message format v2).
 *   v4    — same layout; KAFKA_STORAGE_ERROR becomes a possible partition error.
 *   v5    — response gains log_start_offset (lets idempotent producers tell rotation from data loss).
 *   v6    — same layout as v5.
 *   v7    — same layout; zstd-compressed batches allowed (KIP-110).
 *   v8    — response gains per-record errors and a partition error message (KIP-467).
 *   v9    — flexible versions (compact types, tagged fields).
 *   v10   — response gains tagged current_leader per partition and node_endpoints (KIP-951).
 *   v11   — same layout; TRANSACTION_ABORTABLE may be returned (KIP-890).
 *   v12   — same layout; transaction protocol v2: the broker adds partitions to the transaction itself (KIP-890).
 *   v13   — topics are named by topic id instead of name, in request and response (KIP-516).
 * Kafka 4.0 dropped v0-2 from its own broker; Brook still speaks them.
 * acks=0 requests get no response at all (the server, not this schema, decides that).
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const ProduceRequest = message({
  name: 'ProduceRequest',
  kind: 'request',
  apiKey: 0,
  validVersions: '0-13',
  flexibleVersions: '9+',
  fields: [
    field('transactionalId', T.string, '3+', { nullable: '3+', default: null }),
    field('acks', T.int16, '0+'),
    field('timeoutMs', T.int32, '0+'),
    field(
      'topicData',
      T.array(
        struct('TopicProduceData', [
          field('name', T.string, '0-12', { ignorable: true }),
          field('topicId', T.uuid, '13+', { ignorable: true }),
          field(
            'partitionData',
            T.array(
              struct('PartitionProduceData', [
                field('index', T.int32, '0+'),
                field('records', T.records, '0+', { nullable: '0+' }),
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
export type ProduceRequest = MessageValue<typeof ProduceRequest>;

export const ProduceResponse = message({
  name: 'ProduceResponse',
  kind: 'response',
  apiKey: 0,
  validVersions: '0-13',
  flexibleVersions: '9+',
  fields: [
    field(
      'responses',
      T.array(
        struct('TopicProduceResponse', [
          field('name', T.string, '0-12', { ignorable: true }),
          field('topicId', T.uuid, '13+', { ignorable: true }),
          field(
            'partitionResponses',
            T.array(
              struct('PartitionProduceResponse', [
                field('index', T.int32, '0+'),
                field('errorCode', T.int16, '0+'),
                field('baseOffset', T.int64, '0+'),
                field('logAppendTimeMs', T.int64, '2+', { ignorable: true, default: -1n }),
                field('logStartOffset', T.int64, '5+', { ignorable: true, default: -1n }),
                field(
                  'recordErrors',
                  T.array(
                    struct('BatchIndexAndErrorMessage', [
                      field('batchIndex', T.int32, '8+'),
                      field('batchIndexErrorMessage', T.string, '8+', { nullable: '8+', default: null }),
                    ]),
                  ),
                  '8+',
                  { ignorable: true },
                ),
                field('errorMessage', T.string, '8+', { nullable: '8+', ignorable: true, default: null }),
                field(
                  'currentLeader',
                  struct('LeaderIdAndEpoch', [
                    field('leaderId', T.int32, '10+', { default: -1 }),
                    field('leaderEpoch', T.int32, '10+', { default: -1 }),
                  ]),
                  '10+',
                  { tag: 0, taggedVersions: '10+' },
                ),
              ]),
            ),
            '0+',
          ),
        ]),
      ),
      '0+',
    ),
    field('throttleTimeMs', T.int32, '1+', { ignorable: true, default: 0 }),
    field(
      'nodeEndpoints',
      T.array(
        struct('NodeEndpoint', [
          field('nodeId', T.int32, '10+'),
          field('host', T.string, '10+'),
          field('port', T.int32, '10+'),
          field('rack', T.string, '10+', { nullable: '10+', default: null }),
        ]),
      ),
      '10+',
      { tag: 0, taggedVersions: '10+' },
    ),
  ],
});
export type ProduceResponse = MessageValue<typeof ProduceResponse>;

export const api = defineApi({ key: 0, name: 'Produce', request: ProduceRequest, response: ProduceResponse });
