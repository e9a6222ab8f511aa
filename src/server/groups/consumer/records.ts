/**
 * KIP-848 consumer-group records of `__consumer_offsets`, in Kafka's formats (facts from Kafka's
 * group-coordinator ConsumerGroup*Key/Value message definitions). Every key and value is a 2-byte
 * version followed by the struct; the key version names the record type:
 *   key v3 ConsumerGroupMetadataKey { group }                        value v0 { epoch }   group epoch
 *   key v4 ConsumerGroupPartitionMetadataKey { group }               value v0 subscribed topics (id, name, partitions)
 *   key v5 ConsumerGroupMemberMetadataKey { group, member }          value v0 subscription, client, assignor
 *   key v6 ConsumerGroupTargetAssignmentMetadataKey { group }        value v0 { assignmentEpoch }
 *   key v7 ConsumerGroupTargetAssignmentMemberKey { group, member }  value v0 { topicPartitions }
 *   key v8 ConsumerGroupCurrentMemberAssignmentKey { group, member } value v0 epochs, state, partitions
 * A null value is a tombstone. Values are flexible (tagged fields; Brook writes none and skips unknown
 * ones, e.g. ClassicMemberMetadata of members that joined with the classic protocol).
 * Not written: rack data of partitions (PartitionMetadata, unused since Kafka 4.0) and the classic-member
 * metadata tag (members joining with the classic protocol are not supported).
 */
import { field, struct, T, type AnyField, type MessageSpec, type MessageValue, type StructValue } from '../../../protocol/schema/dsl.js';
import { decodeRecord, decodeValue, encodeRecord, recordSchema, recordVersion } from '../../coordinator-records.js';
import type { PendingRecord } from '../persistence.js';
import { fromWire, toWire, type Assignment } from './assignment.js';
import type { TopicMeta } from './subscriptions.js';
import { MEMBER_STATE_CODES, memberStateFromCode, type ConsumerMember, type MemberMetadata, type MemberState } from './member.js';

export const KEY_GROUP_METADATA = 3;
export const KEY_PARTITION_METADATA = 4;
export const KEY_MEMBER_METADATA = 5;
export const KEY_TARGET_METADATA = 6;
export const KEY_TARGET_MEMBER = 7;
export const KEY_CURRENT_ASSIGNMENT = 8;

function groupKey(v: number): MessageSpec<{ groupId: string }> {
  return recordSchema({ name: `ConsumerGroupKeyV${v}`, validVersions: String(v), flexibleVersions: 'none', fields: [field('groupId', T.string, String(v))] });
}

function memberKey(v: number): MessageSpec<{ groupId: string; memberId: string }> {
  return recordSchema({
    name: `ConsumerGroupMemberKeyV${v}`,
    validVersions: String(v),
    flexibleVersions: 'none',
    fields: [field('groupId', T.string, String(v)), field('memberId', T.string, String(v))],
  });
}

const GroupKeys = new Map([KEY_GROUP_METADATA, KEY_PARTITION_METADATA, KEY_TARGET_METADATA].map((v) => [v, groupKey(v)]));
const MemberKeys = new Map([KEY_MEMBER_METADATA, KEY_TARGET_MEMBER, KEY_CURRENT_ASSIGNMENT].map((v) => [v, memberKey(v)]));

/** Every KIP-848 record value is version 0, flexible. */
function valueV0<const F extends readonly AnyField[]>(name: string, fields: F): MessageSpec<StructValue<F>> {
  return recordSchema({ name, validVersions: '0', flexibleVersions: '0+', fields });
}

const TopicPartitions = struct('TopicPartitions', [field('topicId', T.uuid, '0+'), field('partitions', T.array(T.int32), '0+')]);

export const ConsumerGroupMetadataValue = valueV0('ConsumerGroupMetadataValue', [field('epoch', T.int32, '0+')]);

export const ConsumerGroupPartitionMetadataValue = valueV0('ConsumerGroupPartitionMetadataValue', [
  field(
    'topics',
    T.array(
      struct('TopicMetadata', [
        field('topicId', T.uuid, '0+'),
        field('topicName', T.string, '0+'),
        field('numPartitions', T.int32, '0+'),
        field('partitionMetadata', T.array(struct('PartitionMetadata', [field('partition', T.int32, '0+'), field('racks', T.array(T.string), '0+')])), '0+'),
      ]),
    ),
    '0+',
  ),
]);

