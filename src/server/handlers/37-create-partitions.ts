/**
 * CreatePartitions (key 37): v0-3.
 *
 * Behaviour (Kafka's ReplicationControlManager.createPartitions):
 *   - A topic may only grow: the same count is INVALID_PARTITIONS "Topic already has N partition(s).",
 *     a smaller one "The topic T currently has N partition(s); M would not be an increase.".
 *   - Assignments, when given, must cover exactly the new partitions and name only this broker
 *     (INVALID_REPLICA_ASSIGNMENT).
 *   - Unknown topic: UNKNOWN_TOPIC_OR_PARTITION; a topic named twice: INVALID_REQUEST.
 *   - validate_only checks everything and changes nothing.
 *   - New partitions are empty logs, usable at once.
 * Per version: v2+ flexible; no field changes.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type CreatePartitionsRequest, type CreatePartitionsResponse } from '../../protocol/messages/37-create-partitions.js';
import { apiError, attempt, duplicates, NO_ERROR, type ApiError } from '../admin/api-error.js';
import { checkManualAssignment } from '../admin/replica-assignment.js';
import { defineHandler, type BrokerContext } from '../handler.js';

type Topic = CreatePartitionsRequest['topics'][number];
type Result = CreatePartitionsResponse['results'][number];

function grow(broker: BrokerContext, t: Topic, validateOnly: boolean): ApiError {
  const topic = broker.storage.topic(t.name);
  if (topic === undefined) return apiError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const current = topic.partitions;
  if (t.count === current) return apiError(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partition(s).`);
  if (t.count < current) {
    return apiError(ErrorCode.INVALID_PARTITIONS, `The topic ${t.name} currently has ${current} partition(s); ${t.count} would not be an increase.`);
  }
  const additional = t.count - current;
  if (t.assignments !== null) {
    if (t.assignments.length !== additional) {
      return apiError(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Attempted to add ${additional} additional partition(s), but only ${t.assignments.length} assignment(s) were specified.`,
      );
    }
    for (const a of t.assignments) {
      const error = checkManualAssignment(a.brokerIds, broker.nodeId, 1);
      if (error !== null) return error;
    }
  }
  if (validateOnly) return NO_ERROR;
  return attempt(() => {
    broker.storage.createPartitions(t.name, t.count);
    broker.logger.info('partitions created', { topic: t.name, from: current, to: t.count });
  });
}

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 3,
  handle(ctx, request) {
    const dup = duplicates(request.topics.map((t) => t.name));
    const results: Result[] = [];
    for (const t of request.topics) {
      if (dup.has(t.name)) continue;
      const error = grow(ctx.broker, t, request.validateOnly);
      results.push({ name: t.name, errorCode: error.code, errorMessage: error.message });
    }
    for (const name of dup) {
      results.push({ name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic name.' });
    }
    return { throttleTimeMs: 0, results };
  },
});
