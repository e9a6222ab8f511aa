/**
 * KIP-848 consumer groups on a fake clock for the groups-consumer-* unit tests: the real group
 * coordinator (offsets, persistence into an in-memory __consumer_offsets) from ./groups-harness.ts, a
 * ConsumerGroupProtocol attached to it, and a fake topic list that tests grow by hand.
 */
import { randomBytes } from 'node:crypto';
import type { GroupCoordinator } from '../../src/server/groups/coordinator.js';
import { ConsumerGroup } from '../../src/server/groups/consumer/group.js';
import { resolveAssignors } from '../../src/server/groups/consumer/assignors/index.js';
import { replayConsumerGroups } from '../../src/server/groups/consumer/load.js';
import { ConsumerGroupProtocol, type ConsumerGroupSettings, type HeartbeatRequest, type HeartbeatResult } from '../../src/server/groups/consumer/protocol.js';
import type { TopicMeta, TopicsView } from '../../src/server/groups/consumer/subscriptions.js';
import { createLogger } from '../../src/server/logger.js';
import { harness, type Harness } from './groups-harness.js';

export const SETTINGS: ConsumerGroupSettings = {
  sessionTimeoutMs: 45_000,
  heartbeatIntervalMs: 5_000,
  maxSize: 1000,
  assignors: resolveAssignors(['uniform', 'range']),
};

export class FakeTopics implements TopicsView {
  readonly topics = new Map<string, TopicMeta>();

  create(name: string, partitions: number): TopicMeta {
    const t = { name, topicId: randomBytes(16).toString('base64url'), partitions };
    this.topics.set(name, t);
    return t;
  }

  byName(name: string): TopicMeta | undefined {
    return this.topics.get(name);
  }

  byId(topicId: string): TopicMeta | undefined {
    for (const t of this.topics.values()) if (t.topicId === topicId) return t;
    return undefined;
  }

  names(): string[] {
    return [...this.topics.keys()];
  }
}

export interface ConsumerHarness extends Harness {
  p: ConsumerGroupProtocol;
  readonly topics: FakeTopics;
  /** A heartbeat with Kafka's full-request defaults, overridden by `over`. */
  hb(over: Partial<HeartbeatRequest> & { memberId: string; memberEpoch: number }): HeartbeatResult;
  /** Simulated broker restart: a new coordinator and protocol over the same storage and clock. */
  restartAll(): void;
}

export function consumerHarness(settings: Partial<ConsumerGroupSettings> = {}): ConsumerHarness {
  const base = harness();
  const topics = new FakeTopics();
  const logger = createLogger({ level: 'silent' });
  const s = { ...SETTINGS, ...settings };
  const h: ConsumerHarness = {
    ...base,
    topics,
    p: new ConsumerGroupProtocol(s, base.c, topics, logger),
    hb(over) {
      return h.p.heartbeat({
        groupId: 'g',
        instanceId: null,
        rackId: null,
        rebalanceTimeoutMs: 30_000,
        subscribedTopicNames: ['t'],
        subscribedTopicRegex: null,
        serverAssignor: null,
        topicPartitions: [],
        clientId: 'client',
        clientHost: '/127.0.0.1',
        apiVersion: 1,
        ...over,
      });
    },
    restartAll() {
      // The old broker is gone: its timers must not fire into the shared storage.
      for (const g of h.c.allGroups()) if (g instanceof ConsumerGroup) for (const m of g.members.values()) m.cancelTimers();
      h.c.shutdown();
      const c: GroupCoordinator = base.restart();
      (h as { c: GroupCoordinator }).c = c;
      h.p = new ConsumerGroupProtocol(s, c, topics, logger);
      replayConsumerGroups(
        c.otherRecords.map((r) => ({ key: r.key, value: r.value })),
        h.p,
        (g) => c.register(g),
        base.clock.now(),
        (err) => {
          throw err;
        },
      );
    },
  };
  return h;
}

/** An assignment from the wire form as { topicName: sorted partitions }. */
export function byName(topics: FakeTopics, a: HeartbeatResult['assignment']): Record<string, number[]> | null {
  if (a === null) return null;
  const out: Record<string, number[]> = {};
  for (const t of a.topicPartitions) out[topics.byId(t.topicId)?.name ?? t.topicId] = [...t.partitions].sort((x, y) => x - y);
  return out;
}

/** The wire form of { topicName: partitions } (what a member reports owning). */
export function owned(topics: FakeTopics, a: Record<string, number[]>): Array<{ topicId: string; partitions: number[] }> {
  return Object.entries(a).map(([name, partitions]) => ({ topicId: topics.byName(name)!.topicId, partitions }));
}
