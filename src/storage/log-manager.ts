/**
 * The Storage implementation (Kafka's LogManager plus the topic store), for both backends.
 *
 * Disk layout under the data dir (Kafka's, plus one Brook file):
 *   meta.properties, recovery-point-offset-checkpoint, log-start-offset-checkpoint,
 *   .kafka_cleanshutdown (see checkpoint.ts), brook-topics.json (see topic-store.ts),
 *   .lock (the pid of the process using the directory),
 *   <topic>-<partition>/ (see disk-log.ts). Deleted topics' directories are renamed to
 *   `<topic>-<partition>.<topicId>-delete` before removal, and such leftovers are removed on open.
 *
 * Order of effects keeps crashes harmless: topic metadata is persisted before partition directories
 * are created (missing directories are created on open) and before they are deleted.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir } from './atomic-file.js';
import {
  CLEAN_SHUTDOWN_FILE,
  LOG_START_OFFSET_CHECKPOINT,
  RECOVERY_POINT_CHECKPOINT,
  partitionKey,
  readCheckpoint,
  readMetaProperties,
  writeCheckpoint,
  writeMetaProperties,
} from './checkpoint.js';
import { parseLogConfig } from './config.js';
import { DiskPartitionLog } from './disk-log.js';
import { StorageError, StorageErrorCode } from './errors.js';
import { MemoryPartitionLog } from './memory-log.js';
import { loadTopics, randomTopicId, saveTopics, validateTopicName } from './topic-store.js';
import type {
  CreateTopicOptions,
  LogConfig,
  PartitionLog,
  Storage,
  StorageListener,
  StorageOptions,
  TopicConfigs,
  TopicInfo,
} from './types.js';

type AnyLog = DiskPartitionLog | MemoryPartitionLog;

interface TopicState {
  info: TopicInfo;
  config: LogConfig;
  logs: AnyLog[];
}

/**
 * Off by default: keeping recent appends in memory made every produced batch live long enough to be
 * promoted, so the broker ran a full GC every 150-250 ms under produce load (1-7 ms pauses: the p99
 * produce latency) for a few syscalls saved per tail fetch; segment reads into pooled buffers from the
 * page cache are cheap. Set tailCacheBytes to turn it on.
 */
const DEFAULT_TAIL_CACHE = 0;
const LOCK_FILE = '.lock';
/** All partitions' tail caches together stay under this; each gets an equal share, at most tailCacheBytes. */
const TAIL_CACHE_TOTAL = 256 * 1024 * 1024;
const MIN_TAIL_SHARE = 64 * 1024;
const CHECKPOINT_INTERVAL_MS = 60_000;
const TIMER_MS = 1000;
/** Kafka's limit on partitions per CreateTopics/CreatePartitions is broker-side policy; keep a sane bound. */
const MAX_PARTITIONS = 100_000;

export class LogManager implements Storage {
  readonly kind: 'disk' | 'memory';
  readonly dataDir: string | undefined;
  readonly clusterId: string;
  readonly nodeId: number;
  readonly recoveredCleanly: boolean;
  private readonly topics = new Map<string, TopicState>();
  private readonly listeners = new Set<StorageListener>();
  private readonly defaults: TopicConfigs;
  private readonly now: () => number;
  private readonly tailCacheBytes: number;
  private recoveryPoints = new Map<string, number>();
  private startOffsets = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private lastCheckpointAt: number;
  private closed = false;
  private partitionCount = 0;
  private lock: string | undefined;
  private readonly notify = (log: PartitionLog): void => {
    for (const l of this.listeners) l(log);
  };

