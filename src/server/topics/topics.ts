/**
 * The broker's view of topics and partitions over storage, shared by every handler that names a topic
 * (Produce, Fetch, ListOffsets, Metadata, the admin APIs). One per broker: `Topics.of(ctx.broker)`.
 *
 * What it adds to storage:
 *   - name and topic-id lookups (ids cached; storage scans for them);
 *   - Kafka's internal topics (__consumer_offsets, __transaction_state, __share_group_state): which
 *     names are internal, and the partition count and configs they are created with;
 *   - topic creation with Kafka's error codes as data (never thrown): name validation, the '.'/'_'
 *     collision rule, TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS, INVALID_CONFIG;
 *   - auto-creation as Kafka's AutoTopicCreationManager does it (auto.create.topics.enable, num.partitions;
 *     internal topics get their own partition counts and configs), and `ensureInternalTopic` for coordinators.
 * Single node: every partition's leader is this broker, at leader epoch 0.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { StorageError, validateTopicName, type PartitionLog, type TopicConfigs, type TopicInfo } from '../../storage/index.js';
import type { BrokerContext } from '../handler.js';

export const GROUP_METADATA_TOPIC = '__consumer_offsets';
export const TRANSACTION_STATE_TOPIC = '__transaction_state';
export const SHARE_GROUP_STATE_TOPIC = '__share_group_state';
const INTERNAL_TOPICS: ReadonlySet<string> = new Set([GROUP_METADATA_TOPIC, TRANSACTION_STATE_TOPIC, SHARE_GROUP_STATE_TOPIC]);

/** The only leader epoch a partition of this single-node broker ever has. */
export const LEADER_EPOCH = 0;

export interface CreateTopicResult {
  /** NONE, or the Kafka error code that CreateTopics/auto-creation reports. */
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly topic: TopicInfo | undefined;
}

export class Topics {
  private readonly idToName = new Map<string, string>();

  constructor(private readonly broker: BrokerContext) {}

  /** The broker's singleton. */
  static of(broker: BrokerContext): Topics {
    return broker.service('brook.topics', (b) => new Topics(b));
  }

  /** Whether `name` is one of Kafka's internal topics (reported with is_internal in Metadata). */
  static isInternal(name: string): boolean {
    return INTERNAL_TOPICS.has(name);
  }

  /** Kafka's reason the name is illegal, or undefined when it is a legal topic name. */
  static nameError(name: string): string | undefined {
    try {
      validateTopicName(name);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }

  byName(name: string): TopicInfo | undefined {
    return this.broker.storage.topic(name);
  }

  /** The topic with this id (Kafka's 22-character base64 form), if it exists. */
  byId(topicId: string): TopicInfo | undefined {
    const cached = this.idToName.get(topicId);
    if (cached !== undefined) {
      const t = this.broker.storage.topic(cached);
      if (t !== undefined && t.topicId === topicId) return t;
      this.idToName.delete(topicId); // deleted, or deleted and re-created under a new id
    }
    const t = this.broker.storage.topicById(topicId);
    if (t !== undefined) this.idToName.set(topicId, t.name);
    return t;
  }

  /** Every topic, internal ones included. */
  list(): TopicInfo[] {
    return this.broker.storage.listTopics();
  }

  /**
   * min.insync.replicas of a topic (its override, else the broker's). This node is the only replica, so
   * above 1 every acks=all produce fails with NOT_ENOUGH_REPLICAS, as on a Kafka cluster short of replicas.
   */
  minInsyncReplicas(topic: TopicInfo): number {
    const override = topic.configs['min.insync.replicas'];
    const n = override !== undefined ? Number(override) : this.broker.config.get('min.insync.replicas');
    return Number.isFinite(n) ? n : 1;
  }

  /** A partition's log, or undefined if the topic or partition does not exist. */
  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.broker.storage.partition(topic, partition);
  }