export const ConsumerGroupMemberMetadataValue = valueV0('ConsumerGroupMemberMetadataValue', [
  field('instanceId', T.string, '0+', { nullable: '0+' }),
  field('rackId', T.string, '0+', { nullable: '0+' }),
  field('clientId', T.string, '0+'),
  field('clientHost', T.string, '0+'),
  field('subscribedTopicNames', T.array(T.string), '0+'),
  field('subscribedTopicRegex', T.string, '0+', { nullable: '0+' }),
  field('rebalanceTimeoutMs', T.int32, '0+', { default: -1 }),
  field('serverAssignor', T.string, '0+', { nullable: '0+' }),
]);
type MemberMetadataValue = MessageValue<typeof ConsumerGroupMemberMetadataValue>;

export const ConsumerGroupTargetAssignmentMetadataValue = valueV0('ConsumerGroupTargetAssignmentMetadataValue', [field('assignmentEpoch', T.int32, '0+')]);

export const ConsumerGroupTargetAssignmentMemberValue = valueV0('ConsumerGroupTargetAssignmentMemberValue', [field('topicPartitions', T.array(TopicPartitions), '0+')]);

export const ConsumerGroupCurrentMemberAssignmentValue = valueV0('ConsumerGroupCurrentMemberAssignmentValue', [
  field('memberEpoch', T.int32, '0+'),
  field('previousMemberEpoch', T.int32, '0+'),
  field('state', T.int8, '0+'),
  field('assignedPartitions', T.array(TopicPartitions), '0+'),
  field('partitionsPendingRevocation', T.array(TopicPartitions), '0+'),
]);

function gKey(version: number, groupId: string): Buffer {
  return encodeRecord(GroupKeys.get(version)!, version, { groupId });
}

function mKey(version: number, groupId: string, memberId: string): Buffer {
  return encodeRecord(MemberKeys.get(version)!, version, { groupId, memberId });
}

// ── encoders ─────────────────────────────────────────────────────────────────────────────────

export function groupEpochRecord(groupId: string, epoch: number): PendingRecord {
  return { key: gKey(KEY_GROUP_METADATA, groupId), value: encodeRecord(ConsumerGroupMetadataValue, 0, { epoch }) };
}

/** The subscribed topics' metadata the target assignment was computed for. */
export function partitionMetadataRecord(groupId: string, topics: readonly TopicMeta[]): PendingRecord {
  return {
    key: gKey(KEY_PARTITION_METADATA, groupId),
    value: encodeRecord(ConsumerGroupPartitionMetadataValue, 0, {
      topics: topics.map((t) => ({ topicId: t.topicId, topicName: t.name, numPartitions: t.partitions, partitionMetadata: [] })),
    }),
  };
}

export function targetEpochRecord(groupId: string, assignmentEpoch: number): PendingRecord {
  return {
    key: gKey(KEY_TARGET_METADATA, groupId),
    value: encodeRecord(ConsumerGroupTargetAssignmentMetadataValue, 0, { assignmentEpoch }),
  };
}

export function memberMetadataRecord(groupId: string, m: ConsumerMember): PendingRecord {
  const v: MemberMetadataValue = { ...m.metadata() };
  return { key: mKey(KEY_MEMBER_METADATA, groupId, m.memberId), value: encodeRecord(ConsumerGroupMemberMetadataValue, 0, v) };
}

export function targetMemberRecord(groupId: string, memberId: string, target: Assignment): PendingRecord {
  return {
    key: mKey(KEY_TARGET_MEMBER, groupId, memberId),
    value: encodeRecord(ConsumerGroupTargetAssignmentMemberValue, 0, { topicPartitions: toWire(target) }),
  };
}

export function currentAssignmentRecord(groupId: string, m: ConsumerMember): PendingRecord {
  return {
    key: mKey(KEY_CURRENT_ASSIGNMENT, groupId, m.memberId),
    value: encodeRecord(ConsumerGroupCurrentMemberAssignmentValue, 0, {
      memberEpoch: m.memberEpoch,
      previousMemberEpoch: m.previousMemberEpoch,
      state: MEMBER_STATE_CODES[m.state],
      assignedPartitions: toWire(m.assigned),
      partitionsPendingRevocation: toWire(m.pendingRevocation),
    }),
  };
}