  constructor(options: StorageOptions) {
    this.now = options.now ?? Date.now;
    this.defaults = { ...(options.defaults ?? {}) };
    parseLogConfig({}, this.defaults); // reject bad defaults early
    this.tailCacheBytes = options.tailCacheBytes ?? DEFAULT_TAIL_CACHE;
    this.lastCheckpointAt = this.now();
    if (options.memory === true || options.dataDir === undefined) {
      if (options.memory !== true) throw new StorageError(StorageErrorCode.KAFKA_STORAGE_ERROR, 'dataDir is required unless memory is set');
      this.kind = 'memory';
      this.dataDir = undefined;
      this.clusterId = options.clusterId ?? randomTopicId();
      this.nodeId = options.nodeId ?? 1;
      this.recoveredCleanly = true;
      return;
    }
    this.kind = 'disk';
    const dir = path.resolve(options.dataDir);
    this.dataDir = dir;
    fs.mkdirSync(dir, { recursive: true });
    const meta = readMetaProperties(dir);
    if (meta === undefined) {
      this.clusterId = options.clusterId ?? randomTopicId();
      this.nodeId = options.nodeId ?? 1;
      writeMetaProperties(dir, { clusterId: this.clusterId, nodeId: this.nodeId });
    } else {
      this.clusterId = meta.clusterId;
      this.nodeId = meta.nodeId;
    }
    this.lock = acquireDirLock(dir);
    const marker = path.join(dir, CLEAN_SHUTDOWN_FILE);
    this.recoveredCleanly = fs.existsSync(marker);
    this.recoveryPoints = readCheckpoint(path.join(dir, RECOVERY_POINT_CHECKPOINT));
    this.startOffsets = readCheckpoint(path.join(dir, LOG_START_OFFSET_CHECKPOINT));
    for (const name of fs.readdirSync(dir)) {
      if (name.endsWith('-delete')) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    }
    for (const info of loadTopics(dir)) {
      const config = parseLogConfig(info.configs, this.defaults);
      const state: TopicState = { info, config, logs: [] };
      this.topics.set(info.name, state);
      for (let p = 0; p < info.partitions; p++) state.logs.push(this.openLog(state, p, this.recoveredCleanly));
    }
    this.rebalanceTails();
    // From here on a crash is unclean until close() writes the marker again.
    if (this.recoveredCleanly) {
      fs.rmSync(marker, { force: true });
      fsyncDir(dir);
    }
    this.writeCheckpoints();
    this.timer = setInterval(() => this.tick(), TIMER_MS);
    this.timer.unref();
  }

  /**
   * Opens a partition's log. `fresh`: the partition was just created, so anything already on disk
   * under its name (left by a delete that crashed before removing it) or in the checkpoints is stale.
   */
  /**
   * New partitions are opened without fsyncs (one directory and partition.metadata each; their segments
   * are empty). The topic store already says they exist, and open recreates whatever a crash lost, so
   * one fsync of the data directory (their entries, and any stale directory they replaced) is enough:
   * later flushes of a partition fsync its own directory.
   */
  private syncNewPartitionDirs(): void {
    if (this.kind === 'disk') fsyncDir(this.dataDir!);
  }

  private openLog(state: TopicState, partition: number, clean: boolean, fresh = false): AnyLog {
    const { name, topicId } = state.info;
    if (this.kind === 'memory') {
      return new MemoryPartitionLog({ topic: name, partition, topicId, config: state.config, now: this.now, onAppend: this.notify });
    }
    const key = partitionKey(name, partition);
    const dir = path.join(this.dataDir!, `${name}-${partition}`);
    if (fresh) {
      this.recoveryPoints.delete(key);
      this.startOffsets.delete(key);
      if (fs.existsSync(dir)) {
        const doomed = `${dir}.stale-delete`;
        fs.rmSync(doomed, { recursive: true, force: true });
        fs.renameSync(dir, doomed);
        fs.rmSync(doomed, { recursive: true, force: true });
      }
    }
    return DiskPartitionLog.open({
      dir,
      topic: name,
      partition,
      topicId,
      config: state.config,
      recoveryPoint: this.recoveryPoints.get(key) ?? 0,
      logStartOffset: this.startOffsets.get(key) ?? 0,
      cleanShutdown: clean,
      tailCacheBytes: this.tailShare(),
      now: this.now,
      onLogStartOffsetChanged: () => this.writeCheckpoints(),
      onAppend: this.notify,
      creating: fresh,
    });
  }

  /** Per-partition tail cache size for the current number of partitions. */
  private tailShare(): number {
    if (this.tailCacheBytes === 0) return 0;
    const share = Math.floor(TAIL_CACHE_TOTAL / Math.max(1, this.partitionCount));
    return Math.min(this.tailCacheBytes, Math.max(MIN_TAIL_SHARE, share));
  }

