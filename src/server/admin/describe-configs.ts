/**
 * DescribeConfigs per resource (Kafka's ConfigHelper.describeConfigs):
 *   TOPIC (2)         — Topic.validate on the name (INVALID_TOPIC_EXCEPTION), UNKNOWN_TOPIC_OR_PARTITION
 *                       for a missing topic, else every topic property;
 *   BROKER (4)        — "" is the cluster-wide dynamic defaults (none in Brook: an empty list); this
 *                       broker's id gives every broker property; anything else is INVALID_REQUEST;
 *   BROKER_LOGGER (8) — the broker's one logger, "root", at its level (log4j names);
 *   others            — INVALID_REQUEST (Brook has no group or client-metrics configs).
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { BrokerContext } from '../handler.js';
import { apiError, type ApiError } from './api-error.js';
import { brokerConfigEntries, topicConfigEntries, type ConfigEntryView, type DescribeOptions } from './config-entries.js';
import { ConfigSource, ResourceType, resourceTypeName } from './kafka-enums.js';
import { checkTopicName } from './topic-names.js';

export type DescribeOutcome = ApiError | ConfigEntryView[];

/** Parses a broker resource name; INVALID_REQUEST with Kafka's message when it is not a number. */
export function brokerIdOf(name: string, what = 'Broker id'): number | ApiError {
  if (!/^[+-]?\d+$/.test(name.trim())) return apiError(ErrorCode.INVALID_REQUEST, `${what} must be an integer, but it is: ${name}`);
  return Number(name.trim());
}

const LOG4J_LEVELS: Readonly<Record<string, string>> = {
  silent: 'OFF',
  error: 'ERROR',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBUG',
  trace: 'TRACE',
};

export function describeResource(broker: BrokerContext, type: number, name: string, options: DescribeOptions): DescribeOutcome {
  switch (type) {
    case ResourceType.TOPIC: {
      const invalid = checkTopicName(name);
      if (invalid !== null) return invalid;
      const topic = broker.storage.topic(name);
      if (topic === undefined) return apiError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null);
      return topicConfigEntries(broker.config, topic.configs, options);
    }
    case ResourceType.BROKER: {
      if (name === '') return [];
      const id = brokerIdOf(name);
      if (typeof id !== 'number') return id;
      if (id !== broker.nodeId) {
        return apiError(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${broker.nodeId} or empty string, but received ${name}`);
      }
      return brokerConfigEntries(broker.config, options);
    }
    case ResourceType.BROKER_LOGGER: {
      if (name === '') return apiError(ErrorCode.INVALID_REQUEST, 'Broker id must not be empty');
      const id = brokerIdOf(name);
      if (typeof id !== 'number') return id;
      if (id !== broker.nodeId) {
        return apiError(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${broker.nodeId} but received ${name}`);
      }
      const value = LOG4J_LEVELS[broker.logger.level] ?? 'INFO';
      const root: ConfigEntryView = {
        name: 'root',
        value,
        readOnly: false,
        source: ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG,
        isSensitive: false,
        synonyms: [],
        configType: 0,
        documentation: null,
      };
      return options.keys === null || options.keys.length === 0 || options.keys.includes('root') ? [root] : [];
    }
    default:
      return apiError(ErrorCode.INVALID_REQUEST, `Unsupported resource type: ${resourceTypeName(type)}`);
  }
}
