/** Pre-encoded record batches and Produce frames for the load generator. */
import { randomBytes } from 'node:crypto';
import { encodeRequestFrame, defaultValue } from '../../src/protocol/codec.js';
import { api as produceApi } from '../../src/protocol/messages/00-produce.js';
import { encodeRecordBatch } from '../../src/protocol/records/records.js';

/** Bytes a record adds to a v2 batch besides its value (length, attributes, deltas, key/value lengths, headers). */
const RECORD_OVERHEAD = 10;
const BATCH_HEADER = 61;

/** Records of `recordSize` bytes that fill a batch of about `batchBytes` (at least one). */
export function recordsPerBatch(recordSize: number, batchBytes: number): number {
  return Math.max(1, Math.floor((batchBytes - BATCH_HEADER) / (recordSize + RECORD_OVERHEAD)));
}

/**
 * A batch of `recordSize`-byte records as close to `batchBytes` as fits without exceeding it (a 1 MiB
 * batch must stay under the broker's max.message.bytes, 1 MiB + 12 by default), and its record count.
 */
export function makeBatchWithin(recordSize: number, batchBytes: number): { batch: Buffer; records: number } {
  let count = recordsPerBatch(recordSize, batchBytes);
  for (;;) {
    const batch = makeBatch(recordSize, count);
    if (batch.length <= batchBytes || count === 1) return { batch, records: count };
    count = Math.max(1, count - Math.ceil((batch.length - batchBytes) / recordSize));
  }
}

/** One uncompressed v2 batch of `count` random (incompressible) values of `recordSize` bytes. */
export function makeBatch(recordSize: number, count: number): Buffer {
  const pool = randomBytes(recordSize + count);
  const now = Date.now();
  const records = Array.from({ length: count }, (_, i) => ({ value: pool.subarray(i, i + recordSize), timestamp: now }));
  return encodeRecordBatch({ records });
}

export interface ProduceFrame {
  /** The whole request frame, size prefix included, as one buffer (written with one write()). */
  frame: Buffer;
  correlationId: number;
  partition: number;
  records: number;
  /** Bytes of the record batch: the figure MB/s is computed from (what the broker stores). */
  batchBytes: number;
  /** Called right before each send (idempotent runs stamp the next sequence number into the frame). */
  beforeSend?: () => void;
}

/** A Produce request frame for one batch to one partition, encoded once and sent many times. */
export function produceFrame(opts: {
  version: number;
  topic: string;
  partition: number;
  acks: number;
  batch: Buffer;
  records: number;
  correlationId: number;
}): ProduceFrame {
  const body = defaultValue(produceApi.request, opts.version);
  body.acks = opts.acks;
  body.timeoutMs = 30_000;
  body.topicData = [{ name: opts.topic, partitionData: [{ index: opts.partition, records: opts.batch }] }] as typeof body.topicData;
  const parts = encodeRequestFrame(produceApi, opts.version, { correlationId: opts.correlationId, clientId: 'brook-load' }, body);
  return {
    frame: Buffer.concat(parts),
    correlationId: opts.correlationId,
    partition: opts.partition,
    records: opts.records,
    batchBytes: opts.batch.length,
  };
}
