/**
 * The topic metadata store: every topic's name, id, partition count and per-topic config overrides.
 * On disk it is `<data-dir>/brook-topics.json`, replaced atomically on every change:
 *     { "version": 1, "topics": [ { "name": "t", "topicId": "<22-char base64url UUID>",
 *                                   "partitions": 3, "configs": { "cleanup.policy": "compact" } } ] }
 * (Kafka keeps the same facts in its KRaft metadata log; a file is enough for one node.)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { StorageError, StorageErrorCode } from './errors.js';
import type { TopicInfo } from './types.js';

export const TOPICS_FILE = 'brook-topics.json';

/** A random version-4 UUID in Kafka's printable form (22 chars of URL-safe base64, never starting with '-'). */
export function randomTopicId(): string {
  for (;;) {
    const b = crypto.randomBytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const s = b.toString('base64url');
    if (!s.startsWith('-')) return s;
  }
}

const LEGAL_TOPIC = /^[a-zA-Z0-9._-]+$/;

/** Kafka's topic-name rules (Topic.validate). Throws INVALID_TOPIC_EXCEPTION. */
export function validateTopicName(name: string): void {
  let why: string | undefined;
  if (name.length === 0) why = 'the empty string is not allowed';
  else if (name === '.' || name === '..') why = `'${name}' is not allowed`;
  else if (name.length > 249) why = 'the length exceeds 249 characters';
  else if (!LEGAL_TOPIC.test(name)) why = "it contains characters other than ASCII alphanumerics, '.', '_' and '-'";
  if (why !== undefined) throw new StorageError(StorageErrorCode.INVALID_TOPIC_EXCEPTION, `Topic name "${name}" is illegal: ${why}`);
}

export function loadTopics(dataDir: string): TopicInfo[] {
  const file = path.join(dataDir, TOPICS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StorageError(StorageErrorCode.KAFKA_STORAGE_ERROR, `cannot read ${file}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new StorageError(StorageErrorCode.KAFKA_STORAGE_ERROR, `${file} is not valid JSON`, { cause: err });
  }
  const doc = parsed as { version?: unknown; topics?: unknown };
  if (doc.version !== 1 || !Array.isArray(doc.topics)) {
    throw new StorageError(StorageErrorCode.KAFKA_STORAGE_ERROR, `${file}: unknown format`);
  }
  return (doc.topics as Array<Record<string, unknown>>).map((t) => ({
    name: String(t.name),
    topicId: String(t.topicId),
    partitions: Number(t.partitions),
    configs: { ...((t.configs as Record<string, string> | undefined) ?? {}) },
  }));
}

export function saveTopics(dataDir: string, topics: Iterable<TopicInfo>): void {
  const doc = { version: 1, topics: [...topics].map((t) => ({ ...t, configs: { ...t.configs } })) };
  writeFileAtomic(path.join(dataDir, TOPICS_FILE), JSON.stringify(doc, null, 2) + '\n');
}