  /**
   * Creates a topic; errors come back as data. `partitions` -1 means num.partitions (as in CreateTopics
   * v4+). Internal topics get the partition count and configs Kafka gives them unless given here.
   */
  create(name: string, partitions = -1, configs: TopicConfigs = {}): CreateTopicResult {
    const illegal = Topics.nameError(name);
    if (illegal !== undefined) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, illegal);
    const storage = this.broker.storage;
    if (storage.topic(name) !== undefined) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    const collision = this.collidingTopic(name);
    if (collision !== undefined) {
      return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${name}' collides with existing topic: ${collision}`);
    }
    const internal = this.internalDefaults(name);
    const count = partitions === -1 ? (internal?.partitions ?? this.broker.config.get('num.partitions')) : partitions;
    if (!Number.isInteger(count) || count < 1) {
      return fail(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
    }
    try {
      const topic = storage.createTopic(name, { partitions: count, configs: { ...internal?.configs, ...configs } });
      this.idToName.set(topic.topicId, topic.name);
      this.broker.logger.info('topic created', { topic: name, partitions: count, topicId: topic.topicId });
      return { errorCode: ErrorCode.NONE, errorMessage: null, topic };
    } catch (err) {
      if (err instanceof StorageError) return fail(err.errorCode, err.message);
      throw err;
    }
  }

  /**
   * The topic, created first if it does not exist and auto-creation is allowed (the broker's
   * auto.create.topics.enable and the request's own flag, e.g. Metadata v4+ allow_auto_topic_creation).
   * UNKNOWN_TOPIC_OR_PARTITION when it does not exist and may not be created.
   */
  getOrAutoCreate(name: string, requestAllows = true): CreateTopicResult {
    const existing = this.byName(name);
    if (existing !== undefined) return { errorCode: ErrorCode.NONE, errorMessage: null, topic: existing };
    const illegal = Topics.nameError(name);
    if (illegal !== undefined) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, illegal);
    if (!requestAllows || !this.broker.config.get('auto.create.topics.enable')) {
      return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist`);
    }
    const created = this.create(name);
    // Two requests racing on one name cannot happen (creation is synchronous), but keep the answer right.
    if (created.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS) return this.getOrAutoCreate(name, requestAllows);
    return created;
  }

  /**
   * An internal topic (__consumer_offsets, __transaction_state), created with Kafka's partition count and
   * configs if missing, whatever auto.create.topics.enable says (coordinators need theirs).
   */
  ensureInternalTopic(name: string): CreateTopicResult {
    if (!Topics.isInternal(name)) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `${name} is not an internal topic`);
    const existing = this.byName(name);
    if (existing !== undefined) return { errorCode: ErrorCode.NONE, errorMessage: null, topic: existing };
    return this.create(name);
  }

  /** Kafka refuses names that differ only in '.' versus '_' (their metrics names collide). */
  private collidingTopic(name: string): string | undefined {
    if (!name.includes('.') && !name.includes('_')) return undefined;
    const key = name.replaceAll('.', '_');
    for (const t of this.broker.storage.listTopics()) {
      if (t.name !== name && t.name.replaceAll('.', '_') === key) return t.name;
    }
    return undefined;
  }

  private internalDefaults(name: string): { partitions: number; configs: TopicConfigs } | undefined {
    const config = this.broker.config;
    const compacted = { 'cleanup.policy': 'compact', 'segment.bytes': '104857600', 'compression.type': 'producer' };
    switch (name) {
      case GROUP_METADATA_TOPIC:
        return { partitions: config.get('offsets.topic.num.partitions'), configs: compacted };
      case TRANSACTION_STATE_TOPIC:
        return { partitions: config.get('transaction.state.log.num.partitions'), configs: compacted };
      case SHARE_GROUP_STATE_TOPIC:
        return { partitions: 50, configs: compacted };
      default:
        return undefined;
    }
  }
}

function fail(errorCode: number, errorMessage: string): CreateTopicResult {
  return { errorCode, errorMessage, topic: undefined };
}