  /** Recounts partitions and resizes every tail cache (after topics or partitions come or go). */
  private rebalanceTails(): void {
    let n = 0;
    for (const t of this.topics.values()) n += t.info.partitions;
    this.partitionCount = n;
    const share = this.tailShare();
    for (const t of this.topics.values()) for (const log of t.logs) if (log instanceof DiskPartitionLog) log.setTailCacheBytes(share);
  }

  private tick(): void {
    const now = this.now();
    for (const t of this.topics.values()) {
      if (!Number.isFinite(t.config.flushMs)) continue;
      for (const log of t.logs) if (log instanceof DiskPartitionLog) log.maybeFlushByTime(now);
    }
    if (now - this.lastCheckpointAt >= CHECKPOINT_INTERVAL_MS) this.writeCheckpoints();
  }

  /** Writes both checkpoint files from the open logs. */
  private writeCheckpoints(): void {
    if (this.kind !== 'disk') return;
    this.lastCheckpointAt = this.now();
    const rp = new Map<string, number>();
    const lso = new Map<string, number>();
    for (const t of this.topics.values()) {
      for (const log of t.logs) {
        if (!(log instanceof DiskPartitionLog)) continue;
        const key = partitionKey(log.topic, log.partition);
        rp.set(key, log.recoveryPoint);
        lso.set(key, log.logStartOffset);
      }
    }
    this.recoveryPoints = rp;
    this.startOffsets = lso;
    writeCheckpoint(path.join(this.dataDir!, RECOVERY_POINT_CHECKPOINT), rp);
    writeCheckpoint(path.join(this.dataDir!, LOG_START_OFFSET_CHECKPOINT), lso);
  }

  private persistTopics(): void {
    if (this.kind === 'disk') saveTopics(this.dataDir!, [...this.topics.values()].map((t) => t.info));
  }

  private ensureOpen(): void {
    if (this.closed) throw new StorageError(StorageErrorCode.KAFKA_STORAGE_ERROR, 'storage is closed');
  }

