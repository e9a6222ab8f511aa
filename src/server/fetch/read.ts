/**
 * One read pass of a Fetch: each requested partition's batches from its fetch offset, within the
 * per-partition limit and what is left of the response limit, in request order.
 *
 * As Kafka's ReplicaManager.readFromLog: from v3 the first partition that has data returns at least one
 * whole batch even above the limits (KIP-74); v0-2 limits are hard (a first message above the limit is
 * cut short, as Kafka's byte-sliced read returns it). The stored Buffers are passed on by
 * reference (the encoder writes a list of buffers without copying), except where an old version needs
 * its records down-converted (v0-1: magic 0, v2-3: magic 1). v4-9 cannot carry zstd batches
 * (UNSUPPORTED_COMPRESSION_TYPE). read_committed reads up to the last stable offset and lists the
 * aborted transactions overlapping what it returns (../producers: the state is rebuilt on first use).
 */
import { ErrorCode } from '../../protocol/errors.js';
import {
  CompressionType,
  MAGIC_V2,
  batchCompression,
  batchMagic,
  batchSize,
} from '../../protocol/records/batch-header.js';
import { recordBatchesToMessageSet } from '../../protocol/records/legacy/convert.js';
import { UnsupportedCompressionTypeError } from '../../protocol/records/errors.js';
import type { PartitionLog } from '../../storage/index.js';
import { LEADER_EPOCH } from '../topics/topics.js';
import { releaseAfterWrite } from '../write-release.js';
import { producerState } from '../producers/manager.js';

export const READ_UNCOMMITTED = 0;
export const READ_COMMITTED = 1;

/** A partition to read, resolved against storage (log undefined: `missingError` explains why). */
export interface ReadTarget {
  readonly log: PartitionLog | undefined;
  readonly missingError: number;
  readonly fetchOffset: number;
  readonly partitionMaxBytes: number;
  readonly currentLeaderEpoch: number;
}

export interface PartitionRead {
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
  /** Stored batches by reference, or one down-converted message set. */
  readonly records: Buffer | readonly Buffer[];
  readonly bytes: number;
  /** read_committed: aborted transactions overlapping the records (null for read_uncommitted). */
  readonly abortedTransactions: Array<{ producerId: bigint; firstOffset: bigint }> | null;
}

export interface ReadPass {
  readonly reads: PartitionRead[];
  readonly bytes: number;
  /** Some partition answered an error (Kafka answers such a fetch at once). */
  readonly anyError: boolean;
}

const NO_RECORDS: readonly Buffer[] = [];

function failed(errorCode: number): PartitionRead {
  return { errorCode, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, records: NO_RECORDS, bytes: 0, abortedTransactions: null };
}

/** Whether any batch in the chunks is zstd-compressed (headers only). */
function hasZstd(chunks: readonly Buffer[]): boolean {
  for (const c of chunks) {
    for (let p = 0; p + 61 <= c.length; p += batchSize(c, p)) {
      if (batchMagic(c, p) === MAGIC_V2 && batchCompression(c, p) === CompressionType.Zstd) return true;
    }
  }
  return false;
}

export function readPartitions(
  targets: readonly ReadTarget[],
  version: number,
  isolationLevel: number,
  responseMaxBytes: number,
): ReadPass {
  let remaining = responseMaxBytes;
  let minOne = version >= 3;
  let total = 0;
  let anyError = false;
  const reads = targets.map((t): PartitionRead => {
    const log = t.log;
    if (log === undefined) {
      anyError = true;
      return failed(t.missingError);
    }
    if (t.currentLeaderEpoch > LEADER_EPOCH) {
      anyError = true;
      return failed(ErrorCode.UNKNOWN_LEADER_EPOCH);
    }
    const limit = Math.max(0, Math.min(t.partitionMaxBytes, remaining));
    const txns = isolationLevel === READ_COMMITTED ? producerState(log) : undefined;
    const maxOffset = txns !== undefined ? log.lastStableOffset : log.highWatermark;
    let r;
    try {
      // v0-2 limits are hard, but the read still takes the first batch so the answer can hold its head.
      r = log.read(t.fetchOffset, limit, { maxOffset, minOneBatch: minOne || version <= 2 });
    } catch {
      // An I/O failure is this partition's error (as Kafka's KAFKA_STORAGE_ERROR), not the connection's.
      anyError = true;
      return failed(ErrorCode.KAFKA_STORAGE_ERROR);
    }
    if (r.errorCode !== ErrorCode.NONE) {
      anyError = true;
      return failed(r.errorCode);
    }
    let records: Buffer | readonly Buffer[] = r.chunks;
    let bytes = r.bytes;
    if (bytes > 0 && version < 10 && hasZstd(r.chunks)) {
      anyError = true;
      return failed(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
    }
    if (bytes > 0 && version <= 3) {
      try {
        const joined = r.chunks.length === 1 ? r.chunks[0]! : Buffer.concat(r.chunks, r.bytes);
        let down = recordBatchesToMessageSet(joined, version <= 1 ? 0 : 1, limit, {
          minOneMessage: minOne || version <= 2,
          firstOffset: t.fetchOffset,
        });
        // v0-2: like Kafka's byte-sliced read, a first message above the limit comes back cut short; old
        // consumers recognise the partial message and report it (RecordTooLarge) instead of polling forever.
        if (version <= 2 && down.length > limit) down = down.subarray(0, limit);
        records = down;
        bytes = down.length;
      } catch (err) {
        anyError = true;
        return failed(err instanceof UnsupportedCompressionTypeError ? ErrorCode.UNSUPPORTED_COMPRESSION_TYPE : ErrorCode.CORRUPT_MESSAGE);
      }
    }
    // The stored bytes go out by reference: their pooled buffer is released once the socket wrote them.
    if (records === r.chunks && r.chunks.length > 0) releaseAfterWrite(r.chunks[r.chunks.length - 1]!, r.release);
    if (bytes > 0) minOne = false;
    remaining -= bytes;
    total += bytes;
    return {
      errorCode: ErrorCode.NONE,
      highWatermark: r.highWatermark,
      lastStableOffset: r.lastStableOffset,
      logStartOffset: r.logStartOffset,
      records,
      bytes,
      abortedTransactions:
        txns === undefined
          ? null
          : txns.abortedBetween(t.fetchOffset, r.nextOffset).map((a) => ({ producerId: BigInt(a.producerId), firstOffset: BigInt(a.firstOffset) })),
    };
  });
  return { reads, bytes: total, anyError };
}
