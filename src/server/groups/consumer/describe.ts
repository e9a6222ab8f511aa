/**
 * ConsumerGroupDescribe (KIP-848) answers: the group's state, epochs and assignor, and per member its
 * subscription, current assignment and target assignment, with topic names beside the ids. Ids that
 * are not consumer groups answer GROUP_ID_NOT_FOUND, as Kafka.
 */
import { ErrorCode } from '../../../protocol/errors.js';
import type { ConsumerGroupDescribeResponse } from '../../../protocol/messages/69-consumer-group-describe.js';
import { AUTHORIZED_OPERATIONS_OMITTED, GROUP_OPERATIONS_BITS } from '../../admin/kafka-enums.js';
import { toWire, type Assignment } from './assignment.js';
import type { ConsumerGroupProtocol } from './protocol.js';

export type DescribedConsumerGroup = ConsumerGroupDescribeResponse['groups'][number];

/** ConsumerGroupDescribe v1 member type: 1 = joined with the consumer protocol. */
const MEMBER_TYPE_CONSUMER = 1;

export function describeConsumerGroup(protocol: ConsumerGroupProtocol, groupId: string, includeAuthorizedOperations: boolean): DescribedConsumerGroup {
  const group = protocol.consumerGroup(groupId);
  if (group === undefined) {
    return {
      errorCode: ErrorCode.GROUP_ID_NOT_FOUND,
      errorMessage: protocol.notFoundMessage(groupId),
      groupId,
      groupState: '',
      groupEpoch: 0,
      assignmentEpoch: 0,
      assignorName: '',
      members: [],
      authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    };
  }
  const named = (a: Assignment): { topicPartitions: Array<{ topicId: string; topicName: string; partitions: number[] }> } => ({
    topicPartitions: toWire(a).map((t) => ({ topicId: t.topicId, topicName: protocol.topics.byId(t.topicId)?.name ?? '', partitions: t.partitions })),
  });
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    groupId,
    groupState: group.stateName(),
    groupEpoch: group.groupEpoch,
    assignmentEpoch: group.assignmentEpoch,
    assignorName: group.preferredAssignor() ?? protocol.defaultAssignor.name,
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      instanceId: m.instanceId,
      rackId: m.rackId,
      memberEpoch: m.memberEpoch,
      clientId: m.clientId,
      clientHost: m.clientHost,
      subscribedTopicNames: [...m.subscribedTopicNames],
      subscribedTopicRegex: m.subscribedTopicRegex,
      assignment: named(m.assigned),
      targetAssignment: named(group.target(m.memberId)),
      memberType: MEMBER_TYPE_CONSUMER,
    })),
    authorizedOperations: includeAuthorizedOperations ? GROUP_OPERATIONS_BITS : AUTHORIZED_OPERATIONS_OMITTED,
  };
}
