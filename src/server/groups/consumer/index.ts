/**
 * KIP-848 consumer groups on a broker: `consumerGroups(broker)` is the broker's ConsumerGroupProtocol,
 * attached to the broker's group coordinator when the coordinator is created (GroupCoordinator.attachments),
 * so groups stored in __consumer_offsets are back in the registry before the first group request —
 * ListGroups, OffsetCommit and DeleteGroups see them even before any member heartbeats.
 */
import type { BrokerContext } from '../../handler.js';
import { Topics } from '../../topics/topics.js';
import { GroupCoordinator } from '../coordinator.js';
import { resolveAssignors, type Assignor } from './assignors/index.js';
import { replayConsumerGroups } from './load.js';
import { ConsumerGroupProtocol, type ConsumerGroupSettings } from './protocol.js';
import type { TopicsView } from './subscriptions.js';

export { ConsumerGroupProtocol } from './protocol.js';
export type { HeartbeatRequest, HeartbeatResult, ConsumerGroupSettings } from './protocol.js';
export { describeConsumerGroup } from './describe.js';

const byCoordinator = new WeakMap<GroupCoordinator, ConsumerGroupProtocol>();

/** The broker's topics as consumer groups see them. */
export function topicsView(broker: BrokerContext): TopicsView {
  const topics = Topics.of(broker);
  return {
    byName: (name) => topics.byName(name),
    byId: (id) => topics.byId(id),
    names: () => topics.list().filter((t) => !Topics.isInternal(t.name)).map((t) => t.name),
  };
}

function attach(coordinator: GroupCoordinator, broker: BrokerContext): ConsumerGroupProtocol {
  const c = broker.config;
  const logger = broker.logger.child({ component: 'consumer-groups' });
  let assignors: Assignor[];
  try {
    assignors = resolveAssignors(c.get('group.consumer.assignors'));
  } catch (err) {
    // A bad setting must not take every group request down with it.
    assignors = resolveAssignors([]);
    logger.error(`${(err as Error).message}; using ${assignors.map((a) => a.name).join(', ')}`);
  }
  const settings: ConsumerGroupSettings = {
    sessionTimeoutMs: c.get('group.consumer.session.timeout.ms'),
    heartbeatIntervalMs: c.get('group.consumer.heartbeat.interval.ms'),
    maxSize: c.get('group.consumer.max.size'),
    assignors,
  };
  const protocol = new ConsumerGroupProtocol(settings, coordinator, topicsView(broker), logger);
  const stats = replayConsumerGroups(
    coordinator.otherRecords.map((r) => ({ key: r.key, value: r.value })),
    protocol,
    (g) => coordinator.register(g),
    coordinator.scheduler.now(),
    (err) => logger.warn('skipped an unreadable consumer-group record', { error: err.message }),
  );
  if (stats.groups > 0) logger.info('loaded consumer groups from __consumer_offsets', { ...stats });
  byCoordinator.set(coordinator, protocol);
  return protocol;
}

GroupCoordinator.attachments.push((coordinator, broker) => void attach(coordinator, broker));

/** The broker's KIP-848 consumer-group protocol. */
export function consumerGroups(broker: BrokerContext): ConsumerGroupProtocol {
  const coordinator = GroupCoordinator.of(broker);
  return byCoordinator.get(coordinator) ?? attach(coordinator, broker);
}
