/**
 * AlterConfigs (legacy: the given set replaces a topic's overrides) and IncrementalAlterConfigs
 * (SET / DELETE / APPEND / SUBTRACT per property), with Kafka's checks and messages:
 *   - a resource named twice: INVALID_REQUEST "Each resource must appear at most once." (both);
 *   - a property named twice: INVALID_REQUEST "Error due to duplicate config keys";
 *   - a null value (other than for DELETE): INVALID_REQUEST "Null value not supported for : a, b";
 *   - TOPIC: name validity (INVALID_TOPIC_EXCEPTION; "" is INVALID_REQUEST), then the resulting overrides are validated
 *     (INVALID_CONFIG), then existence (UNKNOWN_TOPIC_OR_PARTITION "The topic 'x' does not exist.");
 *     applied through storage, which persists them and reconfigures the open logs at once;
 *   - BROKER: "" or this broker's id (else INVALID_REQUEST "Unexpected broker id ..."); Brook has no
 *     dynamic broker configs, so any change is INVALID_REQUEST "Cannot update these configs
 *     dynamically: Set(...)", as Kafka answers for its read-only properties;
 *   - BROKER_LOGGER (incremental only): INVALID_REQUEST, Brook's log level is fixed at start-up;
 *   - anything else: INVALID_REQUEST "Unknown resource type N".
 * validate_only runs every check and changes nothing.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { parseLogConfig } from '../../storage/index.js';
import { TOPIC_CONFIG_DEFS } from '../config-defs.js';
import type { BrokerContext } from '../handler.js';
import { topicDefaultStrings } from '../open-storage.js';
import { apiError, duplicates, NO_ERROR, toApiError, type ApiError } from './api-error.js';
import { brokerIdOf } from './describe-configs.js';
import { AlterConfigOp, ResourceType } from './kafka-enums.js';
import { checkTopicConfigs, isListConfig } from './topic-config-check.js';
import { checkTopicName } from './topic-names.js';

export interface ConfigChange {
  readonly name: string;
  /** IncrementalAlterConfigs operation; legacy AlterConfigs uses SET. */
  readonly op: number;
  readonly value: string | null;
}

export interface AlterResource {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly configs: readonly ConfigChange[];
}

const OP_NAMES = ['SET', 'DELETE', 'APPEND', 'SUBTRACT'];

/** Applies incremental operations to a topic's overrides; INVALID_CONFIG/INVALID_REQUEST as Kafka. */
function applyOps(current: ReadonlyMap<string, string>, changes: readonly ConfigChange[]): Map<string, string> | ApiError {
  const next = new Map(current);
  for (const c of changes) {
    switch (c.op) {
      case AlterConfigOp.SET:
        next.set(c.name, c.value!);
        break;
      case AlterConfigOp.DELETE:
        next.delete(c.name);
        break;
      case AlterConfigOp.APPEND:
      case AlterConfigOp.SUBTRACT: {
        if (!isListConfig(c.name)) {
          return apiError(ErrorCode.INVALID_CONFIG, `Can't ${OP_NAMES[c.op]} to key ${c.name} because its type is not LIST.`);
        }
        const base = next.get(c.name) ?? TOPIC_CONFIG_DEFS.get(c.name)?.default ?? '';
        const parts = base.split(',').filter((s) => s !== '');
        for (const v of c.value!.split(',')) {
          const at = parts.indexOf(v);
          if (c.op === AlterConfigOp.APPEND && at < 0) parts.push(v);
          if (c.op === AlterConfigOp.SUBTRACT && at >= 0) parts.splice(at, 1);
        }
        next.set(c.name, parts.join(','));
        break;
      }
      default:
        return apiError(ErrorCode.INVALID_REQUEST, `Unknown operations type ${c.op}`);
    }
  }
  return next;
}

function alterTopic(broker: BrokerContext, r: AlterResource, incremental: boolean, validateOnly: boolean): ApiError {
  const name = r.resourceName;
  if (name === '') return apiError(ErrorCode.INVALID_REQUEST, 'Default topic resources are not allowed.');
  const invalidName = checkTopicName(name);
  if (invalidName !== null) return invalidName;
  const topic = broker.storage.topic(name);
  const current = new Map(Object.entries(topic?.configs ?? {}));
  const next = incremental ? applyOps(current, r.configs) : new Map(r.configs.map((c) => [c.name, c.value!] as const));
  if (!(next instanceof Map)) return next;
  const invalid = checkTopicConfigs(next);
  if (invalid !== null) return invalid;
  if (topic === undefined) return apiError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
  const changes = new Map<string, string | null>(next);
  for (const key of current.keys()) if (!next.has(key)) changes.set(key, null);
  try {
    if (validateOnly) parseLogConfig(Object.fromEntries(next), topicDefaultStrings(broker.config));
    else if (changes.size > 0) broker.storage.alterTopicConfigs(name, Object.fromEntries(changes));
  } catch (err) {
    return toApiError(err);
  }
  if (!validateOnly && changes.size > 0) broker.logger.info('topic configs altered', { topic: name, configs: [...changes.keys()].join(',') });
  return NO_ERROR;
}

function alterBroker(broker: BrokerContext, r: AlterResource): ApiError {
  if (r.resourceName !== '') {
    const id = brokerIdOf(r.resourceName, 'Node id');
    if (typeof id !== 'number') return id;
    if (id !== broker.nodeId) {
      return apiError(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${broker.nodeId}, but received ${r.resourceName}`);
    }
  }
  if (r.configs.length === 0) return NO_ERROR;
  return apiError(ErrorCode.INVALID_REQUEST, `Cannot update these configs dynamically: Set(${r.configs.map((c) => c.name).join(', ')})`);
}

function alterOne(broker: BrokerContext, r: AlterResource, incremental: boolean, validateOnly: boolean): ApiError {
  if (duplicates(r.configs.map((c) => c.name)).size > 0) return apiError(ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys');
  const nulls = r.configs.filter((c) => c.value === null && c.op !== AlterConfigOp.DELETE).map((c) => c.name);
  if (nulls.length > 0) return apiError(ErrorCode.INVALID_REQUEST, `Null value not supported for : ${nulls.join(', ')}`);
  switch (r.resourceType) {
    case ResourceType.TOPIC:
      return alterTopic(broker, r, incremental, validateOnly);
    case ResourceType.BROKER:
      return alterBroker(broker, r);
    case ResourceType.BROKER_LOGGER:
      // Legacy AlterConfigs never supported loggers (Kafka answers "Unknown resource type 8" too).
      if (!incremental) break;
      return apiError(ErrorCode.INVALID_REQUEST, "Brook's log level is fixed at start-up (--log-level); broker loggers cannot be altered");
    default:
      break;
  }
  return apiError(ErrorCode.INVALID_REQUEST, `Unknown resource type ${r.resourceType}`);
}

/** One response entry per resource, in request order (AlterConfigs and IncrementalAlterConfigs alike). */
export function alterConfigs(
  broker: BrokerContext,
  resources: readonly AlterResource[],
  incremental: boolean,
  validateOnly: boolean,
): Array<{ errorCode: number; errorMessage: string | null; resourceType: number; resourceName: string }> {
  const key = (r: AlterResource): string => `${r.resourceType}:${r.resourceName}`;
  const dup = duplicates(resources.map(key));
  return resources.map((r) => {
    const err = dup.has(key(r))
      ? apiError(ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.')
      : alterOne(broker, r, incremental, validateOnly);
    return { errorCode: err.code, errorMessage: err.message, resourceType: r.resourceType, resourceName: r.resourceName };
  });
}
