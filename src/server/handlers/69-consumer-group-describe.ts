/**
 * ConsumerGroupDescribe (key 69): v0-1. State (Empty, Assigning, Reconciling, Stable), group epoch,
 * target assignment epoch, assignor and members (subscriptions, current and target assignments with
 * topic names) of KIP-848 consumer groups. Ids that are not consumer groups: GROUP_ID_NOT_FOUND.
 * Logic in ../groups/consumer/describe.ts.
 *
 * Version notes: v1 adds each member's type (1: joined with the consumer protocol, KIP-1099).
 */
import { api, type ConsumerGroupDescribeResponse } from '../../protocol/messages/69-consumer-group-describe.js';
import { consumerGroups, describeConsumerGroup } from '../groups/consumer/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 1,
  handle(ctx, request): ConsumerGroupDescribeResponse {
    const protocol = consumerGroups(ctx.broker);
    return {
      throttleTimeMs: 0,
      groups: request.groupIds.map((id) => describeConsumerGroup(protocol, id, request.includeAuthorizedOperations)),
    };
  },
});
