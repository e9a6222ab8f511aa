/**
 * The storage API the server codes against: a `Storage` (Kafka's LogManager plus the topic metadata
 * store) that owns `PartitionLog`s. Two backends share it: disk (Kafka's on-disk layout, see
 * disk-log.ts / segment.ts) and memory (tests, embedding).
 *
 * Sync by design. Every call on this surface is synchronous: appends go to the page cache with
 * `fs.writeSync` (about 5 GB/s here, a few µs per call), reads use `fs.readSync` (page-cache reads at
 * ~8 GB/s), and the rare fsync (`flush.messages=1`) is `fdatasyncSync`. Against async fs calls this
 * saves a thread-pool round trip per request, keeps per-partition ordering trivially (an append can
 * never interleave with another on the event loop), and lets a produce be acknowledged in the same
 * tick. Rolling a segment flushes the old one in the background (async fdatasync) so a 1 GiB roll
 * does not stall the loop.
 *
 * Offsets and timestamps are plain numbers (exact up to 2^53).
 */

/** Topic configuration as Kafka names and spells it (string values, as in DescribeConfigs). */
export type TopicConfigs = Readonly<Record<string, string>>;

/** The parsed settings a partition log uses (Kafka topic-config names in the comments). */
export interface LogConfig {
  /** segment.bytes — roll when the active segment would exceed this (default 1 GiB). */
  readonly segmentBytes: number;
  /** segment.ms — roll when the active segment is this old (default 7 days). */
  readonly segmentMs: number;
  /** segment.index.bytes — size the offset and time indexes are preallocated to (default 10 MiB). */
  readonly segmentIndexBytes: number;
  /** index.interval.bytes — bytes between index entries (default 4096). */
  readonly indexIntervalBytes: number;
  /** max.message.bytes — largest batch accepted (default 1048588). */
  readonly maxMessageBytes: number;
  /** flush.messages — fsync after this many messages (default: never; 1 = every append). */
  readonly flushMessages: number;
  /** flush.ms — fsync at least this often (default: never). */
  readonly flushMs: number;
  /** message.timestamp.type — 'CreateTime' or 'LogAppendTime'. */
  readonly timestampType: 'CreateTime' | 'LogAppendTime';
  /** message.timestamp.before.max.ms / after.max.ms — CreateTime bounds (default: unbounded). */
  readonly timestampBeforeMaxMs: number;
  readonly timestampAfterMaxMs: number;
  /** retention.ms / retention.bytes / cleanup.policy — parsed for later retention/compaction work. */
  readonly retentionMs: number;
  readonly retentionBytes: number;
  readonly cleanupPolicy: readonly string[];
}

export interface AppendOptions {
  /** Written into each batch's partitionLeaderEpoch (outside the CRC). Default 0. */
  readonly leaderEpoch?: number;
  /**
   * Who writes: clients may not write control batches (Kafka rejects them with INVALID_RECORD);
   * the transaction coordinator writes markers as 'coordinator'.
   */
  readonly origin?: 'client' | 'coordinator';
  /** Clock override (ms), for tests. */
  readonly now?: number;
}

export interface AppendSuccess {
  /** Discriminant: `if (r.ok)` narrows to AppendSuccess. */
  readonly ok: true;
  readonly errorCode: 0;
  /** Offset given to the first record of the first batch. */
  readonly baseOffset: number;
  /** Offset of the last record appended. */
  readonly lastOffset: number;
  /** The broker time stamped into the batches for LogAppendTime topics, else -1 (Produce v2+). */
  readonly logAppendTime: number;
  /** Produce v5+. */
  readonly logStartOffset: number;
  readonly recordCount: number;
}

export interface AppendFailure {
  readonly ok: false;
  /** A Kafka error code (CORRUPT_MESSAGE, INVALID_RECORD, MESSAGE_TOO_LARGE, …); the log is untouched. */
  readonly errorCode: number;
  readonly errorMessage: string;
  /** Index of the offending batch in the input (Produce v8 record_errors), -1 if not batch-specific. */
  readonly batchIndex: number;
  readonly logStartOffset: number;
}

export type AppendResult = AppendSuccess | AppendFailure;

