/**
 * Ends a transaction in its partitions: a control batch (COMMIT or ABORT marker, Kafka's
 * EndTransactionMarker) with the producer id and the transaction's final epoch is appended to every
 * partition of the transaction, __consumer_offsets partitions included. The producer state of each
 * partition (../producers) closes the transaction there: the last stable offset moves past it, and an
 * abort is added to the aborted-transactions list read_committed fetches return.
 *
 * Transactional offsets (TxnOffsetCommit) are in __consumer_offsets as transactional batches and staged
 * in the group coordinator's offset store; the marker written to the group's partition commits them
 * (here in memory, and on replay by the group coordinator's load) or drops them.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { encodeEndTxnMarkerBatch } from '../../protocol/records/control.js';
import { GroupCoordinator } from '../groups/coordinator.js';
import type { BrokerContext } from '../handler.js';
import type { Logger } from '../logger.js';
import { ProducerStates } from '../producers/manager.js';
import { GROUP_METADATA_TOPIC, LEADER_EPOCH, Topics } from '../topics/topics.js';
import type { TxnMetadata } from './state.js';

/** The coordinator epoch written into markers (one coordinator, never moved). */
export const COORDINATOR_EPOCH = 0;

/** Applies (commit) or drops (abort) the producer's staged offsets, as its marker does on replay. */
function finishOffsets(broker: BrokerContext, producerId: number, commit: boolean): void {
  const offsets = GroupCoordinator.of(broker).offsets;
  for (const s of offsets.takePendingOfProducer(producerId)) if (commit) offsets.set(s.group, s.topic, s.partition, s.value);
}

/** Writes the markers; returns how many partitions failed (0 = done). */
export function writeMarkers(broker: BrokerContext, m: TxnMetadata, commit: boolean, logger: Logger): number {
  const topics = Topics.of(broker);
  const producers = ProducerStates.of(broker);
  const now = broker.clock.now();
  let failed = 0;
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
      if (r.ok && topic === GROUP_METADATA_TOPIC) finishOffsets(broker, m.producerId, commit);
      // A partition that has seen a newer epoch of the producer is past this transaction already.
      if (!r.ok && r.errorCode !== ErrorCode.INVALID_PRODUCER_EPOCH) {
        failed++;
        logger.warn('transaction marker append failed', { topic, partition, errorCode: r.errorCode, error: r.errorMessage });
      }
    }
  }
  return failed;
}
