/**
 * Produce (key 0): v0-13.
 *
 * Behaviour:
 *   - acks 0 / 1 / -1 (-1 = 1: one replica, so every append is fully replicated; but with
 *     min.insync.replicas above 1, acks=-1 gets NOT_ENOUGH_REPLICAS, as Kafka short of replicas). Any
 *     other value: INVALID_REQUIRED_ACKS on every partition. acks=0 gets no response; if any partition failed, the
 *     connection is closed instead, as Kafka does, so the producer learns that something went wrong.
 *   - Record batches stay opaque unless the topic's write policy needs them decoded (compression.type
 *     other than producer, compacted topics, brook.produce.validation=full: ../produce/prepare.ts, which
 *     also yields per-record errors for v8+). The bytes go to storage, which validates headers and CRCs,
 *     assigns offsets in place and answers CORRUPT_MESSAGE / INVALID_RECORD / MESSAGE_TOO_LARGE /
 *     RECORD_LIST_TOO_LARGE / INVALID_TIMESTAMP per partition. v3+ must carry exactly one batch per
 *     partition (INVALID_RECORD otherwise, as Kafka's ProduceRequest.validateRecords); zstd needs v7+
 *     (UNSUPPORTED_COMPRESSION_TYPE).
 *   - Idempotent and transactional batches pass the partition's producer state (../producers): a retried
 *     batch is answered with its first offsets and not appended again; OUT_OF_ORDER_SEQUENCE_NUMBER,
 *     INVALID_PRODUCER_EPOCH as Kafka 4. A transactional batch must belong to its producer's ongoing
 *     transaction (INVALID_TXN_STATE; v12+ adds the partition implicitly, KIP-890).
 *   - v0-2 carry legacy message sets (magic 0/1): converted up to one v2 batch, as Kafka's LogValidator
 *     does; a corrupt message set is CORRUPT_MESSAGE.
 *   - Unknown topic or partition: UNKNOWN_TOPIC_OR_PARTITION (Kafka creates topics on Metadata, not on
 *     Produce); v13 names topics by id: UNKNOWN_TOPIC_ID. Internal topics (__consumer_offsets, …) are
 *     written by their coordinators only: INVALID_TOPIC_EXCEPTION (client id __admin_client excepted).
 *   - Response: base offset, log append time (-1 unless the topic uses LogAppendTime, v2+), log start
 *     offset (v5+), error message and record errors (v8+; only the full validation in ../produce names
 *     records, storage's header checks cannot). Fetch long polls are woken by storage's append
 *     listeners (see ../fetch/waiter.ts).
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type ProduceResponse } from '../../protocol/messages/00-produce.js';
import {
  ATTRIBUTES_OFFSET,
  CompressionType,
  MAGIC_OFFSET,
  MAGIC_V2,
  batchCompression,
  batchSize,
} from '../../protocol/records/batch-header.js';
import { messageSetToRecordBatches } from '../../protocol/records/legacy/convert.js';
import type { AppendResult } from '../../storage/index.js';
import { ProtocolViolation } from '../connection.js';
import { NO_RESPONSE, defineHandler } from '../handler.js';
import { prepareProduce, type ProduceRejection } from '../produce/prepare.js';
import { appendWithProducerState } from '../producers/produce-hook.js';
import { Topics } from '../topics/topics.js';

type TopicResponse = ProduceResponse['responses'][number];
type PartitionResponse = TopicResponse['partitionResponses'][number];

const NO_LEADER = { leaderId: -1, leaderEpoch: -1 };
/** One broker: every partition's ISR is this node alone. */
const IN_SYNC_REPLICAS = 1;

function partitionError(index: number, errorCode: number, errorMessage: string | null = null): PartitionResponse {
  return {
    index,
    errorCode,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: -1n,
    recordErrors: [],
    errorMessage,
    currentLeader: NO_LEADER,
  };
}

function fromAppend(index: number, r: AppendResult): PartitionResponse {
  if (r.ok) {
    return {
      index,
      errorCode: ErrorCode.NONE,
      baseOffset: BigInt(r.baseOffset),
      logAppendTimeMs: BigInt(r.logAppendTime),
      logStartOffset: BigInt(r.logStartOffset),
      recordErrors: [],
      errorMessage: null,
      currentLeader: NO_LEADER,
    };
  }
  // Storage validates batch headers, not single records, so it cannot name a record index (KIP-467
  // record_errors); a wrong index would make Java producers blame the wrong record. The message says why.
  return {
    index,
    errorCode: r.errorCode,
    baseOffset: -1n,
    logAppendTimeMs: -1n,
    logStartOffset: BigInt(r.logStartOffset),
    recordErrors: [],
    errorMessage: r.errorMessage,
    currentLeader: NO_LEADER,
  };
}