export interface ReadOptions {
  /** Exclusive upper bound: batches starting at or after it are not returned (default: high watermark). */
  readonly maxOffset?: number;
  /** Return at least one whole batch even above maxBytes (KIP-74; default true). */
  readonly minOneBatch?: boolean;
}

export interface ReadResult {
  /** 0, or OFFSET_OUT_OF_RANGE (1) when offset < logStartOffset or > logEndOffset. */
  readonly errorCode: number;
  /**
   * Whole batches, in order, starting with the batch that contains the requested offset. The buffers
   * are immutable views (segment reads or the appended bytes themselves): write them to a socket as
   * they are, without concatenating. Empty when there is nothing at or after the offset yet.
   */
  readonly chunks: Buffer[];
  /** Sum of chunk lengths. */
  readonly bytes: number;
  /** Offset after the last batch returned (the next fetch position); the requested offset when empty. */
  readonly nextOffset: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
  /**
   * Optional: hands the chunks' buffers back to the read pool once nothing uses them any more (call it
   * from the socket write callback). Skipping it is safe (the GC frees them); touching the chunks
   * after calling it is not. Lets 1 MiB fetches reuse warm memory instead of faulting in fresh pages.
   */
  readonly release: () => void;
}

/** ListOffsets answer: an offset, the timestamp it was found for, and the leader epoch (-1 unknown). */
export interface OffsetAndTimestamp {
  readonly offset: number;
  readonly timestamp: number;
  readonly leaderEpoch: number;
}

export interface DeleteRecordsResult {
  readonly errorCode: number;
  /** The log start offset after the call (DeleteRecords' low_watermark). */
  readonly lowWatermark: number;
}

export type AppendListener = (log: PartitionLog) => void;

/**
 * Extension point for producer state (idempotence, transactions), not used by storage itself. Runs on
 * every append after the batches passed validation; `beforeAppend` may short-circuit with a result
 * (an error such as OUT_OF_ORDER_SEQUENCE_NUMBER, or the earlier success for a duplicate batch), and
 * `afterAppend` sees the batches with their offsets assigned.
 */
export interface AppendInterceptor {
  beforeAppend(log: PartitionLog, records: Buffer, firstOffset: number): AppendResult | undefined;
  afterAppend(log: PartitionLog, records: Buffer, result: AppendSuccess): void;
  /** The last stable offset (first offset of the oldest open transaction, else the high watermark). */
  lastStableOffset?(log: PartitionLog): number;
}

/** One partition's log. */
export interface PartitionLog {
  readonly topic: string;
  readonly partition: number;
  readonly topicId: string;
  readonly config: LogConfig;
  /** First offset still readable (advanced by retention and DeleteRecords). */
  readonly logStartOffset: number;
  /** The offset the next appended record gets. */
  readonly logEndOffset: number;
  /** Single replica: every appended record is committed, so this equals logEndOffset. */
  readonly highWatermark: number;
  /** Hook for transactions: first offset of the oldest open transaction; highWatermark until then. */
  readonly lastStableOffset: number;

  /**
   * Appends the raw bytes of one or more record batches (a produce request's records for this
   * partition). Validates every batch first; on any error nothing is written. Ownership of `records`
   * passes to the log: its batch headers are patched in place (baseOffset, leader epoch, LogAppendTime)
   * and the buffer may be kept to serve tail reads, so the caller must not reuse or modify it.
   */
  append(records: Buffer, options?: AppendOptions): AppendResult;
  /** Whole batches from the one containing `offset`, up to `maxBytes` (see ReadOptions). */
  read(offset: number, maxBytes: number, options?: ReadOptions): ReadResult;

  /** ListOffsets EARLIEST (-2). */
  earliestOffset(): number;
  /** ListOffsets LATEST (-1): the high watermark. */
  latestOffset(): number;
  /** ListOffsets by timestamp: the first offset whose record timestamp is >= `timestamp`; undefined if none. */
  offsetForTimestamp(timestamp: number): OffsetAndTimestamp | undefined;
  /** ListOffsets MAX_TIMESTAMP (-3): the record with the largest timestamp (the first of equals). */
  maxTimestampOffset(): OffsetAndTimestamp | undefined;

