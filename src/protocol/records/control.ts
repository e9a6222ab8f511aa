/**
 * Control records: the single record of a control batch (attributes bit 5), e.g. transaction markers.
 *   key    version int16 (0) | type int16 (0 ABORT, 1 COMMIT, 2 LEADER_CHANGE, 3 SNAPSHOT_HEADER,
 *          4 SNAPSHOT_FOOTER, 5 KRAFT_VERSION, 6 KRAFT_VOTERS)
 *   value  for ABORT/COMMIT (EndTransactionMarker): version int16 (0) | coordinatorEpoch int32
 * A transaction marker batch is transactional and control, CreateTime, no sequence, one record at
 * the batch's base offset (Kafka's MemoryRecords.withEndTransactionMarker). Readers accept newer
 * versions by reading the v0 fields, and reject short or negative-version keys and values, as Kafka does.
 */
import { encodeRecordBatch } from './records.js';
import { CorruptRecordError } from './errors.js';

export const ControlRecordType = {
  Abort: 0,
  Commit: 1,
  LeaderChange: 2,
  SnapshotHeader: 3,
  SnapshotFooter: 4,
  KraftVersion: 5,
  KraftVoters: 6,
} as const;
export type ControlRecordType = (typeof ControlRecordType)[keyof typeof ControlRecordType];

export function encodeControlRecordKey(type: ControlRecordType): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(type, 2);
  return key;
}

/** The type id in a control record key (unknown ids are returned as they are; callers ignore them). */
export function parseControlRecordType(key: Buffer | null): number {
  if (key === null || key.length < 4) throw new CorruptRecordError(`control record key needs 4 bytes, found ${key?.length ?? 'null'}`);
  const version = key.readInt16BE(0);
  if (version < 0) throw new CorruptRecordError(`invalid control record key version ${version}`);
  return key.readInt16BE(2);
}

export interface EndTxnMarker {
  type: typeof ControlRecordType.Abort | typeof ControlRecordType.Commit;
  coordinatorEpoch: number;
}

export function encodeEndTxnMarkerValue(coordinatorEpoch: number): Buffer {
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  return value;
}

/** Reads a transaction marker from a control record's key and value. */
export function parseEndTxnMarker(key: Buffer | null, value: Buffer | null): EndTxnMarker {
  const type = parseControlRecordType(key);
  if (type !== ControlRecordType.Abort && type !== ControlRecordType.Commit) {
    throw new CorruptRecordError(`control record type ${type} is not a transaction marker`);
  }
  if (value === null || value.length < 6) throw new CorruptRecordError('end transaction marker value needs 6 bytes');
  const version = value.readInt16BE(0);
  if (version < 0) throw new CorruptRecordError(`invalid end transaction marker version ${version}`);
  return { type, coordinatorEpoch: value.readInt32BE(2) };
}

export interface EndTxnMarkerBatchInput {
  baseOffset: number;
  timestamp: number;
  partitionLeaderEpoch: number;
  producerId: number;
  producerEpoch: number;
  commit: boolean;
  coordinatorEpoch: number;
}

/** The control batch a transaction coordinator writes to each partition to commit or abort. */
export function encodeEndTxnMarkerBatch(m: EndTxnMarkerBatchInput): Buffer {
  return encodeRecordBatch({
    baseOffset: m.baseOffset,
    partitionLeaderEpoch: m.partitionLeaderEpoch,
    producerId: m.producerId,
    producerEpoch: m.producerEpoch,
    isTransactional: true,
    isControl: true,
    records: [
      {
        key: encodeControlRecordKey(m.commit ? ControlRecordType.Commit : ControlRecordType.Abort),
        value: encodeEndTxnMarkerValue(m.coordinatorEpoch),
        timestamp: m.timestamp,
      },
    ],
  });
}
