/**
 * Fetch (key 1): consumers and followers read record batches from partitions, long-polling until
 * min_bytes are available or max_wait_ms passes.
 *
 * Versions:
 *   v0    — initial: replica id, wait/min bytes, per-partition fetch offset and byte limit.
 *   v1    — response gains throttle_time_ms.
 *   v2    — same layout; responses may hold message format v1.
 *   v3    — request gains a response-wide max_bytes; partitions are served in request order.
 *   v4    — request gains isolation_level; response gains last_stable_offset and aborted transactions
 *           (message format v2, transactions).
 *   v5    — request and response gain log_start_offset.
 *   v6    — same layout; KAFKA_STORAGE_ERROR may be returned.
 *   v7    — incremental fetch sessions (KIP-227): session id/epoch, forgotten topics, top-level error code.
 *   v8    — same layout; throttled responses are sent before the throttle is applied.
 *   v9    — request gains current_leader_epoch per partition (KIP-320).
 *   v10   — same layout; zstd batches may be returned (KIP-110).
 *   v11   — request gains rack_id, response gains preferred_read_replica (KIP-392, follower fetching).
 *   v12   — flexible versions; request gains last_fetched_epoch and a tagged cluster_id; response gains
 *           tagged diverging_epoch, current_leader and snapshot_id (KIP-595).
 *   v13   — topics are named by topic id instead of name (KIP-516).
 *   v14   — same layout; OFFSET_MOVED_TO_TIERED_STORAGE may be returned (KIP-405).
 *   v15   — replica_id moves into a tagged replica_state with the replica epoch (KIP-903).
 *   v16   — response gains tagged node_endpoints (KIP-951).
 *   v17   — request gains tagged replica_directory_id per partition (KIP-853); response unchanged.
 *   v18   — request gains tagged high_watermark per partition, the follower's known HWM (KIP-1166);
 *           response unchanged.
 * Kafka 4.0 dropped v0-3 from its own broker; Brook still speaks them.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const FetchRequest = message({
  name: 'FetchRequest',
  kind: 'request',
  apiKey: 1,
  validVersions: '0-18',
  flexibleVersions: '12+',
  fields: [
    field(
      'clusterId',
      T.string,
      '12+',
      { nullable: '12+', tag: 0, taggedVersions: '12+', ignorable: true, default: null },
    ),
    field('replicaId', T.int32, '0-14', { default: -1 }),
    field(
      'replicaState',
      struct('ReplicaState', [
        field('replicaId', T.int32, '15+', { default: -1 }),
        field('replicaEpoch', T.int64, '15+', { default: -1n }),
      ]),
      '15+',
      { tag: 1, taggedVersions: '15+' },
    ),
    field('maxWaitMs', T.int32, '0+'),
    field('minBytes', T.int32, '0+'),
    field('maxBytes', T.int32, '3+', { ignorable: true, default: 0x7fffffff }),
    field('isolationLevel', T.int8, '4+', { ignorable: true, default: 0 }),
    field('sessionId', T.int32, '7+', { ignorable: true, default: 0 }),
    field('sessionEpoch', T.int32, '7+', { ignorable: true, default: -1 }),
    field(
      'topics',
      T.array(
        struct('FetchTopic', [
          field('topic', T.string, '0-12', { ignorable: true }),
          field('topicId', T.uuid, '13+', { ignorable: true }),
          field(
            'partitions',
            T.array(
              struct('FetchPartition', [
                field('partition', T.int32, '0+'),
                field('currentLeaderEpoch', T.int32, '9+', { ignorable: true, default: -1 }),
                field('fetchOffset', T.int64, '0+'),
                field('lastFetchedEpoch', T.int32, '12+', { default: -1 }),
                field('logStartOffset', T.int64, '5+', { ignorable: true, default: -1n }),
                field('partitionMaxBytes', T.int32, '0+'),
                field('replicaDirectoryId', T.uuid, '17+', { tag: 0, taggedVersions: '17+', ignorable: true }),
                field(
                  'highWatermark',
                  T.int64,
                  '18+',
                  { tag: 1, taggedVersions: '18+', ignorable: true, default: 9223372036854775807n },
                ),
              ]),
            ),
            '0+',
          ),
        ]),
      ),
      '0+',
    ),
    field(
      'forgottenTopicsData',
      T.array(
        struct('ForgottenTopic', [
          field('topic', T.string, '7-12', { ignorable: true }),
          field('topicId', T.uuid, '13+', { ignorable: true }),
          field('partitions', T.array(T.int32), '7+'),
        ]),
      ),
      '7+',
    ),
    field('rackId', T.string, '11+', { ignorable: true, default: '' }),
  ],
});
export type FetchRequest = MessageValue<typeof FetchRequest>;

export const FetchResponse = message({
  name: 'FetchResponse',
  kind: 'response',
  apiKey: 1,
  validVersions: '0-18',
  flexibleVersions: '12+',
  fields: [
    field('throttleTimeMs', T.int32, '1+', { ignorable: true }),
    field('errorCode', T.int16, '7+', { ignorable: true }),
    field('sessionId', T.int32, '7+', { default: 0 }),
    field(
      'responses',
      T.array(
        struct('FetchableTopicResponse', [
          field('topic', T.string, '0-12', { ignorable: true }),
          field('topicId', T.uuid, '13+', { ignorable: true }),
          field(
            'partitions',
            T.array(
              struct('PartitionData', [
                field('partitionIndex', T.int32, '0+'),
                field('errorCode', T.int16, '0+'),
                field('highWatermark', T.int64, '0+'),
                field('lastStableOffset', T.int64, '4+', { ignorable: true, default: -1n }),
                field('logStartOffset', T.int64, '5+', { ignorable: true, default: -1n }),
                field(
                  'divergingEpoch',
                  struct('EpochEndOffset', [
                    field('epoch', T.int32, '12+', { default: -1 }),
                    field('endOffset', T.int64, '12+', { default: -1n }),
                  ]),
                  '12+',
                  { tag: 0, taggedVersions: '12+' },
                ),
                field(
                  'currentLeader',
                  struct('LeaderIdAndEpoch', [
                    field('leaderId', T.int32, '12+', { default: -1 }),
                    field('leaderEpoch', T.int32, '12+', { default: -1 }),
                  ]),
                  '12+',
                  { tag: 1, taggedVersions: '12+' },
                ),
                field(
                  'snapshotId',
                  struct('SnapshotId', [
                    field('endOffset', T.int64, '0+', { default: -1n }),
                    field('epoch', T.int32, '0+', { default: -1 }),
                  ]),
                  '12+',
                  { tag: 2, taggedVersions: '12+' },
                ),
                field(
                  'abortedTransactions',
                  T.array(
                    struct('AbortedTransaction', [
                      field('producerId', T.int64, '4+'),
                      field('firstOffset', T.int64, '4+'),
                    ]),
                  ),
                  '4+',
                  { nullable: '4+', ignorable: true },
                ),
                field('preferredReadReplica', T.int32, '11+', { default: -1 }),
                field('records', T.records, '0+', { nullable: '0+' }),
              ]),
            ),
            '0+',
          ),
        ]),
      ),
      '0+',
    ),
    field(
      'nodeEndpoints',
      T.array(
        struct('NodeEndpoint', [
          field('nodeId', T.int32, '16+'),
          field('host', T.string, '16+'),
          field('port', T.int32, '16+'),
          field('rack', T.string, '16+', { nullable: '16+', default: null }),
        ]),
      ),
      '16+',
      { tag: 0, taggedVersions: '16+' },
    ),
  ],
});
export type FetchResponse = MessageValue<typeof FetchResponse>;

export const api = defineApi({ key: 1, name: 'Fetch', request: FetchRequest, response: FetchResponse });
