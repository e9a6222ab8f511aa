/**
 * Every configuration property Brook reads, under Apache Kafka's names, with type, default and a short
 * description. This table is the single source for config parsing, DescribeConfigs and the README's
 * configuration table. Broker properties come from server.properties / --override; topic properties are
 * per-topic overrides whose default is the broker property named in `synonym` (as in Kafka: retention.ms
 * defaults to log.retention.ms). Properties marked `brook` are Brook's own (Kafka has no equivalent).
 *
 * Defaults are Kafka's, except where noted in the doc text.
 */

export type ConfigType = 'boolean' | 'string' | 'int' | 'short' | 'long' | 'double' | 'list' | 'password';
export type ConfigScope = 'broker' | 'topic';

export interface ConfigDef {
  readonly name: string;
  readonly type: ConfigType;
  readonly scope: ConfigScope;
  /** Default in Kafka's string form; null means "no value". */
  readonly default: string | null;
  readonly doc: string;
  /** For topic configs: the broker property that supplies the default. */
  readonly synonym?: string;
  /** Allowed values (string configs), checked on parse. */
  readonly oneOf?: readonly string[];
  /** Lowest allowed numeric value. */
  readonly min?: number;
  /** Brook's own property. */
  readonly brook?: boolean;
}

const LONG_MAX = '9223372036854775807';

