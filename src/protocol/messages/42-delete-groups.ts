/**
 * DeleteGroups (key 42): delete empty groups and their committed offsets.
 *
 * Versions:
 *   v0    — group ids in; throttle time and a per-group error out.
 *   v1    — same layout; a throttled broker answers first and throttles afterwards.
 *   v2    — flexible versions.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const DeleteGroupsRequest = message({
  name: 'DeleteGroupsRequest',
  kind: 'request',
  apiKey: 42,
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [field('groupsNames', T.array(T.string), '0+')],
});
export type DeleteGroupsRequest = MessageValue<typeof DeleteGroupsRequest>;

export const DeleteGroupsResponse = message({
  name: 'DeleteGroupsResponse',
  kind: 'response',
  apiKey: 42,
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field(
      'results',
      T.array(
        struct('DeletableGroupResult', [
          field('groupId', T.string, '0+'),
          field('errorCode', T.int16, '0+'),
        ]),
      ),
      '0+',
    ),
  ],
});
export type DeleteGroupsResponse = MessageValue<typeof DeleteGroupsResponse>;

export const api = defineApi({
  key: 42,
  name: 'DeleteGroups',
  request: DeleteGroupsRequest,
  response: DeleteGroupsResponse,
});
