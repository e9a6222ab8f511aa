/**
 * Topic-name checks of CreateTopics, with Kafka's messages (Topic.validate and the '.'/'_' collision
 * rule: "a.b" and "a_b" would share metric names, so Kafka refuses the second).
 */
import { ErrorCode } from '../../protocol/errors.js';
import type { Storage } from '../../storage/index.js';
import { apiError, type ApiError } from './api-error.js';

const MAX_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Kafka's KRaft metadata topic: never creatable by clients. */
export const CLUSTER_METADATA_TOPIC = '__cluster_metadata';

export function checkTopicName(name: string): ApiError | null {
  const invalid = (message: string): ApiError => apiError(ErrorCode.INVALID_TOPIC_EXCEPTION, message);
  if (name.length === 0) return invalid("Topic name is illegal, it can't be empty");
  if (name === '.' || name === '..') return invalid('Topic name cannot be "." or ".."');
  if (name.length > MAX_NAME_LENGTH) {
    return invalid(`Topic name is illegal, it can't be longer than ${MAX_NAME_LENGTH} characters, topic name: ${name}`);
  }
  if (!LEGAL.test(name)) {
    return invalid(`Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`);
  }
  return null;
}

function unify(name: string): string {
  return name.replace(/\./g, '_');
}

/** INVALID_TOPIC_EXCEPTION when an existing topic differs from `name` only in '.' versus '_'. */
export function checkTopicCollision(storage: Storage, name: string): ApiError | null {
  if (!name.includes('.') && !name.includes('_')) return null;
  const unified = unify(name);
  for (const t of storage.listTopics()) {
    if (t.name !== name && unify(t.name) === unified) {
      return apiError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${name}' collides with existing topic: ${t.name}`);
    }
  }
  return null;
}
