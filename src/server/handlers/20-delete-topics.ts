/**
 * DeleteTopics (key 20): v0-6.
 *
 * Behaviour (Kafka's ControllerApis.deleteTopics):
 *   - v0-5 name topics; v6 names a topic by name or by id (exactly one of them). Data is removed
 *     through storage (directories renamed `-delete`, then removed).
 *   - Unknown name: UNKNOWN_TOPIC_OR_PARTITION; unknown id: UNKNOWN_TOPIC_ID (name null).
 *   - Neither or both of name and id, a name or id given twice, or a name that maps to an id also
 *     given: INVALID_REQUEST with Kafka's message.
 *   - delete.topic.enable=false: every topic fails with TOPIC_DELETION_DISABLED (v3+) or
 *     INVALID_REQUEST (v0-2).
 * Results are not in request order (Kafka shuffles them; clients match by name or id).
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type DeleteTopicsResponse } from '../../protocol/messages/20-delete-topics.js';
import { apiError, attempt, duplicates, type ApiError } from '../admin/api-error.js';
import { ZERO_UUID } from '../admin/kafka-enums.js';
import { defineHandler, type BrokerContext } from '../handler.js';
import { Topics } from '../topics/topics.js';

type Result = DeleteTopicsResponse['responses'][number];

function result(name: string | null, topicId: string, error: ApiError): Result {
  return { name, topicId, errorCode: error.code, errorMessage: error.message };
}

function deleteByName(broker: BrokerContext, name: string, topicId: string): ApiError {
  return attempt(() => {
    broker.storage.deleteTopic(name);
    broker.logger.info('topic deleted', { topic: name, topicId });
  });
}

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 6,
  handle(ctx, request, version) {
    const { broker } = ctx;
    const wanted =
      version >= 6
        ? request.topics.map((t) => ({ name: t.name, topicId: t.topicId }))
        : request.topicNames.map((name) => ({ name: name as string | null, topicId: ZERO_UUID }));
    if (!broker.config.get('delete.topic.enable')) {
      const error =
        version < 3
          ? apiError(ErrorCode.INVALID_REQUEST, 'Topic deletion is disabled.')
          : apiError(ErrorCode.TOPIC_DELETION_DISABLED);
      return { throttleTimeMs: 0, responses: wanted.map((w) => result(w.name, w.topicId, error)) };
    }
    const dupNames = duplicates(wanted.filter((w) => w.name !== null && w.topicId === ZERO_UUID).map((w) => w.name!));
    const requestDupIds = duplicates(wanted.filter((w) => w.name === null).map((w) => w.topicId));
    const dupIds = new Set(requestDupIds); // grows when a name resolves to an id also given
    const responses: Result[] = [];
    // Resolve everything first (ids, then names, as Kafka does), then delete.
    const toDelete = new Map<string, string>(); // topic id -> name
    for (const w of wanted) {
      if (w.name === null && w.topicId === ZERO_UUID) {
        responses.push(result(null, ZERO_UUID, apiError(ErrorCode.INVALID_REQUEST, 'Neither topic name nor id were specified.')));
      } else if (w.name !== null && w.topicId !== ZERO_UUID) {
        responses.push(result(w.name, w.topicId, apiError(ErrorCode.INVALID_REQUEST, 'You may not specify both topic name and topic id.')));
      } else if (w.name === null && !dupIds.has(w.topicId)) {
        const topic = Topics.of(broker).byId(w.topicId);
        if (topic === undefined) responses.push(result(null, w.topicId, apiError(ErrorCode.UNKNOWN_TOPIC_ID)));
        else toDelete.set(topic.topicId, topic.name);
      }
    }
    for (const w of wanted) {
      if (w.name === null || w.topicId !== ZERO_UUID || dupNames.has(w.name)) continue;
      const topic = broker.storage.topic(w.name);
      if (topic === undefined) {
        responses.push(result(w.name, ZERO_UUID, apiError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)));
      } else if (toDelete.has(topic.topicId) || dupIds.has(topic.topicId)) {
        toDelete.delete(topic.topicId);
        dupIds.add(topic.topicId);
        responses.push(
          result(w.name, topic.topicId, apiError(ErrorCode.INVALID_REQUEST, 'The provided topic name maps to an ID that was already supplied.')),
        );
      } else {
        toDelete.set(topic.topicId, w.name);
      }
    }
    for (const [topicId, name] of toDelete) responses.push(result(name, topicId, deleteByName(broker, name, topicId)));
    for (const name of dupNames) responses.push(result(name, ZERO_UUID, apiError(ErrorCode.INVALID_REQUEST, 'Duplicate topic name.')));
    for (const id of requestDupIds) responses.push(result(null, id, apiError(ErrorCode.INVALID_REQUEST, 'Duplicate topic id.')));
    return { throttleTimeMs: 0, responses };
  },
});
