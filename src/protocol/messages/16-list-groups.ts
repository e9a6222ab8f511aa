/**
 * ListGroups (key 16): every group this coordinator knows, with its protocol type (and later its
 * state and type).
 *
 * Versions:
 *   v0    — empty request; error code and (group id, protocol type) pairs out.
 *   v1    — response gains throttle time.
 *   v2    — same layout; a throttled broker answers first and throttles afterwards.
 *   v3    — flexible versions.
 *   v4    — request may filter by group state; each listed group carries its state (KIP-518).
 *   v5    — request may filter by group type (classic, consumer, ...); each listed group carries its
 *           type (KIP-848).
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const ListGroupsRequest = message({
  name: 'ListGroupsRequest',
  kind: 'request',
  apiKey: 16,
  validVersions: '0-5',
  flexibleVersions: '3+',
  fields: [
    field('statesFilter', T.array(T.string), '4+'),
    field('typesFilter', T.array(T.string), '5+'),
  ],
});
export type ListGroupsRequest = MessageValue<typeof ListGroupsRequest>;

export const ListGroupsResponse = message({
  name: 'ListGroupsResponse',
  kind: 'response',
  apiKey: 16,
  validVersions: '0-5',
  flexibleVersions: '3+',
  fields: [
    field('throttleTimeMs', T.int32, '1+', { ignorable: true }),
    field('errorCode', T.int16, '0+'),
    field(
      'groups',
      T.array(
        struct('ListedGroup', [
          field('groupId', T.string, '0+'),
          field('protocolType', T.string, '0+'),
          field('groupState', T.string, '4+', { ignorable: true }),
          field('groupType', T.string, '5+', { ignorable: true }),
        ]),
      ),
      '0+',
    ),
  ],
});
export type ListGroupsResponse = MessageValue<typeof ListGroupsResponse>;

export const api = defineApi({ key: 16, name: 'ListGroups', request: ListGroupsRequest, response: ListGroupsResponse });
