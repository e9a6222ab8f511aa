/**
 * Ends a transaction in its partitions: a control batch (COMMIT or ABORT marker, Kafka's
 * EndTransactionMarker) with the producer id and the transaction's final epoch is appended to every
 * partition of the transaction, __consumer_offsets partitions included. The producer state of each
 * partition (../producers) closes the transaction there: the last stable offset moves past it, and an
 * abort is added to the aborted-transactions list read_committed fetches return.
 *
 * Transactional offsets (TxnOffsetCommit) are staged in the group coordinator's offset store; a commit
 * writes them to __consumer_offsets as ordinary offset commits before its marker, an abort drops them.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { encodeEndTxnMarkerBatch } from '../../protocol/records/control.js';
import { GroupCoordinator } from '../groups/coordinator.js';
import { encodeOffsetKey, encodeOffsetValue } from '../groups/records.js';
import type { BrokerContext } from '../handler.js';
import type { Logger } from '../logger.js';
import { ProducerStates } from '../producers/manager.js';
import { GROUP_METADATA_TOPIC, LEADER_EPOCH, Topics } from '../topics/topics.js';
import type { TxnMetadata } from './state.js';

/** The coordinator epoch written into markers (one coordinator, never moved). */
export const COORDINATOR_EPOCH = 0;

/** Applies (commit) or drops (abort) the staged offsets of the transaction's groups. */
function finishOffsets(broker: BrokerContext, m: TxnMetadata, commit: boolean, logger: Logger): void {
  if (m.groups.size === 0) return;
  const groups = GroupCoordinator.of(broker);
  for (const groupId of m.groups) {
    const staged = groups.offsets.takePending(groupId, m.producerId);
    if (!commit || staged.length === 0) continue;
    const records = staged.map((s) => ({ key: encodeOffsetKey(groupId, s.topic, s.partition), value: encodeOffsetValue(s.value) }));
    const err = groups.write(groupId, records);
    if (err !== ErrorCode.NONE) {
      logger.error('could not write transactional offsets', { group: groupId, errorCode: err });
      continue;
    }
    for (const s of staged) groups.offsets.set(groupId, s.topic, s.partition, s.value);
  }
}

/** Writes the markers; returns how many partitions failed (0 = done). */
export function writeMarkers(broker: BrokerContext, m: TxnMetadata, commit: boolean, logger: Logger): number {
  const topics = Topics.of(broker);
  const producers = ProducerStates.of(broker);
  const now = broker.clock.now();
  let failed = 0;
  if (m.partitions.has(GROUP_METADATA_TOPIC)) finishOffsets(broker, m, commit, logger);
  for (const [topic, parts] of m.partitions) {
    for (const partition of parts) {
      const log = topics.partition(topic, partition);
      if (log === undefined) continue; // deleted since: nothing to end there
      producers.ensure(log);
      const marker = encodeEndTxnMarkerBatch({
        baseOffset: 0,
        timestamp: now,
        partitionLeaderEpoch: LEADER_EPOCH,
        producerId: m.producerId,
        producerEpoch: m.producerEpoch,
        commit,
        coordinatorEpoch: COORDINATOR_EPOCH,
      });
      const r = log.append(marker, { origin: 'coordinator', now });
      if (!r.ok) {
        failed++;
        logger.warn('transaction marker append failed', { topic, partition, errorCode: r.errorCode, error: r.errorMessage });
      }
    }
  }
  return failed;
}