  /**
   * DeleteRecords: advance the log start offset (persisted) to `offset`, or to the high watermark for
   * -1 (as in Kafka); OFFSET_OUT_OF_RANGE beyond the high watermark. Whole segments below it are removed.
   */
  deleteRecordsBefore(offset: number): DeleteRecordsResult;
  /** fsync everything written so far and advance the recovery point. */
  flush(): void;
  /** Bytes held by the log (all segments). */
  sizeInBytes(): number;
  /** Called after every successful append (for long-poll Fetch). Returns an unsubscribe function. */
  onAppend(listener: AppendListener): () => void;
  /** Installs (or removes, with undefined) the producer-state hook; see AppendInterceptor. */
  setAppendInterceptor(interceptor: AppendInterceptor | undefined): void;
}

export interface TopicInfo {
  readonly name: string;
  /** Kafka's printable UUID form: 22 characters of URL-safe base64. */
  readonly topicId: string;
  readonly partitions: number;
  /** Per-topic overrides only (what CreateTopics/AlterConfigs set). */
  readonly configs: TopicConfigs;
}

export interface CreateTopicOptions {
  readonly partitions: number;
  readonly configs?: TopicConfigs;
  /** Reuse a known id (tests, restores); a random v4 UUID otherwise. */
  readonly topicId?: string;
}

export type StorageListener = (log: PartitionLog) => void;

/** The whole store: topics, their partitions' logs, and the data directory. */
export interface Storage {
  readonly kind: 'disk' | 'memory';
  /** Absolute data directory, undefined for memory. */
  readonly dataDir: string | undefined;
  readonly clusterId: string;
  readonly nodeId: number;
  /** Whether the previous run shut down cleanly (disk); true for memory. */
  readonly recoveredCleanly: boolean;

  listTopics(): TopicInfo[];
  topic(name: string): TopicInfo | undefined;
  topicById(topicId: string): TopicInfo | undefined;
  /** Creates a topic and its partitions. Throws StorageError (TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS, INVALID_CONFIG, INVALID_TOPIC_EXCEPTION). */
  createTopic(name: string, options: CreateTopicOptions): TopicInfo;
  /** Deletes a topic and its data. Throws StorageError(UNKNOWN_TOPIC_OR_PARTITION). */
  deleteTopic(name: string): void;
  /** Grows a topic to `totalCount` partitions. Throws StorageError (INVALID_PARTITIONS, UNKNOWN_TOPIC_OR_PARTITION). */
  createPartitions(name: string, totalCount: number): void;
  /** Sets (string) or removes (null) per-topic overrides; applies to open logs at once. Throws INVALID_CONFIG. */
  alterTopicConfigs(name: string, changes: Readonly<Record<string, string | null>>): TopicInfo;
  /** The effective (defaults + overrides) settings of a topic. */
  topicConfig(name: string): LogConfig | undefined;

  /** A partition's log, or undefined if the topic or partition does not exist. */
  partition(topic: string, partition: number): PartitionLog | undefined;
  /** Called after every successful append on any partition. Returns an unsubscribe function. */
  onAppend(listener: StorageListener): () => void;

  /** fsync every log and write the checkpoints. */
  flush(): void;
  /** Flushes, writes checkpoints and the clean-shutdown marker, closes files. The store is unusable after. */
  close(): void;
}

export interface StorageOptions {
  /** Data directory (Kafka's log.dirs); required for disk. */
  readonly dataDir?: string;
  /** Keep everything in memory (nothing persists). */
  readonly memory?: boolean;
  /** node.id written to meta.properties (default 1). */
  readonly nodeId?: number;
  /** cluster.id for a new data dir (default: a random UUID); an existing meta.properties wins. */
  readonly clusterId?: string;
  /** Topic-config defaults under topic names (e.g. the broker's log.segment.bytes as 'segment.bytes'). */
  readonly defaults?: TopicConfigs;
  /** Bytes of recently appended batches kept in memory per partition to serve tail reads (default 0: off; see log-manager.ts). */
  readonly tailCacheBytes?: number;
  /** Clock (ms), for tests. */
  readonly now?: () => number;
}
