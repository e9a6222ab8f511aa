/**
 * ConsumerGroupHeartbeat request checks, as Kafka makes them before touching any group
 * (GroupMetadataManager.throwIfConsumerGroupHeartbeatRequestIsInvalid): INVALID_REQUEST for missing or
 * empty fields and impossible epochs, INVALID_REGULAR_EXPRESSION, UNSUPPORTED_ASSIGNOR.
 */
import { ErrorCode } from '../../../protocol/errors.js';
import type { Assignor } from './assignors/index.js';
import { LEAVE_GROUP_MEMBER_EPOCH, LEAVE_GROUP_STATIC_MEMBER_EPOCH } from './member.js';
import type { HeartbeatRequest } from './protocol.js';
import { compileRegex } from './subscriptions.js';

/** An error answer (code and Kafka's message) raised anywhere in a heartbeat. */
export class HeartbeatError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const fail = (errorCode: number, message: string): never => {
  throw new HeartbeatError(errorCode, message);
};

export function validateHeartbeat(req: HeartbeatRequest, assignors: readonly Assignor[]): void {
  const empty = (v: string | null, what: string): void => {
    if (v !== null && v.trim() === '') fail(ErrorCode.INVALID_REQUEST, `${what} can't be empty.`);
  };
  empty(req.groupId, 'GroupId');
  empty(req.instanceId, 'InstanceId');
  empty(req.rackId, 'RackId');
  // From v1 the client chooses its member id (KIP-1082).
  if (req.apiVersion >= 1) empty(req.memberId, 'MemberId');
  if (req.memberEpoch > 0 || req.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH) {
    empty(req.memberId, 'MemberId');
  } else if (req.memberEpoch === 0) {
    if (req.rebalanceTimeoutMs === -1) fail(ErrorCode.INVALID_REQUEST, 'RebalanceTimeoutMs must be provided in first request.');
    if (req.topicPartitions === null || req.topicPartitions.length > 0) fail(ErrorCode.INVALID_REQUEST, 'TopicPartitions must be empty when (re-)joining.');
    if (req.subscribedTopicNames === null && req.subscribedTopicRegex === null) {
      fail(ErrorCode.INVALID_REQUEST, 'Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.');
    }
  } else if (req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    empty(req.memberId, 'MemberId');
    if (req.instanceId === null) fail(ErrorCode.INVALID_REQUEST, "InstanceId can't be null.");
  } else {
    fail(ErrorCode.INVALID_REQUEST, 'MemberEpoch is invalid.');
  }
  if (req.subscribedTopicRegex !== null && req.subscribedTopicRegex !== '') {
    const re = compileRegex(req.subscribedTopicRegex);
    if (typeof re === 'string') fail(ErrorCode.INVALID_REGULAR_EXPRESSION, `SubscribedTopicRegex ${req.subscribedTopicRegex} is not a valid regular expression: ${re}`);
  }
  if (req.serverAssignor !== null && !assignors.some((a) => a.name === req.serverAssignor)) {
    fail(
      ErrorCode.UNSUPPORTED_ASSIGNOR,
      `ServerAssignor ${req.serverAssignor} is not supported. Supported assignors: ${assignors.map((a) => a.name).join(', ')}.`,
    );
  }
}
