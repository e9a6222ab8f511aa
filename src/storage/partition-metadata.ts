/**
 * `<topic>-<partition>/partition.metadata`, Kafka's format (text, two lines):
 *     version: 0
 *     topic_id: <22-character URL-safe base64 UUID>
 * It ties a partition directory to its topic id, so a directory left from a deleted topic of the same
 * name is never mistaken for the new topic's log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { StorageError, StorageErrorCode } from './errors.js';

export const PARTITION_METADATA_FILE = 'partition.metadata';

export function readPartitionMetadata(dir: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, PARTITION_METADATA_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const m = /^version: 0\ntopic_id: (\S+)\s*$/.exec(text);
  return m?.[1];
}

/** Writes the file if missing; throws INCONSISTENT_TOPIC_ID if it names another topic id. */
export function ensurePartitionMetadata(dir: string, topicId: string): void {
  const existing = readPartitionMetadata(dir);
  if (existing === topicId) return;
  if (existing !== undefined) {
    throw new StorageError(
      StorageErrorCode.INCONSISTENT_TOPIC_ID,
      `${dir} belongs to topic id ${existing}, not ${topicId}`,
    );
  }
  writeFileAtomic(path.join(dir, PARTITION_METADATA_FILE), `version: 0\ntopic_id: ${topicId}\n`);
}