  private mustGet(name: string): TopicState {
    const t = this.topics.get(name);
    if (t === undefined) throw new StorageError(StorageErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist`);
    return t;
  }

  listTopics(): TopicInfo[] {
    return [...this.topics.values()].map((t) => t.info);
  }

  topic(name: string): TopicInfo | undefined {
    return this.topics.get(name)?.info;
  }

  topicById(topicId: string): TopicInfo | undefined {
    for (const t of this.topics.values()) if (t.info.topicId === topicId) return t.info;
    return undefined;
  }

  topicConfig(name: string): LogConfig | undefined {
    return this.topics.get(name)?.config;
  }

  createTopic(name: string, options: CreateTopicOptions): TopicInfo {
    this.ensureOpen();
    validateTopicName(name);
    if (this.topics.has(name)) throw new StorageError(StorageErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    // Kafka refuses names that differ only by '.' versus '_' (they collide in metric names).
    const collides = [...this.topics.keys()].find((t) => t.replace(/\./g, '_') === name.replace(/\./g, '_'));
    if (collides !== undefined) {
      throw new StorageError(StorageErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${name}' collides with existing topic: ${collides}`);
    }
    const n = options.partitions;
    if (!Number.isInteger(n) || n < 1 || n > MAX_PARTITIONS) {
      throw new StorageError(StorageErrorCode.INVALID_PARTITIONS, `Number of partitions must be between 1 and ${MAX_PARTITIONS}, got ${n}`);
    }
    const configs = { ...(options.configs ?? {}) };
    const config = parseLogConfig(configs, this.defaults);
    const topicId = options.topicId ?? randomTopicId();
    if (this.topicById(topicId) !== undefined) throw new StorageError(StorageErrorCode.INCONSISTENT_TOPIC_ID, `Topic id ${topicId} is in use`);
    const info: TopicInfo = { name, topicId, partitions: n, configs };
    const state: TopicState = { info, config, logs: [] };
    this.topics.set(name, state);
    try {
      this.persistTopics();
      for (let p = 0; p < n; p++) state.logs.push(this.openLog(state, p, false, true));
      this.syncNewPartitionDirs();
    } catch (err) {
      for (const log of state.logs) log.close();
      this.topics.delete(name);
      this.persistTopics();
      throw err instanceof StorageError ? err : new StorageError(StorageErrorCode.KAFKA_STORAGE_ERROR, `cannot create topic ${name}: ${(err as Error).message}`, { cause: err });
    }
    this.rebalanceTails();
    return info;
  }

  deleteTopic(name: string): void {
    this.ensureOpen();
    const t = this.mustGet(name);
    this.topics.delete(name);
    this.persistTopics();
    for (const log of t.logs) {
      if (log instanceof DiskPartitionLog) {
        // Rename first so a crash mid-delete leaves only a `-delete` directory, removed on next open.
        const doomed = `${log.dir}.${t.info.topicId}-delete`;
        try {
          fs.renameSync(log.dir, doomed);
        } catch {
          /* deleteFiles removes it in place */
        }
        log.deleteFiles();
        fs.rmSync(doomed, { recursive: true, force: true });
      } else {
        log.close();
      }
    }
    this.writeCheckpoints();
    this.rebalanceTails();
  }

  createPartitions(name: string, totalCount: number): void {
    this.ensureOpen();
    const t = this.mustGet(name);
    if (!Number.isInteger(totalCount) || totalCount <= t.info.partitions || totalCount > MAX_PARTITIONS) {
      throw new StorageError(
        StorageErrorCode.INVALID_PARTITIONS,
        `Topic currently has ${t.info.partitions} partitions, which is higher than or equal to the requested ${totalCount}.`,
      );
    }
    const from = t.info.partitions;
    t.info = { ...t.info, partitions: totalCount };
    this.persistTopics();
    for (let p = from; p < totalCount; p++) t.logs.push(this.openLog(t, p, false, true));
    this.syncNewPartitionDirs();
    this.rebalanceTails();
  }

  alterTopicConfigs(name: string, changes: Readonly<Record<string, string | null>>): TopicInfo {
    this.ensureOpen();
    const t = this.mustGet(name);
    const configs: Record<string, string> = { ...t.info.configs };
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) delete configs[k];
      else configs[k] = v;
    }
    const config = parseLogConfig(configs, this.defaults);
    t.info = { ...t.info, configs };
    t.config = config;
    this.persistTopics();
    for (const log of t.logs) log.setConfig(config);
    return t.info;
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.logs[partition];
  }

  onAppend(listener: StorageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  flush(): void {
    this.ensureOpen();
    for (const t of this.topics.values()) for (const log of t.logs) log.flush();
    this.writeCheckpoints();
  }

  close(): void {
    if (this.closed) return;
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const t of this.topics.values()) for (const log of t.logs) log.close();
    if (this.kind === 'disk') {
      this.writeCheckpoints();
      const marker = path.join(this.dataDir!, CLEAN_SHUTDOWN_FILE);
      fs.writeFileSync(marker, '');
      fsyncDir(this.dataDir!);
      if (this.lock !== undefined) fs.rmSync(this.lock, { force: true });
    }
    this.closed = true;
    this.listeners.clear();
  }
}

/**
 * `<data-dir>/.lock` holds the pid of the process using the directory (Kafka keeps a `.lock` file
 * too). Another live process holding it means two brokers would write the same logs: refuse. A
 * stale lock (its process is gone, e.g. after a crash) is taken over.
 */
function acquireDirLock(dir: string): string {
  const file = path.join(dir, LOCK_FILE);
  let holder: number | undefined;
  try {
    holder = Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    holder = undefined;
  }
  if (holder !== undefined && Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
    throw new StorageError(StorageErrorCode.KAFKA_STORAGE_ERROR, `data directory ${dir} is in use by process ${holder}`);
  }
  fs.writeFileSync(file, `${process.pid}\n`);
  return file;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Opens (or creates) a store: `{ dataDir }` for disk, `{ memory: true }` for memory. */
export function openStorage(options: StorageOptions): Storage {
  return new LogManager(options);
}

/** A fresh random cluster id in Kafka's printable UUID form. */
export function randomClusterId(): string {
  return crypto.randomBytes(16).toString('base64url');
}
