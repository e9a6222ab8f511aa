/**
 * SyncGroup (key 14): v0-5. The leader hands in the assignment; every member receives its own.
 * The logic is in ../groups/classic.ts.
 *
 * Version notes:
 *   - v3+: group.instance.id (KIP-345): a fenced static member gets FENCED_INSTANCE_ID.
 *   - v5+: protocol type and name in request and response; a mismatch is INCONSISTENT_GROUP_PROTOCOL.
 *   - While the group waits for the leader (CompletingRebalance) the answer waits; a rebalance that
 *     starts meanwhile answers REBALANCE_IN_PROGRESS.
 */
import { api, type SyncGroupResponse } from '../../protocol/messages/14-sync-group.js';
import { GroupCoordinator } from '../groups/coordinator.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 5,
  async handle(ctx, request, version): Promise<SyncGroupResponse> {
    const r = await GroupCoordinator.of(ctx.broker).classic.sync({
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: version >= 3 ? request.groupInstanceId : null,
      protocolType: version >= 5 ? request.protocolType : null,
      protocolName: version >= 5 ? request.protocolName : null,
      assignments: request.assignments,
    });
    return { throttleTimeMs: 0, errorCode: r.errorCode, protocolType: r.protocolType, protocolName: r.protocolName, assignment: r.assignment };
  },
});
