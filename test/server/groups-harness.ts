/**
 * A group coordinator on a fake clock for the groups-* unit tests: real offsets store, real
 * persistence into an in-memory `__consumer_offsets`, timers driven by ManualScheduler.advance().
 */
import { GroupCoordinator, type GroupSettings } from '../../src/server/groups/coordinator.js';
import type { JoinRequest } from '../../src/server/groups/classic.js';
import type { JoinResult, SyncResult } from '../../src/server/groups/group.js';
import { GroupLog, type OffsetsTopicAccess } from '../../src/server/groups/persistence.js';
import { ManualScheduler } from '../../src/server/groups/scheduler.js';
import { createLogger } from '../../src/server/logger.js';
import { openStorage, type Storage } from '../../src/storage/index.js';

export const OFFSETS_TOPIC = '__consumer_offsets';

export const DEFAULT_SETTINGS: GroupSettings = {
  minSessionTimeoutMs: 100,
  maxSessionTimeoutMs: 60_000,
  initialRebalanceDelayMs: 0,
  maxSize: 1000,
  offsetsRetentionMs: 7 * 24 * 3600_000,
  retentionCheckIntervalMs: 600_000,
  offsetMetadataMaxBytes: 4096,
};

export interface Harness {
  readonly c: GroupCoordinator;
  readonly clock: ManualScheduler;
  readonly storage: Storage;
  /** A second coordinator over the same storage (a broker restart), on the same clock. */
  restart(): GroupCoordinator;
}

export function harness(settings: Partial<GroupSettings> = {}, partitions = 3): Harness {
  const storage = openStorage({ memory: true });
  const clock = new ManualScheduler();
  const access: OffsetsTopicAccess = {
    partitions: () => storage.topic(OFFSETS_TOPIC)?.partitions ?? partitions,
    partition: (index, create) => {
      if (create && storage.topic(OFFSETS_TOPIC) === undefined) {
        storage.createTopic(OFFSETS_TOPIC, { partitions, configs: { 'cleanup.policy': 'compact' } });
      }
      return storage.partition(OFFSETS_TOPIC, index);
    },
  };
  const make = (): GroupCoordinator => {
    const c = new GroupCoordinator({ ...DEFAULT_SETTINGS, ...settings }, clock, createLogger({ level: 'silent' }), new GroupLog(access, () => clock.now()));
    c.load();
    return c;
  };
  return { c: make(), clock, storage, restart: make };
}

/** A promise whose outcome can be checked synchronously after `flush()`. */
export interface Tracked<T> {
  readonly promise: Promise<T>;
  value: T | undefined;
}

export function track<T>(promise: Promise<T>): Tracked<T> {
  const t: Tracked<T> = { promise, value: undefined };
  void promise.then((v) => (t.value = v));
  return t;
}

/** Lets resolved promises run their callbacks. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** ConsumerProtocolSubscription v0 bytes for `topics`. */
export function subscription(...topics: string[]): Buffer {
  const parts = [Buffer.from([0, 0]), int32(topics.length)];
  for (const t of topics) {
    const b = Buffer.from(t);
    const len = Buffer.alloc(2);
    len.writeInt16BE(b.length);
    parts.push(len, b);
  }
  parts.push(int32(-1)); // user data: null
  return Buffer.concat(parts);
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

export function joinRequest(over: Partial<JoinRequest> & { groupId: string }): JoinRequest {
  return {
    sessionTimeoutMs: 1000,
    rebalanceTimeoutMs: 2000,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription('t') }],
    clientId: 'client',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: true,
    reason: null,
    ...over,
  };
}

/** Joins with the KIP-394 round trip and returns the tracked second join. */
export async function joinMember(c: GroupCoordinator, over: Partial<JoinRequest> & { groupId: string }): Promise<Tracked<JoinResult>> {
  const req = joinRequest(over);
  let memberId = req.memberId;
  if (memberId === '' && req.groupInstanceId === null && req.requireKnownMemberId) {
    const first = await c.classic.join(req);
    if (first.errorCode !== 79) throw new Error(`expected MEMBER_ID_REQUIRED, got ${first.errorCode}`);
    memberId = first.memberId;
  }
  const t = track(c.classic.join({ ...req, memberId }));
  await flush();
  return t;
}

export function syncAs(
  c: GroupCoordinator,
  groupId: string,
  memberId: string,
  generationId: number,
  assignments: Array<{ memberId: string; assignment: Buffer }> = [],
): Tracked<SyncResult> {
  return track(c.classic.sync({ groupId, generationId, memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments }));
}
