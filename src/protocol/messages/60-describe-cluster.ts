/**
 * DescribeCluster (key 60): the cluster id, controller and brokers, for admin clients (KIP-700).
 * Flexible from its first version.
 *
 * Versions:
 *   v0    — initial: include_cluster_authorized_operations; response lists brokers and the controller.
 *   v1    — request and response gain endpoint_type (1 = brokers, 2 = controllers, KIP-919);
 *           MISMATCHED_ENDPOINT_TYPE and UNSUPPORTED_ENDPOINT_TYPE become possible errors.
 *   v2    — request gains include_fenced_brokers; each broker gains is_fenced (KIP-1073).
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const DescribeClusterRequest = message({
  name: 'DescribeClusterRequest',
  kind: 'request',
  apiKey: 60,
  validVersions: '0-2',
  flexibleVersions: '0+',
  fields: [
    field('includeClusterAuthorizedOperations', T.bool, '0+'),
    field('endpointType', T.int8, '1+', { default: 1 }),
    field('includeFencedBrokers', T.bool, '2+'),
  ],
});
export type DescribeClusterRequest = MessageValue<typeof DescribeClusterRequest>;

export const DescribeClusterResponse = message({
  name: 'DescribeClusterResponse',
  kind: 'response',
  apiKey: 60,
  validVersions: '0-2',
  flexibleVersions: '0+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field('errorCode', T.int16, '0+'),
    field('errorMessage', T.string, '0+', { nullable: '0+', default: null }),
    field('endpointType', T.int8, '1+', { default: 1 }),
    field('clusterId', T.string, '0+'),
    field('controllerId', T.int32, '0+', { default: -1 }),
    field(
      'brokers',
      T.array(
        struct('DescribeClusterBroker', [
          field('brokerId', T.int32, '0+'),
          field('host', T.string, '0+'),
          field('port', T.int32, '0+'),
          field('rack', T.string, '0+', { nullable: '0+', default: null }),
          field('isFenced', T.bool, '2+'),
        ]),
      ),
      '0+',
    ),
    field('clusterAuthorizedOperations', T.int32, '0+', { default: -2147483648 }),
  ],
});
export type DescribeClusterResponse = MessageValue<typeof DescribeClusterResponse>;

export const api = defineApi({
  key: 60,
  name: 'DescribeCluster',
  request: DescribeClusterRequest,
  response: DescribeClusterResponse,
});