export const CONFIG_DEFS = [
  // ── identity and listeners
  { name: 'node.id', type: 'int', scope: 'broker', default: '0', min: 0, doc: 'The id of this broker (KRaft name; broker.id is accepted as an alias).' },
  { name: 'broker.id', type: 'int', scope: 'broker', default: null, min: 0, doc: 'Legacy alias of node.id.' },
  { name: 'cluster.id', type: 'string', scope: 'broker', default: null, brook: true, doc: 'Cluster id reported in Metadata; generated and kept in the data dir when unset.' },
  { name: 'listeners', type: 'list', scope: 'broker', default: 'PLAINTEXT://localhost:9092', doc: 'Comma-separated NAME://host:port listeners. Host "localhost" binds both 127.0.0.1 and ::1; an empty host or 0.0.0.0/:: binds every interface; port 0 picks a free port.' },
  { name: 'advertised.listeners', type: 'list', scope: 'broker', default: null, doc: 'Addresses given to clients in Metadata, per listener name. Defaults to the listeners (a wildcard host is replaced by this machine\'s host name).' },
  { name: 'listener.security.protocol.map', type: 'list', scope: 'broker', default: 'PLAINTEXT:PLAINTEXT', doc: 'Listener name to security protocol. Brook speaks PLAINTEXT only.' },
  // ── network
  { name: 'socket.request.max.bytes', type: 'int', scope: 'broker', default: '104857600', min: 1, doc: 'Largest request frame accepted; a bigger frame closes the connection.' },
  { name: 'connections.max.idle.ms', type: 'long', scope: 'broker', default: '600000', min: 0, doc: 'Close connections idle for this long (no request in flight); 0 disables.' },
  { name: 'queued.max.requests', type: 'int', scope: 'broker', default: '500', min: 1, doc: 'Requests in flight on one connection before Brook stops reading from it (Kafka applies this broker-wide).' },
  { name: 'queued.max.response.bytes', type: 'long', scope: 'broker', default: '16777216', min: 1, brook: true, doc: 'Response bytes queued for one connection before Brook stops reading its requests (back-pressure).' },
  { name: 'controlled.shutdown.max.ms', type: 'long', scope: 'broker', default: '30000', min: 0, brook: true, doc: 'How long a graceful shutdown waits for in-flight requests before closing connections.' },
  { name: 'message.max.bytes', type: 'int', scope: 'broker', default: '1048588', min: 0, doc: 'Largest record batch accepted (topic override: max.message.bytes).' },
  { name: 'fetch.max.bytes', type: 'int', scope: 'broker', default: '57671680', min: 1024, doc: 'Most bytes returned by one Fetch.' },
  { name: 'max.incremental.fetch.session.cache.slots', type: 'int', scope: 'broker', default: '1000', min: 0, doc: 'Most incremental fetch sessions (KIP-227) kept at once; 0 disables sessions.' },
  // ── storage
  { name: 'log.dirs', type: 'string', scope: 'broker', default: null, doc: 'Data directory (Brook uses one). --data-dir sets it; defaults to log.dir.' },
  { name: 'log.dir', type: 'string', scope: 'broker', default: './data', doc: 'Data directory used when log.dirs is unset (Brook default ./data).' },
  { name: 'brook.storage', type: 'string', scope: 'broker', default: 'disk', oneOf: ['disk', 'memory'], brook: true, doc: 'Where logs live: "disk" (log.dirs) or "memory" (nothing persists; --memory).' },
  { name: 'log.segment.bytes', type: 'int', scope: 'broker', default: '1073741824', min: 14, doc: 'Size at which a log segment is rolled.' },
  { name: 'log.roll.ms', type: 'long', scope: 'broker', default: null, doc: 'Age at which a segment is rolled; log.roll.hours when unset.' },
  { name: 'log.roll.hours', type: 'int', scope: 'broker', default: '168', min: 1, doc: 'Age in hours at which a segment is rolled.' },
  { name: 'log.retention.ms', type: 'long', scope: 'broker', default: null, doc: 'How long data is kept (-1: forever); log.retention.minutes/hours when unset.' },
  { name: 'log.retention.minutes', type: 'int', scope: 'broker', default: null, doc: 'Retention in minutes; log.retention.hours when unset.' },
  { name: 'log.retention.hours', type: 'int', scope: 'broker', default: '168', doc: 'Retention in hours.' },
  { name: 'log.retention.bytes', type: 'long', scope: 'broker', default: '-1', doc: 'Size a partition may reach before old segments are deleted (-1: no limit).' },
  { name: 'log.retention.check.interval.ms', type: 'long', scope: 'broker', default: '300000', min: 1, doc: 'How often retention is checked.' },
  { name: 'log.cleanup.policy', type: 'list', scope: 'broker', default: 'delete', doc: 'delete, compact, or both.' },
  { name: 'log.cleaner.delete.retention.ms', type: 'long', scope: 'broker', default: '86400000', min: 0, doc: 'How long delete tombstones are kept in compacted topics.' },
  { name: 'log.cleaner.min.compaction.lag.ms', type: 'long', scope: 'broker', default: '0', min: 0, doc: 'Minimum age of a record before it may be compacted.' },
  { name: 'log.cleaner.max.compaction.lag.ms', type: 'long', scope: 'broker', default: LONG_MAX, min: 1, doc: 'Maximum time a record stays uncompacted.' },
  { name: 'log.cleaner.min.cleanable.ratio', type: 'double', scope: 'broker', default: '0.5', min: 0, doc: 'Dirty ratio that makes a log eligible for compaction.' },
  { name: 'log.index.interval.bytes', type: 'int', scope: 'broker', default: '4096', min: 0, doc: 'Bytes between offset-index entries.' },
  { name: 'log.index.size.max.bytes', type: 'int', scope: 'broker', default: '10485760', min: 4, doc: 'Largest offset index file.' },
  { name: 'log.flush.interval.messages', type: 'long', scope: 'broker', default: LONG_MAX, min: 1, doc: 'Messages written before the log is fsynced.' },
  { name: 'log.flush.interval.ms', type: 'long', scope: 'broker', default: null, doc: 'Time before the log is fsynced; unset means flush is driven by log.flush.interval.messages.' },
  { name: 'log.message.timestamp.type', type: 'string', scope: 'broker', default: 'CreateTime', oneOf: ['CreateTime', 'LogAppendTime'], doc: 'Timestamp kept in batches.' },
  { name: 'log.message.timestamp.before.max.ms', type: 'long', scope: 'broker', default: LONG_MAX, min: 0, doc: 'How far in the past a CreateTime timestamp may be.' },
  { name: 'log.message.timestamp.after.max.ms', type: 'long', scope: 'broker', default: LONG_MAX, min: 0, doc: 'How far in the future a CreateTime timestamp may be.' },
  { name: 'log.preallocate', type: 'boolean', scope: 'broker', default: 'false', doc: 'Preallocate segment files.' },
  { name: 'compression.type', type: 'string', scope: 'broker', default: 'producer', oneOf: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'], doc: 'Compression of stored batches; producer keeps what the producer sent.' },
  { name: 'compression.gzip.level', type: 'int', scope: 'broker', default: '-1', min: -1, doc: 'gzip level (1-9; -1: zlib default, 6) used when the broker compresses with gzip.' },
  { name: 'compression.lz4.level', type: 'int', scope: 'broker', default: '9', min: 1, doc: 'lz4 level (1-17) used when the broker compresses with lz4. Accepted for compatibility: Brook\'s lz4 encoder has one level.' },
  { name: 'compression.zstd.level', type: 'int', scope: 'broker', default: '3', min: -131072, doc: 'zstd level (-131072 to 22) used when the broker compresses with zstd.' },
  { name: 'brook.produce.validation', type: 'string', scope: 'broker', default: 'header', oneOf: ['header', 'full'], brook: true, doc: 'header: a batch the topic stores as produced is checked on its header and CRC only (records stay opaque); full: every batch is decompressed and its records checked as Kafka\'s log validator does (inner offsets, record count, keys on compacted topics). Recompressed and compacted topics are always checked in full.' },
  { name: 'min.insync.replicas', type: 'int', scope: 'broker', default: '1', min: 1, doc: 'Replicas that must acknowledge acks=all writes (Brook has one).' },
  // ── topics
  { name: 'auto.create.topics.enable', type: 'boolean', scope: 'broker', default: 'true', doc: 'Create a topic when a client asks for metadata of an unknown one.' },
  { name: 'num.partitions', type: 'int', scope: 'broker', default: '1', min: 1, doc: 'Partitions of auto-created topics.' },
  { name: 'default.replication.factor', type: 'int', scope: 'broker', default: '1', min: 1, doc: 'Replication factor of auto-created topics (only 1 is possible here).' },
  { name: 'delete.topic.enable', type: 'boolean', scope: 'broker', default: 'true', doc: 'Allow DeleteTopics.' },
  // ── groups
  { name: 'offsets.topic.num.partitions', type: 'int', scope: 'broker', default: '50', min: 1, doc: 'Partitions of __consumer_offsets.' },
  { name: 'offsets.topic.replication.factor', type: 'short', scope: 'broker', default: '1', min: 1, doc: 'Replication factor of __consumer_offsets (Kafka default 3; one broker here).' },
  { name: 'offsets.retention.minutes', type: 'int', scope: 'broker', default: '10080', min: 1, doc: 'How long committed offsets of an empty group are kept.' },
  { name: 'offsets.retention.check.interval.ms', type: 'long', scope: 'broker', default: '600000', min: 1, doc: 'How often expired offsets are removed.' },
  { name: 'offset.metadata.max.bytes', type: 'int', scope: 'broker', default: '4096', doc: 'Largest metadata string of a committed offset (OFFSET_METADATA_TOO_LARGE above).' },
  { name: 'group.initial.rebalance.delay.ms', type: 'int', scope: 'broker', default: '0', min: 0, doc: 'Time the first rebalance of a new group waits for more members. Brook default 0 (Kafka: 3000) so a local consumer starts at once.' },
  { name: 'group.min.session.timeout.ms', type: 'int', scope: 'broker', default: '6000', doc: 'Smallest session timeout a member may ask for.' },
  { name: 'group.max.session.timeout.ms', type: 'int', scope: 'broker', default: '1800000', doc: 'Largest session timeout a member may ask for.' },
  { name: 'group.max.size', type: 'int', scope: 'broker', default: '2147483647', min: 1, doc: 'Most members in one group.' },
  { name: 'group.consumer.session.timeout.ms', type: 'int', scope: 'broker', default: '45000', min: 1, doc: 'Session timeout of KIP-848 consumer-group members (ConsumerGroupHeartbeat): a member silent this long is fenced.' },
  { name: 'group.consumer.heartbeat.interval.ms', type: 'int', scope: 'broker', default: '5000', min: 1, doc: 'Heartbeat interval the coordinator gives KIP-848 consumer-group members.' },
  { name: 'group.consumer.max.size', type: 'int', scope: 'broker', default: '2147483647', min: 1, doc: 'Most members in one KIP-848 consumer group.' },
  { name: 'group.consumer.assignors', type: 'list', scope: 'broker', default: 'uniform,range', doc: 'Server-side assignors of KIP-848 consumer groups, by name (Kafka class names accepted); the first is the default.' },
  // ── transactions and idempotence
  { name: 'transaction.state.log.num.partitions', type: 'int', scope: 'broker', default: '50', min: 1, doc: 'Partitions of __transaction_state.' },
  { name: 'transaction.state.log.replication.factor', type: 'short', scope: 'broker', default: '1', min: 1, doc: 'Replication factor of __transaction_state (Kafka default 3).' },
  { name: 'transaction.max.timeout.ms', type: 'int', scope: 'broker', default: '900000', min: 1, doc: 'Largest transaction timeout a producer may ask for.' },
  { name: 'transactional.id.expiration.ms', type: 'int', scope: 'broker', default: '604800000', min: 1, doc: 'How long an idle transactional id is kept.' },
  { name: 'producer.id.expiration.ms', type: 'int', scope: 'broker', default: '86400000', min: 1, doc: 'How long an idle producer id\'s state is kept.' },
  // ── topic-level (defaults come from the synonym)
  { name: 'cleanup.policy', type: 'list', scope: 'topic', default: 'delete', synonym: 'log.cleanup.policy', doc: 'delete, compact, or both.' },
  { name: 'compression.type', type: 'string', scope: 'topic', default: 'producer', synonym: 'compression.type', oneOf: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'], doc: 'Compression of stored batches.' },
  { name: 'compression.gzip.level', type: 'int', scope: 'topic', default: '-1', synonym: 'compression.gzip.level', min: -1, doc: 'gzip level when compression.type=gzip recompresses.' },
  { name: 'compression.lz4.level', type: 'int', scope: 'topic', default: '9', synonym: 'compression.lz4.level', min: 1, doc: 'lz4 level when compression.type=lz4 recompresses (accepted; one level in Brook).' },
  { name: 'compression.zstd.level', type: 'int', scope: 'topic', default: '3', synonym: 'compression.zstd.level', min: -131072, doc: 'zstd level when compression.type=zstd recompresses.' },
  { name: 'delete.retention.ms', type: 'long', scope: 'topic', default: '86400000', synonym: 'log.cleaner.delete.retention.ms', min: 0, doc: 'How long tombstones are kept in compacted topics.' },
  { name: 'file.delete.delay.ms', type: 'long', scope: 'topic', default: '60000', min: 0, doc: 'Delay before a deleted segment file is removed.' },
  { name: 'flush.messages', type: 'long', scope: 'topic', default: LONG_MAX, synonym: 'log.flush.interval.messages', min: 1, doc: 'Messages written before the partition is fsynced.' },
  { name: 'flush.ms', type: 'long', scope: 'topic', default: LONG_MAX, synonym: 'log.flush.interval.ms', min: 0, doc: 'Time before the partition is fsynced.' },
  { name: 'index.interval.bytes', type: 'int', scope: 'topic', default: '4096', synonym: 'log.index.interval.bytes', min: 0, doc: 'Bytes between offset-index entries.' },
  { name: 'max.compaction.lag.ms', type: 'long', scope: 'topic', default: LONG_MAX, synonym: 'log.cleaner.max.compaction.lag.ms', min: 1, doc: 'Maximum time a record stays uncompacted.' },
  { name: 'max.message.bytes', type: 'int', scope: 'topic', default: '1048588', synonym: 'message.max.bytes', min: 0, doc: 'Largest record batch accepted.' },
  { name: 'message.timestamp.type', type: 'string', scope: 'topic', default: 'CreateTime', synonym: 'log.message.timestamp.type', oneOf: ['CreateTime', 'LogAppendTime'], doc: 'Timestamp kept in batches.' },
  { name: 'message.timestamp.before.max.ms', type: 'long', scope: 'topic', default: LONG_MAX, synonym: 'log.message.timestamp.before.max.ms', min: 0, doc: 'How far in the past a CreateTime timestamp may be.' },
  { name: 'message.timestamp.after.max.ms', type: 'long', scope: 'topic', default: LONG_MAX, synonym: 'log.message.timestamp.after.max.ms', min: 0, doc: 'How far in the future a CreateTime timestamp may be.' },
  { name: 'min.cleanable.dirty.ratio', type: 'double', scope: 'topic', default: '0.5', synonym: 'log.cleaner.min.cleanable.ratio', min: 0, doc: 'Dirty ratio that makes the log eligible for compaction.' },
  { name: 'min.compaction.lag.ms', type: 'long', scope: 'topic', default: '0', synonym: 'log.cleaner.min.compaction.lag.ms', min: 0, doc: 'Minimum age of a record before it may be compacted.' },
  { name: 'min.insync.replicas', type: 'int', scope: 'topic', default: '1', synonym: 'min.insync.replicas', min: 1, doc: 'Replicas that must acknowledge acks=all writes.' },
  { name: 'preallocate', type: 'boolean', scope: 'topic', default: 'false', synonym: 'log.preallocate', doc: 'Preallocate segment files.' },
  { name: 'retention.bytes', type: 'long', scope: 'topic', default: '-1', synonym: 'log.retention.bytes', doc: 'Size the partition may reach before old segments are deleted.' },
  { name: 'retention.ms', type: 'long', scope: 'topic', default: '604800000', synonym: 'log.retention.ms', min: -1, doc: 'How long data is kept (-1: forever).' },
  { name: 'segment.bytes', type: 'int', scope: 'topic', default: '1073741824', synonym: 'log.segment.bytes', min: 14, doc: 'Size at which a segment is rolled.' },
  { name: 'segment.index.bytes', type: 'int', scope: 'topic', default: '10485760', synonym: 'log.index.size.max.bytes', min: 4, doc: 'Largest offset index file.' },
  { name: 'segment.ms', type: 'long', scope: 'topic', default: '604800000', synonym: 'log.roll.ms', min: 1, doc: 'Age at which a segment is rolled.' },
  { name: 'unclean.leader.election.enable', type: 'boolean', scope: 'topic', default: 'false', doc: 'Accepted for compatibility; one replica means no election.' },
] as const satisfies readonly ConfigDef[];

type Defs = (typeof CONFIG_DEFS)[number];
export type BrokerConfigName = Extract<Defs, { scope: 'broker' }>['name'];
export type TopicConfigName = Extract<Defs, { scope: 'topic' }>['name'];

/** In-memory value of each config type. long is a number: Long.MAX_VALUE reads as Infinity-like 9.22e18. */
export interface ConfigTypeValue {
  boolean: boolean;
  string: string;
  int: number;
  short: number;
  long: number;
  double: number;
  list: string[];
  password: string;
}

type DefOf<N extends string, S extends ConfigScope> = Extract<Defs, { name: N; scope: S }>;
/** Value type of a broker property; null when it has no default and is unset. */
export type BrokerConfigValue<N extends BrokerConfigName> =
  | ConfigTypeValue[DefOf<N, 'broker'>['type']]
  | (DefOf<N, 'broker'>['default'] extends null ? null : never);
export type TopicConfigValue<N extends TopicConfigName> = ConfigTypeValue[DefOf<N, 'topic'>['type']];

export const BROKER_CONFIG_DEFS: ReadonlyMap<string, ConfigDef> = new Map(
  (CONFIG_DEFS as readonly ConfigDef[]).filter((d) => d.scope === 'broker').map((d) => [d.name, d]),
);
export const TOPIC_CONFIG_DEFS: ReadonlyMap<string, ConfigDef> = new Map(
  (CONFIG_DEFS as readonly ConfigDef[]).filter((d) => d.scope === 'topic').map((d) => [d.name, d]),
);
