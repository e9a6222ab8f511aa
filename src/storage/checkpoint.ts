/**
 * Files at the data-dir root, in Kafka's formats:
 *
 * `recovery-point-offset-checkpoint` and `log-start-offset-checkpoint` (text):
 *     0                      version
 *     <n>                    number of entries
 *     <topic> <partition> <offset>    n lines
 *   The recovery point is the offset below which a partition's log is known to be on disk; segments
 *   from the one holding it onward are scanned after an unclean stop. Both files are replaced
 *   atomically; a missing or unreadable file only means more recovery work.
 *
 * `meta.properties` (Java properties): cluster.id, node.id, version=1 (KRaft's meta.properties v1).
 *
 * `.kafka_cleanshutdown`: present only while the store is closed cleanly; removed on open.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

export const RECOVERY_POINT_CHECKPOINT = 'recovery-point-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT = 'log-start-offset-checkpoint';
export const META_PROPERTIES = 'meta.properties';
export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';

/** Key of a partition in checkpoint maps. */
export const partitionKey = (topic: string, partition: number): string => `${topic} ${partition}`;

export function readCheckpoint(file: string): Map<string, number> {
  const out = new Map<string, number>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines[0] !== '0') return out;
  const n = Number(lines[1]);
  if (!Number.isInteger(n) || lines.length - 2 !== n) return out; // torn or foreign: ignore
  for (const line of lines.slice(2)) {
    const m = /^(\S+) (\d+) (\d+)$/.exec(line);
    if (!m) return new Map();
    out.set(partitionKey(m[1]!, Number(m[2])), Number(m[3]));
  }
  return out;
}

export function writeCheckpoint(file: string, entries: Map<string, number>): void {
  const lines = ['0', String(entries.size)];
  for (const [key, offset] of entries) lines.push(`${key} ${offset}`);
  writeFileAtomic(file, lines.join('\n') + '\n');
}

export interface MetaProperties {
  readonly clusterId: string;
  readonly nodeId: number;
}

export function readMetaProperties(dataDir: string): MetaProperties | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, META_PROPERTIES), 'utf8');
  } catch {
    return undefined;
  }
  const props = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.includes('=')) continue;
    const i = line.indexOf('=');
    props.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  const clusterId = props.get('cluster.id');
  const nodeId = Number(props.get('node.id'));
  if (clusterId === undefined || !Number.isInteger(nodeId)) return undefined;
  return { clusterId, nodeId };
}

export function writeMetaProperties(dataDir: string, meta: MetaProperties): void {
  const text = `#\n#${new Date().toUTCString()}\ncluster.id=${meta.clusterId}\nnode.id=${meta.nodeId}\nversion=1\n`;
  writeFileAtomic(path.join(dataDir, META_PROPERTIES), text);
}