/** The v2 batch bytes to append, or an error response. */
function toBatches(records: Buffer | null, version: number): Buffer | ProduceRejection {
  const reject = (errorCode: number, message: string): ProduceRejection => ({ errorCode, message });
  if (records === null || records.length === 0) {
    return reject(ErrorCode.INVALID_RECORD, 'Produce request must contain at least one record batch per partition');
  }
  const magic = records.length > MAGIC_OFFSET ? records[MAGIC_OFFSET]! : -1;
  if (version >= 3) {
    // Kafka's ProduceRequest.validateRecords: magic 2, zstd only from v7, exactly one batch.
    if (magic !== MAGIC_V2 && magic >= 0 && magic < MAGIC_V2) {
      return reject(ErrorCode.INVALID_RECORD, 'Produce requests with version 3 and above must contain record batches with magic 2');
    }
    const zstd = magic === MAGIC_V2 && records.length > ATTRIBUTES_OFFSET + 1 && batchCompression(records, 0) === CompressionType.Zstd;
    if (version < 7 && zstd) {
      return reject(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `Produce v${version} cannot carry zstd-compressed batches (KIP-110: v7+)`);
    }
    if (records.length >= 12 && batchSize(records, 0) < records.length && batchSize(records, 0) > 0) {
      return reject(ErrorCode.INVALID_RECORD, 'Produce requests with version 3 and above must contain exactly one record batch per partition');
    }
    return records;
  }
  if (magic === MAGIC_V2) return records;
  try {
    const up = messageSetToRecordBatches(records);
    if (up.length === 0) return reject(ErrorCode.INVALID_RECORD, 'Produce request must contain at least one message');
    return up;
  } catch (err) {
    return reject(ErrorCode.CORRUPT_MESSAGE, `Corrupt message set: ${(err as Error).message}`);
  }
}

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 13,
  handle(ctx, request, version) {
    const topics = Topics.of(ctx.broker);
    const acks = request.acks;
    const validAcks = acks === 0 || acks === 1 || acks === -1;
    const byId = version >= 13;
    // Kafka lets only its own admin tooling write to internal topics (ReplicaManager.appendToLocalLog).
    const internalAllowed = ctx.header.clientId === '__admin_client';
    let failures = 0;

    const responses: TopicResponse[] = request.topicData.map((td) => {
      const topic = byId ? topics.byId(td.topicId) : topics.byName(td.name);
      const partitionResponses = td.partitionData.map((pd): PartitionResponse => {
        let res: PartitionResponse;
        if (!validAcks) res = partitionError(pd.index, ErrorCode.INVALID_REQUIRED_ACKS);
        else if (topic === undefined) {
          res = partitionError(pd.index, byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        } else {
          const log = topics.partition(topic.name, pd.index);
          if (log === undefined) res = partitionError(pd.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          else if (Topics.isInternal(topic.name) && !internalAllowed) {
            res = partitionError(pd.index, ErrorCode.INVALID_TOPIC_EXCEPTION, `Cannot append to internal topic ${topic.name}`);
          } else if (acks === -1 && topics.minInsyncReplicas(topic) > IN_SYNC_REPLICAS) {
            res = partitionError(
              pd.index,
              ErrorCode.NOT_ENOUGH_REPLICAS,
              `The size of the current ISR (${IN_SYNC_REPLICAS}) is insufficient to satisfy the min.isr ` +
                `requirement of ${topics.minInsyncReplicas(topic)} for partition ${topic.name}-${pd.index}`,
            );
          } else {
            // Slow path (recompression, compacted topics, full validation) lives in ../produce/prepare.ts.
            const batches = prepareProduce(ctx.broker, topic, log, toBatches(pd.records as Buffer | null, version), version);
            res = Buffer.isBuffer(batches)
              ? fromAppend(pd.index, appendWithProducerState(ctx.broker, log, batches, request.transactionalId, version))
              : { ...partitionError(pd.index, batches.errorCode, batches.message), recordErrors: [...(batches.recordErrors ?? [])] };
          }
        }
        if (res.errorCode !== ErrorCode.NONE) failures++;
        return res;
      });
      return { name: td.name, topicId: td.topicId, partitionResponses };
    });

    if (acks === 0) {
      if (failures > 0) {
        const first = responses.flatMap((t) => t.partitionResponses.filter((p) => p.errorCode !== 0).map((p) => ({ t, p })))[0]!;
        throw new ProtocolViolation(
          `acks=0 produce failed for ${failures} partition(s), e.g. ${first.t.name || first.t.topicId}-${first.p.index}: ` +
            `error ${first.p.errorCode}${first.p.errorMessage ? ` (${first.p.errorMessage})` : ''}; closing the connection as Kafka does`,
        );
      }
      return NO_RESPONSE;
    }
    return { responses, throttleTimeMs: 0, nodeEndpoints: [] };
  },
});
