/**
 * DeleteGroups (key 42): v0-2. Deletes empty groups with their committed offsets (tombstones in
 * __consumer_offsets). GROUP_ID_NOT_FOUND for unknown groups, NON_EMPTY_GROUP while a group has
 * members. Logic in ../groups/coordinator.ts (deleteGroup). v2 is flexible.
 */
import { api, type DeleteGroupsResponse } from '../../protocol/messages/42-delete-groups.js';
import { GroupCoordinator } from '../groups/coordinator.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 2,
  handle(ctx, request): DeleteGroupsResponse {
    const groups = GroupCoordinator.of(ctx.broker);
    return {
      throttleTimeMs: 0,
      results: request.groupsNames.map((groupId) => ({ groupId, errorCode: groups.deleteGroup(groupId) })),
    };
  },
});
