/**
 * `<topic>-<partition>/partition.metadata`, Kafka's format (text, two lines):
 *     version: 0
 *     topic_id: <22-character URL-safe base64 UUID>
 * It ties a partition directory to its topic id, so a directory left from a deleted topic of the same
 * name is never mistaken for the new topic's log.
 *
 * A new partition's file is written without an fsync (see ensurePartitionMetadata): the topic store is
 * the durable record that the partition exists, and a file a crash left empty or zero-filled reads as
 * missing and is written again on open.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic, writeFileReplace } from './atomic-file.js';
import { StorageError, StorageErrorCode } from './errors.js';

export const PARTITION_METADATA_FILE = 'partition.metadata';

export function readPartitionMetadata(dir: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, PARTITION_METADATA_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const m = /^version: 0\ntopic_id: ([A-Za-z0-9_-]+)\s*$/.exec(text);
  return m?.[1];
}

/**
 * Writes the file if missing; throws INCONSISTENT_TOPIC_ID if it names another topic id. `durable`
 * false (a partition being created) skips the fsyncs: a torn file is rewritten on the next open.
 */
export function ensurePartitionMetadata(dir: string, topicId: string, durable = true): void {
  const existing = readPartitionMetadata(dir);
  if (existing === topicId) return;
  if (existing !== undefined) {
    throw new StorageError(
      StorageErrorCode.INCONSISTENT_TOPIC_ID,
      `${dir} belongs to topic id ${existing}, not ${topicId}`,
    );
  }
  const file = path.join(dir, PARTITION_METADATA_FILE);
  const content = `version: 0\ntopic_id: ${topicId}\n`;
  if (durable) writeFileAtomic(file, content);
  else writeFileReplace(file, content);
}
