/**
 * ConsumerGroupHeartbeat (key 68): v0-1. The KIP-848 consumer group protocol: one request joins
 * (member epoch 0), heartbeats, acknowledges revocations (the partitions it still owns) and leaves
 * (-1; -2 for a static member leaving for now). The broker computes assignments (uniform, range) and
 * hands each member its own. Logic in ../groups/consumer/protocol.ts.
 *
 * Errors as Kafka answers them: INVALID_REQUEST (missing fields on join, bad epoch), UNSUPPORTED_ASSIGNOR,
 * INVALID_REGULAR_EXPRESSION, GROUP_ID_NOT_FOUND (unknown group, or a classic group with members),
 * GROUP_MAX_SIZE_REACHED, UNKNOWN_MEMBER_ID, FENCED_MEMBER_EPOCH, UNRELEASED_INSTANCE_ID, FENCED_INSTANCE_ID.
 *
 * Version notes: v0 — an empty member id on join gets a broker-generated one; v1 — the client chooses
 * its member id (empty is INVALID_REQUEST) and may subscribe with subscribed_topic_regex.
 */
import { api, type ConsumerGroupHeartbeatResponse } from '../../protocol/messages/68-consumer-group-heartbeat.js';
import { consumerGroups } from '../groups/consumer/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 1,
  handle(ctx, request, version): ConsumerGroupHeartbeatResponse {
    const result = consumerGroups(ctx.broker).heartbeat({
      groupId: request.groupId,
      memberId: request.memberId,
      memberEpoch: request.memberEpoch,
      instanceId: request.instanceId,
      rackId: request.rackId,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs,
      subscribedTopicNames: request.subscribedTopicNames,
      subscribedTopicRegex: version >= 1 ? request.subscribedTopicRegex : null,
      serverAssignor: request.serverAssignor,
      topicPartitions: request.topicPartitions,
      clientId: ctx.header.clientId ?? '',
      clientHost: `/${ctx.connection.remoteAddress}`,
      apiVersion: version,
    });
    return { throttleTimeMs: 0, ...result };
  },
});
