/**
 * The records of `__consumer_offsets`, in Kafka's own key/value formats, so a data directory reads the
 * way Kafka's group coordinator would read it (facts from Kafka's OffsetCommitKey/Value and
 * GroupMetadataKey/Value message definitions).
 *
 * Every key and value is a 2-byte big-endian version followed by the struct of that version:
 *   key v0/v1 → OffsetCommitKey  { group, topic, partition }   value OffsetCommitValue v0-v4
 *   key v2    → GroupMetadataKey { group }                     value GroupMetadataValue v0-v4
 *   key v3+   → KIP-848 consumer-group records (the consumer-group coordinator adds those decoders)
 * A null value is a tombstone: the offset or the group is gone (the log is compacted by key).
 *
 * Brook writes key v1 with value v3 (v1 when a per-commit expire timestamp was given, as Kafka does),
 * and group metadata key v2 with value v3: the versions Kafka 3.x/4.x writes.
 */
import { field, struct, T, type MessageValue } from '../../protocol/schema/dsl.js';
import { coordinatorPartition, decodeRecord, decodeValue, encodeRecord, recordSchema, recordVersion } from '../coordinator-records.js';

export const OffsetCommitKey = recordSchema({
  name: 'OffsetCommitKey',
  validVersions: '0-1',
  flexibleVersions: 'none',
  fields: [field('group', T.string, '0-1'), field('topic', T.string, '0-1'), field('partition', T.int32, '0-1')],
});
export type OffsetCommitKey = MessageValue<typeof OffsetCommitKey>;

export const OffsetCommitValue = recordSchema({
  name: 'OffsetCommitValue',
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    field('offset', T.int64, '0+'),
    field('leaderEpoch', T.int32, '3+', { default: -1, ignorable: true }),
    field('metadata', T.string, '0+'),
    field('commitTimestamp', T.int64, '0+'),
    field('expireTimestamp', T.int64, '1', { default: -1n, ignorable: true }),
  ],
});
export type OffsetCommitValue = MessageValue<typeof OffsetCommitValue>;

export const GroupMetadataKey = recordSchema({
  name: 'GroupMetadataKey',
  validVersions: '2',
  flexibleVersions: 'none',
  fields: [field('group', T.string, '2')],
});

export const GroupMetadataValue = recordSchema({
  name: 'GroupMetadataValue',
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    field('protocolType', T.string, '0+'),
    field('generation', T.int32, '0+'),
    field('protocol', T.string, '0+', { nullable: '0+' }),
    field('leader', T.string, '0+', { nullable: '0+' }),
    field('currentStateTimestamp', T.int64, '2+', { default: -1n, ignorable: true }),
    field(
      'members',
      T.array(
        struct('MemberMetadata', [
          field('memberId', T.string, '0+'),
          field('groupInstanceId', T.string, '3+', { nullable: '3+', default: null, ignorable: true }),
          field('clientId', T.string, '0+'),
          field('clientHost', T.string, '0+'),
          field('rebalanceTimeout', T.int32, '1+', { default: -1, ignorable: true }),
          field('sessionTimeout', T.int32, '0+'),
          field('subscription', T.bytes, '0+'),
          field('assignment', T.bytes, '0+'),
        ]),
      ),
      '0+',
    ),
  ],
});
export type GroupMetadataValue = MessageValue<typeof GroupMetadataValue>;
export type GroupMetadataMember = GroupMetadataValue['members'][number];

/** Version Brook writes for each record. */
const OFFSET_KEY_VERSION = 1;
const OFFSET_VALUE_VERSION = 3;
const OFFSET_VALUE_VERSION_WITH_EXPIRY = 1;
const GROUP_KEY_VERSION = 2;
const GROUP_VALUE_VERSION = 3;

/** A committed offset as the coordinator keeps it (offsets are plain numbers, exact to 2^53). */
export interface OffsetRecordValue {
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestamp: number;
  /** v1-v4 OffsetCommit retention: absolute expiry time, or -1 (broker retention decides). */
  readonly expireTimestamp: number;
}

export function encodeOffsetKey(group: string, topic: string, partition: number): Buffer {
  return encodeRecord(OffsetCommitKey, OFFSET_KEY_VERSION, { group, topic, partition });
}

export function encodeOffsetValue(v: OffsetRecordValue): Buffer {
  const version = v.expireTimestamp >= 0 ? OFFSET_VALUE_VERSION_WITH_EXPIRY : OFFSET_VALUE_VERSION;
  return encodeRecord(OffsetCommitValue, version, {
    offset: BigInt(v.offset),
    leaderEpoch: version >= 3 ? v.leaderEpoch : -1,
    metadata: v.metadata,
    commitTimestamp: BigInt(v.commitTimestamp),
    expireTimestamp: BigInt(v.expireTimestamp),
  });
}

export function encodeGroupKey(group: string): Buffer {
  return encodeRecord(GroupMetadataKey, GROUP_KEY_VERSION, { group });
}

export function encodeGroupValue(v: GroupMetadataValue): Buffer {
  return encodeRecord(GroupMetadataValue, GROUP_VALUE_VERSION, v);
}

/** A decoded `__consumer_offsets` record. `value` undefined = tombstone. */
export type CoordinatorRecord =
  | { readonly kind: 'offset'; readonly group: string; readonly topic: string; readonly partition: number; readonly value: OffsetRecordValue | undefined }
  | { readonly kind: 'group'; readonly group: string; readonly value: GroupMetadataValue | undefined }
  /** A key version this module does not decode (KIP-848 records, future formats): kept as bytes. */
  | { readonly kind: 'other'; readonly keyVersion: number; readonly key: Buffer; readonly value: Buffer | null };

/** Decodes one record's key and value; throws ProtocolError on malformed bytes. */
export function decodeCoordinatorRecord(key: Buffer, value: Buffer | null): CoordinatorRecord {
  const keyVersion = recordVersion(key);
  if (keyVersion === 0 || keyVersion === 1) {
    const { group, topic, partition } = decodeRecord(OffsetCommitKey, keyVersion, key);
    const v = decodeValue(OffsetCommitValue, 4, value);
    return {
      kind: 'offset',
      group,
      topic,
      partition,
      value:
        v === undefined
          ? undefined
          : {
              offset: Number(v.offset),
              leaderEpoch: v.leaderEpoch,
              metadata: v.metadata,
              commitTimestamp: Number(v.commitTimestamp),
              expireTimestamp: Number(v.expireTimestamp),
            },
    };
  }
  if (keyVersion === 2) return { kind: 'group', group: decodeRecord(GroupMetadataKey, 2, key).group, value: decodeValue(GroupMetadataValue, 4, value) };
  return { kind: 'other', keyVersion, key, value };
}

/** The `__consumer_offsets` partition that holds a group: Utils.abs(groupId.hashCode) % partitions, as Kafka. */
export function partitionForGroup(groupId: string, partitions: number): number {
  return coordinatorPartition(groupId, partitions);
}
