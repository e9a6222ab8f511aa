/**
 * DescribeProducers (key 61): v0. The active producers of each requested partition, from its producer
 * state (../producers, rebuilt on first use): id, epoch, last sequence, last timestamp, coordinator
 * epoch of the last marker and the first offset of the open transaction (-1 if none). Unknown topic or
 * partition: UNKNOWN_TOPIC_OR_PARTITION.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type DescribeProducersResponse } from '../../protocol/messages/61-describe-producers.js';
import { defineHandler } from '../handler.js';
import { ProducerStates } from '../producers/manager.js';
import { Topics } from '../topics/topics.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 0,
  handle(ctx, request): DescribeProducersResponse {
    const topics = Topics.of(ctx.broker);
    const producers = ProducerStates.of(ctx.broker);
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => {
          const log = topics.partition(t.name, partitionIndex);
          if (log === undefined) {
            return { partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null, activeProducers: [] };
          }
          const state = producers.ensure(log);
          return {
            partitionIndex,
            errorCode: ErrorCode.NONE,
            errorMessage: null,
            activeProducers: [...state.producers.values()].map((e) => ({
              producerId: BigInt(e.producerId),
              producerEpoch: e.epoch,
              lastSequence: e.batches.length > 0 ? e.batches[e.batches.length - 1]!.lastSeq : -1,
              lastTimestamp: BigInt(e.lastTimestamp),
              coordinatorEpoch: e.coordinatorEpoch,
              currentTxnStartOffset: BigInt(e.currentTxnFirstOffset),
            })),
          };
        }),
      })),
    };
  },
});
