/**
 * DescribeLogDirs (key 35): per log directory of the broker, its partitions' sizes and lags.
 *
 * Versions:
 *   v0    — initial: topics to describe (null for all); per directory, topic partitions with size,
 *           offset lag and is_future_key.
 *   v1    — same layout; throttled responses are sent before the throttle is applied.
 *   v2    — flexible versions.
 *   v3    — response gains a top-level error_code.
 *   v4    — response gains total_bytes and usable_bytes per directory (KIP-827).
 * Kafka 4.0 dropped v0 from its own broker; Brook still speaks it.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const DescribeLogDirsRequest = message({
  name: 'DescribeLogDirsRequest',
  kind: 'request',
  apiKey: 35,
  validVersions: '0-4',
  flexibleVersions: '2+',
  fields: [
    field(
      'topics',
      T.array(
        struct('DescribableLogDirTopic', [
          field('topic', T.string, '0+'),
          field('partitions', T.array(T.int32), '0+'),
        ]),
      ),
      '0+',
      { nullable: '0+' },
    ),
  ],
});
export type DescribeLogDirsRequest = MessageValue<typeof DescribeLogDirsRequest>;

export const DescribeLogDirsResponse = message({
  name: 'DescribeLogDirsResponse',
  kind: 'response',
  apiKey: 35,
  validVersions: '0-4',
  flexibleVersions: '2+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field('errorCode', T.int16, '3+', { ignorable: true }),
    field(
      'results',
      T.array(
        struct('DescribeLogDirsResult', [
          field('errorCode', T.int16, '0+'),
          field('logDir', T.string, '0+'),
          field(
            'topics',
            T.array(
              struct('DescribeLogDirsTopic', [
                field('name', T.string, '0+'),
                field(
                  'partitions',
                  T.array(
                    struct('DescribeLogDirsPartition', [
                      field('partitionIndex', T.int32, '0+'),
                      field('partitionSize', T.int64, '0+'),
                      field('offsetLag', T.int64, '0+'),
                      field('isFutureKey', T.bool, '0+'),
                    ]),
                  ),
                  '0+',
                ),
              ]),
            ),
            '0+',
          ),
          field('totalBytes', T.int64, '4+', { ignorable: true, default: -1n }),
          field('usableBytes', T.int64, '4+', { ignorable: true, default: -1n }),
        ]),
      ),
      '0+',
    ),
  ],
});
export type DescribeLogDirsResponse = MessageValue<typeof DescribeLogDirsResponse>;

export const api = defineApi({
  key: 35,
  name: 'DescribeLogDirs',
  request: DescribeLogDirsRequest,
  response: DescribeLogDirsResponse,
});
