/**
 * The produce path's one decision point before storage: keep a partition's batches as sent (the fast
 * path), or decode them where the job needs it (the slow path).
 *
 * Fast path: the topic keeps the producer's codec (compression.type=producer, or the batch already has
 * the topic's codec), is not compacted, and brook.produce.validation is `header`: the bytes go to
 * storage untouched; storage checks header and CRC (../../storage/validate.ts). Deciding reads the
 * attributes of each batch header and the first bytes of a compressed payload (./frame-sniff.ts: a
 * payload that is not its codec's stream is CORRUPT_MESSAGE), nothing else.
 *
 * Slow path, per batch that needs it: the header is checked (a bad one is left for storage to report
 * with its usual code), the records are validated in full (./validator.ts), and batches whose codec
 * differs from the topic's are recompressed (./recompress.ts). Control batches are never touched.
 */
import { ErrorCode } from '../../protocol/errors.js';
import {
  CompressionType,
  MAGIC_V2,
  RECORD_BATCH_HEADER_SIZE,
  batchAttributes,
  batchMagic,
  batchSize,
  checkBatch,
  COMPRESSION_CODEC_MASK,
  CONTROL_FLAG_MASK,
} from '../../protocol/records/batch-header.js';
import type { PartitionLog, TopicInfo } from '../../storage/index.js';
import type { BrokerContext } from '../handler.js';
import { isPassThrough, KEEP_PRODUCER_CODEC, writePolicyFor, type WritePolicy } from './policy.js';
import { frameProblem } from './frame-sniff.js';
import { recompressBatch } from './recompress.js';
import { validateBatchRecords, type RecordError, type ValidateOptions } from './validator.js';

/** A partition's produce refused before storage: the error, and per-record errors for Produce v8+. */
export interface ProduceRejection {
  readonly errorCode: number;
  readonly message: string;
  readonly recordErrors?: readonly RecordError[];
}

export interface PrepareOptions {
  /**
   * max.message.bytes: a batch stored uncompressed may not decompress beyond it (MESSAGE_TOO_LARGE, as
   * Kafka answers once it has decompressed); other codecs get the default bomb bound.
   */
  readonly maxMessageBytes?: number;
  /** "topic-partition", for messages. */
  readonly where?: string;
  /** Per-record CreateTime bounds (see ValidateOptions.timestamps). */
  readonly timestamps?: ValidateOptions['timestamps'];
}

const NO_OPTIONS: PrepareOptions = {};
const NO_WORK = 0;
const WORK = 1;

/**
 * One walk over the batch headers: NO_WORK when the input goes to storage as it is, WORK when some
 * batch needs decoding, or a rejection when a compressed payload cannot be its codec's stream
 * (./frame-sniff.ts). Reads a few bytes per batch; anything structurally wrong is left to storage.
 */
function scanHeaders(records: Buffer, policy: WritePolicy): typeof NO_WORK | typeof WORK | ProduceRejection {
  const decodeAll = policy.compacted || policy.fullValidation;
  const target = policy.targetCompression;
  let result: typeof NO_WORK | typeof WORK = decodeAll ? WORK : NO_WORK;
  const end = records.length;
  for (let pos = 0, index = 0; pos + RECORD_BATCH_HEADER_SIZE <= end; index++) {
    if (batchMagic(records, pos) !== MAGIC_V2) return NO_WORK; // storage rejects it
    const size = batchSize(records, pos);
    if (size < RECORD_BATCH_HEADER_SIZE) return NO_WORK;
    const attributes = batchAttributes(records, pos);
    const codec = attributes & COMPRESSION_CODEC_MASK;
    if (codec !== CompressionType.None) {
      const problem = frameProblem(codec, records.subarray(pos + RECORD_BATCH_HEADER_SIZE, Math.min(end, pos + size)));
      if (problem !== undefined) {
        return { errorCode: ErrorCode.CORRUPT_MESSAGE, message: `Record batch ${index} is corrupt: its payload is ${problem} (compression id ${codec})` };
      }
    }
    if (target !== KEEP_PRODUCER_CODEC && codec !== target && (attributes & CONTROL_FLAG_MASK) === 0) result = WORK;
    pos += size;
  }
  return result;
}

/**
 * The bytes storage should append for `records` (v2 batches of one partition) under `policy`: the
 * input itself on the fast path, rebuilt batches where recompression was needed, or a rejection.
 * Input storage would refuse anyway (bad magic, length or CRC) is returned unchanged so that storage
 * reports it with its usual error code.
 */
export function prepareBatches(
  records: Buffer,
  policy: WritePolicy,
  options: PrepareOptions = NO_OPTIONS,
): Buffer | ProduceRejection {
  const work = scanHeaders(records, policy);
  if (work === NO_WORK) return records;
  if (work !== WORK) return work;

  const end = records.length;
  const parts: Buffer[] = [];
  let changed = false;
  for (let pos = 0; pos < end; ) {
    if (checkBatch(records, pos, end) !== undefined) return records;
    const size = batchSize(records, pos);
    const attributes = batchAttributes(records, pos);
    const source = attributes & COMPRESSION_CODEC_MASK;
    if (source > CompressionType.Zstd) return records;
    const target = policy.targetCompression;
    const recompress = target !== KEEP_PRODUCER_CODEC && source !== target && (attributes & CONTROL_FLAG_MASK) === 0;
    let out = records.subarray(pos, pos + size);
    if ((attributes & CONTROL_FLAG_MASK) === 0) {
      const checked = validateBatchRecords(records, pos, {
        compacted: policy.compacted,
        ...(target === CompressionType.None && options.maxMessageBytes !== undefined
          ? { maxDecompressedBytes: Math.max(0, options.maxMessageBytes - RECORD_BATCH_HEADER_SIZE), tooLargeErrorCode: ErrorCode.MESSAGE_TOO_LARGE }
          : {}),
        where: options.where,
        timestamps: options.timestamps,
      });
      if (!checked.ok) return { errorCode: checked.errorCode, message: checked.message, recordErrors: checked.recordErrors };
      if (recompress) {
        try {
          out = recompressBatch(records, pos, checked.records, target, policy.compressionLevel);
        } catch (err) {
          return { errorCode: ErrorCode.CORRUPT_MESSAGE, message: `Cannot recompress the batch: ${(err as Error).message}` };
        }
        changed = true;
      }
    }
    parts.push(out);
    pos += size;
  }
  if (!changed) return records;
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * The produce handler's hook: `batches` is what the request carried for one partition (v2 batches, or
 * the handler's own error for them); returns what to append, or why not.
 */
export function prepareProduce(
  broker: BrokerContext,
  topic: TopicInfo,
  log: PartitionLog,
  batches: Buffer | ProduceRejection,
  _version: number,
): Buffer | ProduceRejection {
  if (!Buffer.isBuffer(batches)) return batches;
  const policy = writePolicyFor(broker.config, topic, log);
  // The usual case allocates nothing: the header walk alone decides.
  if (isPassThrough(policy)) return prepareBatches(batches, policy);
  const c = log.config;
  const bounded = c.timestampType === 'CreateTime' && (Number.isFinite(c.timestampBeforeMaxMs) || Number.isFinite(c.timestampAfterMaxMs));
  return prepareBatches(batches, policy, {
    where: `${log.topic}-${log.partition}`,
    maxMessageBytes: c.maxMessageBytes,
    timestamps: bounded ? { now: broker.clock.now(), beforeMaxMs: c.timestampBeforeMaxMs, afterMaxMs: c.timestampAfterMaxMs } : undefined,
  });
}
