/**
 * ListGroups (key 16): v0-5. Every group this coordinator holds (all of them: single node).
 *
 * Version notes:
 *   - v4+: states filter (KIP-518), matched case-insensitively ("Stable", "Empty", …); empty = all.
 *   - v5+: types filter and group type per group ("classic", "consumer"; KIP-848).
 *   - Offsets-only groups (commits without membership) are listed with protocol type "", as Kafka.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type ListGroupsResponse } from '../../protocol/messages/16-list-groups.js';
import { GroupCoordinator } from '../groups/coordinator.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 5,
  handle(ctx, request, version): ListGroupsResponse {
    const listed = GroupCoordinator.of(ctx.broker).listGroups(
      version >= 4 ? request.statesFilter : [],
      version >= 5 ? request.typesFilter : [],
    );
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      groups: listed.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.groupState, groupType: g.groupType })),
    };
  },
});
