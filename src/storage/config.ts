/**
 * Topic configuration → LogConfig. Values are Kafka's strings; defaults are Kafka's topic defaults,
 * overridable per store (`StorageOptions.defaults`, e.g. the broker's log.* properties) and per topic.
 * Only the properties storage uses are parsed here; the server owns the full config table.
 */
import { StorageError, StorageErrorCode } from './errors.js';
import type { LogConfig, TopicConfigs } from './types.js';

/** Kafka's Long.MAX_VALUE; read as "never" / "unbounded". */
export const LONG_MAX = '9223372036854775807';

export const KAFKA_TOPIC_DEFAULTS: TopicConfigs = {
  'segment.bytes': '1073741824',
  'segment.ms': '604800000',
  'segment.index.bytes': '10485760',
  'index.interval.bytes': '4096',
  'max.message.bytes': '1048588',
  'flush.messages': LONG_MAX,
  'flush.ms': LONG_MAX,
  'message.timestamp.type': 'CreateTime',
  'message.timestamp.before.max.ms': LONG_MAX,
  'message.timestamp.after.max.ms': LONG_MAX,
  'retention.ms': '604800000',
  'retention.bytes': '-1',
  'cleanup.policy': 'delete',
};

function invalid(name: string, value: string, why: string): never {
  throw new StorageError(StorageErrorCode.INVALID_CONFIG, `Invalid value ${value} for configuration ${name}: ${why}`);
}

/** Parses an integer config; values at or beyond 2^53 (Kafka's Long.MAX_VALUE) become Infinity. */
function parseLong(name: string, value: string, min: number, max = Infinity): number {
  if (!/^-?\d+$/.test(value.trim())) invalid(name, value, 'not a number');
  const n = Number(value.trim());
  const v = n >= Number.MAX_SAFE_INTEGER ? Infinity : n;
  if (v < min) invalid(name, value, `must be at least ${min}`);
  if (v > max) invalid(name, value, `must be at most ${max}`);
  return v;
}

const INT_MAX = 2147483647;

/** Effective LogConfig for `overrides` on top of `defaults` on top of Kafka's defaults. Throws INVALID_CONFIG. */
export function parseLogConfig(overrides: TopicConfigs = {}, defaults: TopicConfigs = {}): LogConfig {
  const get = (name: string): string => overrides[name] ?? defaults[name] ?? KAFKA_TOPIC_DEFAULTS[name] ?? '';
  const timestampType = get('message.timestamp.type');
  if (timestampType !== 'CreateTime' && timestampType !== 'LogAppendTime') {
    invalid('message.timestamp.type', timestampType, 'must be CreateTime or LogAppendTime');
  }
  const cleanupPolicy = get('cleanup.policy')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const p of cleanupPolicy) if (p !== 'delete' && p !== 'compact') invalid('cleanup.policy', p, 'must be delete and/or compact');
  return {
    segmentBytes: parseLong('segment.bytes', get('segment.bytes'), 14, INT_MAX),
    segmentMs: parseLong('segment.ms', get('segment.ms'), 1),
    segmentIndexBytes: parseLong('segment.index.bytes', get('segment.index.bytes'), 8, INT_MAX),
    indexIntervalBytes: parseLong('index.interval.bytes', get('index.interval.bytes'), 0, INT_MAX),
    maxMessageBytes: parseLong('max.message.bytes', get('max.message.bytes'), 0, INT_MAX),
    flushMessages: parseLong('flush.messages', get('flush.messages'), 1),
    flushMs: parseLong('flush.ms', get('flush.ms'), 0),
    timestampType,
    timestampBeforeMaxMs: parseLong('message.timestamp.before.max.ms', get('message.timestamp.before.max.ms'), 0),
    timestampAfterMaxMs: parseLong('message.timestamp.after.max.ms', get('message.timestamp.after.max.ms'), 0),
    retentionMs: parseLong('retention.ms', get('retention.ms'), -1),
    retentionBytes: parseLong('retention.bytes', get('retention.bytes'), -1),
    cleanupPolicy,
  };
}
