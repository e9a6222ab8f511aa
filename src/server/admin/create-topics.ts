/**
 * CreateTopics, topic by topic, in Kafka's order of checks: duplicate names in the request, name
 * validity and '.'/'_' collisions, existence, configs (null values, unknown names, bad values), then
 * the layout (manual assignment, or partition count and replication factor with -1 meaning the
 * broker's num.partitions / default.replication.factor). validate_only runs every check and creates
 * nothing. A successful result carries what a v5+ client expects back: topic id, partition count,
 * replication factor and every effective config.
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { CreateTopicsRequest, CreateTopicsResponse } from '../../protocol/messages/19-create-topics.js';
import { parseLogConfig, randomTopicId, type TopicConfigs } from '../../storage/index.js';
import type { BrokerContext } from '../handler.js';
import { topicDefaultStrings } from '../open-storage.js';
import { Topics } from '../topics/topics.js';
import { apiError, duplicates, toApiError, type ApiError } from './api-error.js';
import { topicConfigEntries, type ConfigEntryView } from './config-entries.js';
import { ZERO_UUID } from './kafka-enums.js';
import { checkManualAssignment, checkReplicationFactor } from './replica-assignment.js';
import { checkTopicConfigs } from './topic-config-check.js';
import { CLUSTER_METADATA_TOPIC, checkTopicCollision, checkTopicName } from './topic-names.js';

type CreatableTopic = CreateTopicsRequest['topics'][number];
type CreatableTopicResult = CreateTopicsResponse['topics'][number];

interface Layout {
  readonly partitions: number;
  readonly replicationFactor: number;
}

function failed(name: string, error: ApiError): CreatableTopicResult {
  return {
    name,
    topicId: ZERO_UUID,
    errorCode: error.code,
    errorMessage: error.message,
    topicConfigErrorCode: 0,
    numPartitions: -1,
    replicationFactor: -1,
    configs: [],
  };
}

/** The partition count and replication factor a topic request asks for, or why it cannot have them. */
function layoutOf(broker: BrokerContext, topic: CreatableTopic): Layout | ApiError {
  if (topic.assignments.length > 0) {
    if (topic.replicationFactor !== -1) {
      return apiError(ErrorCode.INVALID_REQUEST, 'A manual partition assignment was specified, but replication factor was not set to -1.');
    }
    if (topic.numPartitions !== -1) {
      return apiError(ErrorCode.INVALID_REQUEST, 'A manual partition assignment was specified, but numPartitions was not set to -1.');
    }
    const seen = new Set<number>();
    let replicationFactor: number | undefined;
    for (const a of topic.assignments) {
      if (seen.has(a.partitionIndex)) {
        return apiError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Found multiple manual partition assignments for partition ${a.partitionIndex}`);
      }
      seen.add(a.partitionIndex);
      const error = checkManualAssignment(a.brokerIds, broker.nodeId, replicationFactor);
      if (error !== null) return error;
      replicationFactor = a.brokerIds.length;
    }
    for (let i = 0; i < seen.size; i++) {
      if (!seen.has(i)) return apiError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'partitions should be a consecutive 0-based integer sequence');
    }
    return { partitions: seen.size, replicationFactor: replicationFactor! };
  }
  if (topic.replicationFactor < -1 || topic.replicationFactor === 0) {
    return apiError(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0, or -1 to use the default value.');
  }
  if (topic.numPartitions < -1 || topic.numPartitions === 0) {
    return apiError(ErrorCode.INVALID_PARTITIONS, 'Number of partitions was set to an invalid non-positive value.');
  }
  const partitions = topic.numPartitions === -1 ? broker.config.get('num.partitions') : topic.numPartitions;
  const replicationFactor = topic.replicationFactor === -1 ? broker.config.get('default.replication.factor') : topic.replicationFactor;
  return checkReplicationFactor(replicationFactor) ?? { partitions, replicationFactor };
}

function isApiError(x: Layout | ApiError): x is ApiError {
  return 'code' in x;
}

function configsOf(topic: CreatableTopic): Array<[string, string]> | ApiError {
  const nulls = topic.configs.filter((c) => c.value === null).map((c) => c.name);
  if (nulls.length > 0) return apiError(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${nulls.join(',')}`);
  const pairs = topic.configs.map((c): [string, string] => [c.name, c.value!]);
  return checkTopicConfigs(pairs) ?? pairs;
}

function createOne(broker: BrokerContext, topic: CreatableTopic, validateOnly: boolean): CreatableTopicResult {
  const { storage } = broker;
  const name = topic.name;
  if (name === CLUSTER_METADATA_TOPIC) {
    return failed(name, apiError(ErrorCode.INVALID_REQUEST, `Creation of internal topic ${CLUSTER_METADATA_TOPIC} is prohibited.`));
  }
  const nameError = checkTopicName(name) ?? checkTopicCollision(storage, name);
  if (nameError !== null) return failed(name, nameError);
  if (storage.topic(name) !== undefined) {
    return failed(name, apiError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`));
  }
  const pairs = configsOf(topic);
  if (!Array.isArray(pairs)) return failed(name, pairs);
  const configs = Object.fromEntries(pairs);
  const layout = layoutOf(broker, topic);
  if (isApiError(layout)) return failed(name, layout);

  let topicId: string;
  let overrides: TopicConfigs = configs;
  if (validateOnly) {
    try {
      parseLogConfig(configs, topicDefaultStrings(broker.config)); // what storage would refuse
    } catch (err) {
      return failed(name, toApiError(err));
    }
    topicId = randomTopicId(); // Kafka answers a validation with the id the topic would have had
  } else {
    // Through the shared Topics service: internal topics get Kafka's configs, the id cache stays warm.
    const created = Topics.of(broker).create(name, layout.partitions, configs);
    if (created.topic === undefined) return failed(name, apiError(created.errorCode, created.errorMessage));
    topicId = created.topic.topicId;
    overrides = created.topic.configs;
  }
  const entries: ConfigEntryView[] = topicConfigEntries(broker.config, overrides, { keys: null, includeDocumentation: false });
  return {
    name,
    topicId,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    topicConfigErrorCode: ErrorCode.NONE,
    numPartitions: layout.partitions,
    replicationFactor: layout.replicationFactor,
    configs: entries.map((e) => ({
      name: e.name,
      value: e.value,
      readOnly: e.readOnly,
      configSource: e.source,
      isSensitive: e.isSensitive,
    })),
  };
}

/** One result per requested topic; a name given twice gets a single INVALID_REQUEST result, last. */
export function createTopics(broker: BrokerContext, topics: readonly CreatableTopic[], validateOnly: boolean): CreatableTopicResult[] {
  const dup = duplicates(topics.map((t) => t.name));
  const results = topics.filter((t) => !dup.has(t.name)).map((t) => createOne(broker, t, validateOnly));
  for (const name of dup) results.push(failed(name, apiError(ErrorCode.INVALID_REQUEST, 'Duplicate topic name.')));
  return results;
}
