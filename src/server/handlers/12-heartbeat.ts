/**
 * Heartbeat (key 12): v0-4. Keeps a classic member's session alive and tells it to rejoin
 * (REBALANCE_IN_PROGRESS) when a rebalance started. Logic in ../groups/classic.ts.
 *
 * Version notes: v3+ group.instance.id (FENCED_INSTANCE_ID for a replaced static member); v4 flexible.
 */
import { api, type HeartbeatResponse } from '../../protocol/messages/12-heartbeat.js';
import { GroupCoordinator } from '../groups/coordinator.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 4,
  handle(ctx, request, version): HeartbeatResponse {
    const errorCode = GroupCoordinator.of(ctx.broker).classic.heartbeat({
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: version >= 3 ? request.groupInstanceId : null,
    });
    return { throttleTimeMs: 0, errorCode };
  },
});
