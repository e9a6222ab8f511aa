/**
 * JoinGroup (key 11): v0-9. The classic protocol's join; the logic is in ../groups/classic.ts.
 *
 * Version notes:
 *   - v0 has no rebalance timeout: the session timeout is used for both (as Kafka).
 *   - v4+: a new dynamic member first gets MEMBER_ID_REQUIRED with its member id (KIP-394).
 *   - v5+: group.instance.id, static membership (KIP-345).
 *   - v7+: the response names the protocol type; v9 skip_assignment is always false (it is only for a
 *     KIP-848 group taking classic members, which Brook does not mix).
 *   - The answer waits until the rebalance's join phase completes (every member rejoined, or the
 *     rebalance timeout); a graceful shutdown answers waiting joins with NOT_COORDINATOR.
 */
import { api, type JoinGroupResponse } from '../../protocol/messages/11-join-group.js';
import { GroupCoordinator } from '../groups/coordinator.js';
import type { JoinResult } from '../groups/group.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 9,
  async handle(ctx, request, version): Promise<JoinGroupResponse> {
    const groups = GroupCoordinator.of(ctx.broker);
    const result = await groups.classic.join({
      groupId: request.groupId,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: version >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
      memberId: request.memberId,
      groupInstanceId: version >= 5 ? request.groupInstanceId : null,
      protocolType: request.protocolType,
      protocols: request.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
      clientId: ctx.header.clientId ?? '',
      clientHost: `/${ctx.connection.remoteAddress}`,
      requireKnownMemberId: version >= 4,
      reason: version >= 8 ? request.reason : null,
    });
    return toResponse(result, version);
  },
});

function toResponse(r: JoinResult, version: number): JoinGroupResponse {
  return {
    throttleTimeMs: 0,
    errorCode: r.errorCode,
    generationId: r.generationId,
    protocolType: r.protocolType,
    // Before v7 the protocol name is not nullable.
    protocolName: version >= 7 ? r.protocolName : (r.protocolName ?? ''),
    leader: r.leader,
    skipAssignment: false,
    memberId: r.memberId,
    members: r.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata })),
  };
}
