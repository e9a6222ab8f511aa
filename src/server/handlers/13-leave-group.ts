/**
 * LeaveGroup (key 13): v0-5. Members leave at once (no waiting for the session timeout): the group
 * rebalances immediately. Logic in ../groups/classic.ts.
 *
 * Version notes:
 *   - v0-2: one member id; its error is the top-level error.
 *   - v3+: a batch of members, by member id and/or group.instance.id (KIP-345: an admin may remove
 *     static members by instance id with an empty member id); per-member errors, top-level NONE.
 *   - v5: a reason per member (logged).
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type LeaveGroupResponse } from '../../protocol/messages/13-leave-group.js';
import { GroupCoordinator } from '../groups/coordinator.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 5,
  handle(ctx, request, version): LeaveGroupResponse {
    const classic = GroupCoordinator.of(ctx.broker).classic;
    if (version <= 2) {
      const r = classic.leave(request.groupId, [{ memberId: request.memberId, groupInstanceId: null }], null);
      return { throttleTimeMs: 0, errorCode: r.errorCode !== ErrorCode.NONE ? r.errorCode : (r.members[0]?.errorCode ?? ErrorCode.NONE), members: [] };
    }
    const reason = version >= 5 ? (request.members.find((m) => m.reason !== null)?.reason ?? null) : null;
    const r = classic.leave(
      request.groupId,
      request.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId })),
      reason,
    );
    return {
      throttleTimeMs: 0,
      errorCode: r.errorCode,
      members: r.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: m.errorCode })),
    };
  },
});
