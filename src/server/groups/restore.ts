/**
 * Rebuilds a classic group from its last GroupMetadataValue record in __consumer_offsets: generation,
 * protocol, leader and members with their subscriptions and assignments. A group stored with members
 * comes back Stable (its members carry on with their generation after a broker restart, or expire
 * after their session timeout); one stored without members comes back Empty.
 */
import { ClassicGroup, ClassicMember } from './group.js';
import type { GroupMetadataValue } from './records.js';

export function restoreClassicGroup(g: ClassicGroup, v: GroupMetadataValue, recordTimestamp: number): void {
  g.generationId = v.generation;
  g.protocolName = v.protocol;
  for (const m of v.members) {
    const member = new ClassicMember(
      m.memberId,
      m.groupInstanceId,
      m.clientId,
      m.clientHost,
      m.rebalanceTimeout >= 0 ? m.rebalanceTimeout : m.sessionTimeout,
      m.sessionTimeout,
      v.protocolType,
      v.protocol === null ? [] : [{ name: v.protocol, metadata: m.subscription }],
    );
    member.assignment = m.assignment;
    g.add(member);
  }
  // Kafka writes an absent protocol type as "" for groups that lost their members.
  g.protocolType = g.members.size === 0 && v.protocolType === '' ? null : v.protocolType;
  g.leaderId = v.leader !== null && g.members.has(v.leader) ? v.leader : (g.members.keys().next().value ?? null);
  g.state = g.members.size > 0 && v.protocol !== null ? 'Stable' : 'Empty';
  g.stateTimestamp = v.currentStateTimestamp >= 0n ? Number(v.currentStateTimestamp) : recordTimestamp;
}
