/**
 * What the produce path must do to a topic's batches before storage appends them, from the topic's
 * configs (its overrides on top of the broker's defaults), as Kafka's LogValidator decides it:
 *   - `compression.type`: `producer` keeps the producer's codec (the fast path); `uncompressed`, `gzip`,
 *     `snappy`, `lz4`, `zstd` recompress batches whose codec differs, with the codec levels
 *     `compression.gzip.level` (-1 = zlib's default), `compression.lz4.level` (accepted, one level
 *     here), `compression.zstd.level` (KIP-390);
 *   - `cleanup.policy` containing `compact`: every record must have a key;
 *   - `brook.produce.validation=full`: decode every batch and check it as Kafka does, even when the
 *     bytes would otherwise stay opaque.
 * Policies are cached per TopicInfo object (storage replaces it when the topic's configs change).
 */
import { CompressionType } from '../../protocol/records/batch-header.js';
import type { PartitionLog, TopicInfo } from '../../storage/index.js';
import type { BrokerConfig } from '../config.js';

/** `compression.type=producer`: keep whatever codec each batch arrives with. */
export const KEEP_PRODUCER_CODEC = -1;

export interface WritePolicy {
  /** Codec id the stored batches must have (0 none … 4 zstd), or KEEP_PRODUCER_CODEC. */
  readonly targetCompression: number;
  /** Level for the target codec (undefined: the codec's default). */
  readonly compressionLevel: number | undefined;
  /** cleanup.policy includes compact: keyless records are refused. */
  readonly compacted: boolean;
  /** Decode and check every batch (brook.produce.validation=full). */
  readonly fullValidation: boolean;
}

const CODEC_BY_NAME: Readonly<Record<string, number>> = {
  producer: KEEP_PRODUCER_CODEC,
  uncompressed: CompressionType.None,
  none: CompressionType.None,
  gzip: CompressionType.Gzip,
  snappy: CompressionType.Snappy,
  lz4: CompressionType.Lz4,
  zstd: CompressionType.Zstd,
};

const LEVEL_CONFIG: Readonly<Record<number, string>> = {
  [CompressionType.Gzip]: 'compression.gzip.level',
  [CompressionType.Lz4]: 'compression.lz4.level',
  [CompressionType.Zstd]: 'compression.zstd.level',
};

/** A topic config's string value: the override, else the broker default; undefined when neither. */
export type ConfigLookup = (name: string) => string | undefined;

/** The policy for a topic whose configs read through `get`. Unknown values fall back to `producer`. */
export function writePolicyFrom(get: ConfigLookup, compacted: boolean, fullValidation = false): WritePolicy {
  const type = (get('compression.type') ?? 'producer').trim().toLowerCase();
  const targetCompression = CODEC_BY_NAME[type] ?? KEEP_PRODUCER_CODEC;
  let compressionLevel: number | undefined;
  const levelName = LEVEL_CONFIG[targetCompression];
  if (levelName !== undefined) {
    const n = Number(get(levelName));
    // gzip's -1 is Deflater.DEFAULT_COMPRESSION: leave the level to the codec.
    if (Number.isInteger(n) && !(targetCompression === CompressionType.Gzip && n === -1)) compressionLevel = n;
  }
  return { targetCompression, compressionLevel, compacted, fullValidation };
}

/** True when no batch of this topic can need decoding: the produce path keeps the bytes as sent. */
export function isPassThrough(p: WritePolicy): boolean {
  return p.targetCompression === KEEP_PRODUCER_CODEC && !p.compacted && !p.fullValidation;
}

/** Policies by topic; an entry holds while the topic's TopicInfo and the log's LogConfig objects are the same. */
const cache = new WeakMap<TopicInfo, { logConfig: PartitionLog['config']; policy: WritePolicy }>();
/** brook.produce.validation=full, per broker config (static for the broker's life). */
const fullValidationByConfig = new WeakMap<BrokerConfig, boolean>();

function brokerDefault(config: BrokerConfig, name: string): string | undefined {
  try {
    const value = (config.topicDefault as (n: string) => unknown)(name);
    return value === null || value === undefined ? undefined : String(value);
  } catch {
    return undefined; // a property this build does not know
  }
}

function fullValidationEnabled(config: BrokerConfig): boolean {
  let full = fullValidationByConfig.get(config);
  if (full === undefined) {
    full = config.entry('brook.produce.validation')?.value === 'full';
    fullValidationByConfig.set(config, full);
  }
  return full;
}

/**
 * The write policy of `topic` on this broker. Cached: storage replaces the TopicInfo and the log's
 * LogConfig when configs change, so two identity checks keep the produce hot path allocation-free.
 */
export function writePolicyFor(config: BrokerConfig, topic: TopicInfo, log: PartitionLog): WritePolicy {
  const hit = cache.get(topic);
  if (hit !== undefined && hit.logConfig === log.config) return hit.policy;
  const overrides = topic.configs;
  const policy = writePolicyFrom(
    (name) => (Object.hasOwn(overrides, name) ? overrides[name] : brokerDefault(config, name)),
    log.config.cleanupPolicy.includes('compact'),
    fullValidationEnabled(config),
  );
  cache.set(topic, { logConfig: log.config, policy });
  return policy;
}
