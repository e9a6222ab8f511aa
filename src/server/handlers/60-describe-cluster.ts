/**
 * DescribeCluster (key 60): v0-2.
 *
 * Behaviour (Kafka's AuthHelper.computeDescribeClusterResponse, on a broker):
 *   - One broker, this one, at the address advertised for the listener the client connected to;
 *     the controller id is this broker's id (a KRaft broker reports a live broker there too).
 *   - cluster_authorized_operations: Kafka's "not requested" sentinel (INT_MIN) unless asked for;
 *     then every operation the CLUSTER resource supports, as Kafka reports without an authorizer.
 *   - v1+ endpoint_type: BROKER (1) is served; CONTROLLER (2) is MISMATCHED_ENDPOINT_TYPE and any
 *     other value UNSUPPORTED_ENDPOINT_TYPE (both INVALID_REQUEST at v0, as Kafka).
 *   - v2 include_fenced_brokers: there are none; is_fenced is false.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type DescribeClusterResponse } from '../../protocol/messages/60-describe-cluster.js';
import { AUTHORIZED_OPERATIONS_OMITTED, CLUSTER_OPERATIONS_BITS, EndpointType } from '../admin/kafka-enums.js';
import { defineHandler } from '../handler.js';
import { listenerFor } from '../listeners.js';

function failure(errorCode: number, errorMessage: string): DescribeClusterResponse {
  return {
    throttleTimeMs: 0,
    errorCode,
    errorMessage,
    endpointType: EndpointType.BROKER,
    clusterId: '',
    controllerId: -1,
    brokers: [],
    clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 2,
  handle(ctx, request, version): DescribeClusterResponse {
    const { broker } = ctx;
    if (request.endpointType !== EndpointType.BROKER && request.endpointType !== EndpointType.CONTROLLER) {
      return failure(
        version === 0 ? ErrorCode.INVALID_REQUEST : ErrorCode.UNSUPPORTED_ENDPOINT_TYPE,
        `Unsupported endpoint type ${request.endpointType}`,
      );
    }
    if (request.endpointType === EndpointType.CONTROLLER) {
      return failure(
        version === 0 ? ErrorCode.INVALID_REQUEST : ErrorCode.MISMATCHED_ENDPOINT_TYPE,
        'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER',
      );
    }
    const listener = listenerFor(broker.listeners, ctx.connection.listenerName);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      endpointType: EndpointType.BROKER,
      clusterId: broker.clusterId,
      controllerId: broker.nodeId,
      brokers: listener === undefined ? [] : [{ brokerId: broker.nodeId, host: listener.host, port: listener.port, rack: null, isFenced: false }],
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations ? CLUSTER_OPERATIONS_BITS : AUTHORIZED_OPERATIONS_OMITTED,
    };
  },
});
