/**
 * The durable side of the coordinator: group metadata and committed offsets written to the compacted
 * internal topic `__consumer_offsets` as ordinary v2 record batches (keys and values in Kafka's formats,
 * ./records.ts), one partition per group (partitionForGroup), and replayed into memory on start.
 *
 * Appends are synchronous (storage writes to the page cache before returning), so a commit is
 * acknowledged only after its records are in the log: a process crash (SIGKILL) loses nothing that was
 * acknowledged. The topic is created on the first write with offsets.topic.num.partitions partitions.
 */
import { ErrorCode } from '../../protocol/errors.js';
import {
  batchAttributes,
  batchBaseOffset,
  batchBaseTimestamp,
  batchLastOffsetDelta,
  batchProducerId,
  batchRecordCount,
  batchSize,
  checkBatch,
  COMPRESSION_CODEC_MASK,
  CompressionType,
  CONTROL_FLAG_MASK,
  MAGIC_V2,
  RECORD_BATCH_HEADER_SIZE,
  TRANSACTIONAL_FLAG_MASK,
} from '../../protocol/records/batch-header.js';
import { codecFor } from '../../protocol/records/compression/index.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from '../../protocol/records/compression/types.js';
import { ControlRecordType, parseControlRecordType } from '../../protocol/records/control.js';
import { readRecord } from '../../protocol/records/record.js';
import { RecordReader } from '../../protocol/records/varint.js';
import type { PartitionLog } from '../../storage/index.js';
import { appendRecords, replayLog, type CoordinatorTopic, type PendingRecord } from '../coordinator-log.js';
import { decodeCoordinatorRecord, partitionForGroup, type CoordinatorRecord } from './records.js';

export type { PendingRecord } from '../coordinator-log.js';

/** Where the log lives: the broker gives the partitions of __consumer_offsets. */
export type OffsetsTopicAccess = CoordinatorTopic;

export interface LoadStats {
  readonly records: number;
  readonly batches: number;
  readonly bytes: number;
  readonly skipped: number;
}

export class GroupLog {
  constructor(
    private readonly topic: OffsetsTopicAccess,
    private readonly now: () => number,
  ) {}

  /** Appends the records of one group as one batch. Returns NONE or the error the request reports. */
  append(groupId: string, records: readonly PendingRecord[]): number {
    if (records.length === 0) return ErrorCode.NONE;
    const log = this.topic.partition(partitionForGroup(groupId, this.topic.partitions()), true);
    if (log === undefined) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const result = appendRecords(log, records, this.now());
    if (!result.ok) {
      // Kafka maps log-append failures of the offsets topic to these (GroupMetadataManager).
      return result.errorCode === ErrorCode.MESSAGE_TOO_LARGE || result.errorCode === ErrorCode.RECORD_LIST_TOO_LARGE
        ? ErrorCode.INVALID_COMMIT_OFFSET_SIZE
        : ErrorCode.UNKNOWN_SERVER_ERROR;
    }
    return ErrorCode.NONE;
  }

  /**
   * Replays every partition from its start, in offset order, handing each decoded record to `visit`.
   * Records of transactional batches (TxnOffsetCommit) count only once their COMMIT marker is read and
   * are dropped on ABORT, as Kafka's loader does; those of transactions still open at the end go to
   * `onOpenTransaction`. A record or batch that does not decode is skipped (reported), never fatal: the
   * broker must come up.
   */
  load(
    visit: (record: CoordinatorRecord, timestamp: number) => void,
    onBadRecord: (err: Error) => void,
    onOpenTransaction?: (producerId: number, records: ReadonlyArray<{ record: CoordinatorRecord; timestamp: number }>) => void,
  ): LoadStats {
    const stats = { records: 0, batches: 0, bytes: 0, skipped: 0 };
    const count = this.topic.partitions();
    for (let p = 0; p < count; p++) {
      const log = this.topic.partition(p, false);
      if (log !== undefined) this.loadPartition(log, visit, onBadRecord, onOpenTransaction, stats);
    }
    return stats;
  }

  private loadPartition(
    log: PartitionLog,
    visit: (record: CoordinatorRecord, timestamp: number) => void,
    onBadRecord: (err: Error) => void,
    onOpenTransaction: ((producerId: number, records: ReadonlyArray<{ record: CoordinatorRecord; timestamp: number }>) => void) | undefined,
    stats: { records: number; batches: number; bytes: number; skipped: number },
  ): void {
    const open = new Map<number, Array<{ record: CoordinatorRecord; timestamp: number }>>();
    const decode = (key: Buffer | null, value: Buffer | null): CoordinatorRecord | undefined => {
      try {
        if (key === null) throw new Error('coordinator record without a key');
        return decodeCoordinatorRecord(key, value);
      } catch (err) {
        stats.skipped++;
        onBadRecord(err as Error);
        return undefined;
      }
    };
    replayLog(log, (chunks, offset) => {
      let next = offset;
      try {
        for (const chunk of chunks) {
          let pos = 0;
          while (pos < chunk.length) {
            const problem = checkBatch(chunk, pos, chunk.length, true);
            if (problem !== undefined) throw new Error(`__consumer_offsets batch at offset ${next}: ${problem}`);
            const size = batchSize(chunk, pos);
            const attributes = batchAttributes(chunk, pos);
            const producerId = batchProducerId(chunk, pos);
            const baseOffset = batchBaseOffset(chunk, pos);
            const baseTimestamp = batchBaseTimestamp(chunk, pos);
            const recordCount = batchRecordCount(chunk, pos);
            next = baseOffset + batchLastOffsetDelta(chunk, pos) + 1;
            stats.batches++;
            stats.bytes += size;
            let data = chunk;
            let start = pos + RECORD_BATCH_HEADER_SIZE;
            let end = pos + size;
            const compression = attributes & COMPRESSION_CODEC_MASK;
            if (compression !== CompressionType.None) {
              data = codecFor(compression).decompress(chunk.subarray(start, end), DEFAULT_MAX_DECOMPRESSED_BYTES, MAGIC_V2);
              start = 0;
              end = data.length;
            }
            const reader = new RecordReader(data, start, end);
            const isControl = (attributes & CONTROL_FLAG_MASK) !== 0;
            const transactional = (attributes & TRANSACTIONAL_FLAG_MASK) !== 0;
            for (let i = 0; i < recordCount; i++) {
              const r = readRecord(reader, baseOffset, baseTimestamp);
              if (r.offset < offset) continue;
              if (isControl) {
                const marker = parseControlRecordType(r.key);
                const pending = open.get(producerId);
                open.delete(producerId);
                if (marker === ControlRecordType.Commit) {
                  for (const e of pending ?? []) {
                    visit(e.record, e.timestamp);
                    stats.records++;
                  }
                }
                continue;
              }
              const record = decode(r.key, r.value);
              if (record === undefined) continue;
              if (transactional) {
                let list = open.get(producerId);
                if (list === undefined) open.set(producerId, (list = []));
                list.push({ record, timestamp: r.timestamp });
              } else {
                visit(record, r.timestamp);
                stats.records++;
              }
            }
            pos += size;
          }
        }
      } catch (err) {
        // A batch that does not decode (storage recovery truncates torn writes, so this is damage):
        // keep what was read before it and skip the rest of this partition rather than fail to start.
        onBadRecord(err as Error);
        stats.skipped++;
        next = offset;
      }
      return next;
    });
    for (const [producerId, records] of open) onOpenTransaction?.(producerId, records);
  }
}
