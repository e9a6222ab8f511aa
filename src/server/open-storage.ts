/**
 * Opens the broker's storage from its config: disk under log.dirs (or memory with brook.storage=memory /
 * --memory), with the broker's log.* properties as topic defaults. Like Kafka, refuses a data directory
 * whose meta.properties names another node.id (or another explicitly configured cluster.id).
 */
import { openStorage, type Storage, type TopicConfigs } from '../storage/index.js';
import { BrokerConfig, ConfigError, formatConfigValue } from './config.js';
import { TOPIC_CONFIG_DEFS } from './config-defs.js';
import type { TopicConfigName } from './config-defs.js';

/** Topic-config defaults under topic names, as Kafka strings (e.g. log.segment.bytes as segment.bytes). */
export function topicDefaultStrings(config: BrokerConfig): TopicConfigs {
  const out: Record<string, string> = {};
  for (const [name, def] of TOPIC_CONFIG_DEFS) {
    const text = formatConfigValue(def, config.topicDefault(name as TopicConfigName));
    if (text !== null) out[name] = text;
  }
  return out;
}

export function openBrokerStorage(config: BrokerConfig, now: () => number): Storage {
  const clusterId = config.get('cluster.id');
  const storage = openStorage({
    ...(config.inMemory ? { memory: true } : { dataDir: config.dataDir }),
    nodeId: config.nodeId,
    ...(clusterId !== null ? { clusterId } : {}),
    defaults: topicDefaultStrings(config),
    now,
  });
  const mismatch =
    storage.nodeId !== config.nodeId
      ? `node.id ${storage.nodeId}, but this broker is configured as node.id ${config.nodeId}`
      : clusterId !== null && storage.clusterId !== clusterId
        ? `cluster.id ${storage.clusterId}, but cluster.id is configured as ${clusterId}`
        : undefined;
  if (mismatch !== undefined) {
    storage.close();
    throw new ConfigError(`data directory ${storage.dataDir} (meta.properties) belongs to ${mismatch}`);
  }
  return storage;
}