/** A member leaves: its current assignment, target and metadata go (Kafka's order). */
export function memberTombstones(groupId: string, memberId: string): PendingRecord[] {
  return [KEY_CURRENT_ASSIGNMENT, KEY_TARGET_MEMBER, KEY_MEMBER_METADATA].map((v) => ({ key: mKey(v, groupId, memberId), value: null }));
}

/** The (empty) group goes: target metadata, partition metadata, group metadata. */
export function groupTombstones(groupId: string): PendingRecord[] {
  return [KEY_TARGET_METADATA, KEY_PARTITION_METADATA, KEY_GROUP_METADATA].map((v) => ({ key: gKey(v, groupId), value: null }));
}

// ── decoder ──────────────────────────────────────────────────────────────────────────────────

export interface CurrentAssignmentValue {
  readonly memberEpoch: number;
  readonly previousMemberEpoch: number;
  readonly state: MemberState;
  readonly assigned: Assignment;
  readonly pendingRevocation: Assignment;
}

/** A decoded KIP-848 record; `value` undefined = tombstone. */
export type ConsumerGroupRecord =
  | { readonly kind: 'groupEpoch'; readonly groupId: string; readonly value: number | undefined }
  | { readonly kind: 'partitionMetadata'; readonly groupId: string; readonly value: TopicMeta[] | undefined }
  | { readonly kind: 'targetEpoch'; readonly groupId: string; readonly value: number | undefined }
  | { readonly kind: 'memberMetadata'; readonly groupId: string; readonly memberId: string; readonly value: MemberMetadata | undefined }
  | { readonly kind: 'targetMember'; readonly groupId: string; readonly memberId: string; readonly value: Assignment | undefined }
  | { readonly kind: 'currentAssignment'; readonly groupId: string; readonly memberId: string; readonly value: CurrentAssignmentValue | undefined };

/** Decodes a record of key version 3-8; undefined for other key versions. Throws on malformed bytes. */
export function decodeConsumerGroupRecord(key: Buffer, value: Buffer | null): ConsumerGroupRecord | undefined {
  const keyVersion = recordVersion(key);
  const gk = GroupKeys.get(keyVersion);
  if (gk !== undefined) {
    const { groupId } = decodeRecord(gk, keyVersion, key);
    switch (keyVersion) {
      case KEY_GROUP_METADATA:
        return { kind: 'groupEpoch', groupId, value: decodeValue(ConsumerGroupMetadataValue, 0, value)?.epoch };
      case KEY_TARGET_METADATA:
        return { kind: 'targetEpoch', groupId, value: decodeValue(ConsumerGroupTargetAssignmentMetadataValue, 0, value)?.assignmentEpoch };
      default:
        return {
          kind: 'partitionMetadata',
          groupId,
          value: decodeValue(ConsumerGroupPartitionMetadataValue, 0, value)?.topics.map((t) => ({ name: t.topicName, topicId: t.topicId, partitions: t.numPartitions })),
        };
    }
  }
  const mk = MemberKeys.get(keyVersion);
  if (mk === undefined) return undefined;
  const { groupId, memberId } = decodeRecord(mk, keyVersion, key);
  switch (keyVersion) {
    case KEY_MEMBER_METADATA:
      return { kind: 'memberMetadata', groupId, memberId, value: decodeValue(ConsumerGroupMemberMetadataValue, 0, value) };
    case KEY_TARGET_MEMBER: {
      const v = decodeValue(ConsumerGroupTargetAssignmentMemberValue, 0, value);
      return { kind: 'targetMember', groupId, memberId, value: v === undefined ? undefined : fromWire(v.topicPartitions) };
    }
    default: {
      const v = decodeValue(ConsumerGroupCurrentMemberAssignmentValue, 0, value);
      return {
        kind: 'currentAssignment',
        groupId,
        memberId,
        value:
          v === undefined
            ? undefined
            : {
                memberEpoch: v.memberEpoch,
                previousMemberEpoch: v.previousMemberEpoch,
                state: memberStateFromCode(v.state) ?? 'stable',
                assigned: fromWire(v.assignedPartitions),
                pendingRevocation: fromWire(v.partitionsPendingRevocation),
              },
      };
    }
  }
}
