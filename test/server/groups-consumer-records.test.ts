/** KIP-848 __consumer_offsets records: Kafka's byte layout, and decode(encode(x)) = x for every type. */
import { describe, expect, it } from 'vitest';
import { fromWire } from '../../src/server/groups/consumer/assignment.js';
import { ConsumerMember } from '../../src/server/groups/consumer/member.js';
import {
  currentAssignmentRecord,
  decodeConsumerGroupRecord,
  groupEpochRecord,
  groupTombstones,
  memberMetadataRecord,
  memberTombstones,
  partitionMetadataRecord,
  targetEpochRecord,
  targetMemberRecord,
} from '../../src/server/groups/consumer/records.js';

const T1 = 'AAAAAAAAAAAAAAAAAAAAAQ';

describe('consumer-group records', () => {
  it('ConsumerGroupMetadata: key v3 (non-flexible string), value v0 (int32 epoch + empty tagged fields)', () => {
    const r = groupEpochRecord('g', 5);
    expect(r.key.toString('hex')).toBe('0003' + '0001' + '67');
    expect(r.value!.toString('hex')).toBe('0000' + '00000005' + '00');
    expect(decodeConsumerGroupRecord(r.key, r.value)).toEqual({ kind: 'groupEpoch', groupId: 'g', value: 5 });
  });

  it('ConsumerGroupTargetAssignmentMember: key v7 { group, member }, value v0 compact arrays of uuid + int32s', () => {
    const r = targetMemberRecord('g', 'm', fromWire([{ topicId: T1, partitions: [2] }]));
    expect(r.key.toString('hex')).toBe('0007' + '000167' + '00016d');
    // version, topics (compact: n+1), uuid (16 bytes), partitions (compact: n+1), int32, struct tags, value tags
    expect(r.value!.toString('hex')).toBe('0000' + '02' + '00000000000000000000000000000001' + '02' + '00000002' + '00' + '00');
  });

  it('every record type decodes to what was encoded; tombstones decode as such', () => {
    const m = new ConsumerMember('m1');
    Object.assign(m, {
      instanceId: 'i',
      rackId: null,
      clientId: 'c',
      clientHost: '/h',
      subscribedTopicNames: ['t'],
      subscribedTopicRegex: 'x.*',
      rebalanceTimeoutMs: 30_000,
      serverAssignor: 'range',
      memberEpoch: 7,
      previousMemberEpoch: 6,
      state: 'unrevoked_partitions',
      assigned: fromWire([{ topicId: T1, partitions: [0, 1] }]),
      pendingRevocation: fromWire([{ topicId: T1, partitions: [2] }]),
    });
    const dec = (r: { key: Buffer; value: Buffer | null }) => decodeConsumerGroupRecord(r.key, r.value);
    expect(dec(targetEpochRecord('g', 9))).toEqual({ kind: 'targetEpoch', groupId: 'g', value: 9 });
    expect(dec(partitionMetadataRecord('g', [{ name: 't', topicId: T1, partitions: 3 }]))).toEqual({
      kind: 'partitionMetadata',
      groupId: 'g',
      value: [{ name: 't', topicId: T1, partitions: 3 }],
    });
    expect(dec(memberMetadataRecord('g', m))).toEqual({ kind: 'memberMetadata', groupId: 'g', memberId: 'm1', value: m.metadata() });
    expect(dec(currentAssignmentRecord('g', m))).toEqual({
      kind: 'currentAssignment',
      groupId: 'g',
      memberId: 'm1',
      value: { memberEpoch: 7, previousMemberEpoch: 6, state: 'unrevoked_partitions', assigned: m.assigned, pendingRevocation: m.pendingRevocation },
    });
    expect(memberTombstones('g', 'm1').map(dec).map((r) => [r!.kind, (r as { value: unknown }).value])).toEqual([
      ['currentAssignment', undefined],
      ['targetMember', undefined],
      ['memberMetadata', undefined],
    ]);
    expect(groupTombstones('g').map(dec).map((r) => [r!.kind, (r as { value: unknown }).value])).toEqual([
      ['targetEpoch', undefined],
      ['partitionMetadata', undefined],
      ['groupEpoch', undefined],
    ]);
  });
});
