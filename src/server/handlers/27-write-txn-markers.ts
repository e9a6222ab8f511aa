/**
 * WriteTxnMarkers (key 27): v0-2, broker-to-broker. Brook's own coordinator writes markers into its
 * local logs directly (../txn/markers.ts); this serves a coordinator elsewhere (or a tool) the way a
 * partition leader does: each marker is appended as a control batch to each listed partition.
 * Unknown partitions: UNKNOWN_TOPIC_OR_PARTITION; a producer id outside 0..2^53: INVALID_REQUEST; a failed
 * append: its error (INVALID_PRODUCER_EPOCH for a marker older than the producer's epoch).
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type WriteTxnMarkersResponse } from '../../protocol/messages/27-write-txn-markers.js';
import { encodeEndTxnMarkerBatch } from '../../protocol/records/control.js';
import { defineHandler } from '../handler.js';
import { ProducerStates } from '../producers/manager.js';
import { LEADER_EPOCH, Topics } from '../topics/topics.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 2,
  handle(ctx, request): WriteTxnMarkersResponse {
    const topics = Topics.of(ctx.broker);
    const producers = ProducerStates.of(ctx.broker);
    return {
      markers: request.markers.map((m) => ({
        producerId: m.producerId,
        topics: m.topics.map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((partitionIndex) => {
            const log = topics.partition(t.name, partitionIndex);
            if (log === undefined) return { partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
            // Producer ids are allocated from 0 and stay far below 2^53.
            if (m.producerId < 0n || m.producerId > BigInt(Number.MAX_SAFE_INTEGER)) return { partitionIndex, errorCode: ErrorCode.INVALID_REQUEST };
            producers.ensure(log);
            const now = ctx.broker.clock.now();
            const batch = encodeEndTxnMarkerBatch({
              baseOffset: 0,
              timestamp: now,
              partitionLeaderEpoch: LEADER_EPOCH,
              producerId: Number(m.producerId),
              producerEpoch: m.producerEpoch,
              commit: m.transactionResult,
              coordinatorEpoch: m.coordinatorEpoch,
            });
            const r = log.append(batch, { origin: 'coordinator', now });
            return { partitionIndex, errorCode: r.ok ? ErrorCode.NONE : r.errorCode };
          }),
        })),
      })),
    };
  },
});
