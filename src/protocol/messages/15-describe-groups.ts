/**
 * DescribeGroups (key 15): state, protocol and members of classic-protocol groups.
 *
 * Versions:
 *   v0    — group ids in; per group: error, state, protocol type and name, members with their
 *           client id/host, metadata and assignment.
 *   v1    — response gains throttle time.
 *   v2    — same layout; a throttled broker answers first and throttles afterwards.
 *   v3    — request may ask for the caller's authorized operations on each group (KIP-430).
 *   v4    — members carry their group instance id (KIP-345).
 *   v5    — flexible versions.
 *   v6    — each group gains an error message; a group that does not exist is reported with
 *           GROUP_ID_NOT_FOUND rather than as a Dead group (KIP-1043).
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const DescribeGroupsRequest = message({
  name: 'DescribeGroupsRequest',
  kind: 'request',
  apiKey: 15,
  validVersions: '0-6',
  flexibleVersions: '5+',
  fields: [
    field('groups', T.array(T.string), '0+'),
    field('includeAuthorizedOperations', T.bool, '3+'),
  ],
});
export type DescribeGroupsRequest = MessageValue<typeof DescribeGroupsRequest>;

export const DescribeGroupsResponse = message({
  name: 'DescribeGroupsResponse',
  kind: 'response',
  apiKey: 15,
  validVersions: '0-6',
  flexibleVersions: '5+',
  fields: [
    field('throttleTimeMs', T.int32, '1+', { ignorable: true }),
    field(
      'groups',
      T.array(
        struct('DescribedGroup', [
          field('errorCode', T.int16, '0+'),
          field('errorMessage', T.string, '6+', { nullable: '6+', default: null }),
          field('groupId', T.string, '0+'),
          field('groupState', T.string, '0+'),
          field('protocolType', T.string, '0+'),
          // Filled only while the group is Stable; otherwise the empty string.
          field('protocolData', T.string, '0+'),
          field(
            'members',
            T.array(
              struct('DescribedGroupMember', [
                field('memberId', T.string, '0+'),
                field('groupInstanceId', T.string, '4+', { nullable: '4+', default: null, ignorable: true }),
                field('clientId', T.string, '0+'),
                field('clientHost', T.string, '0+'),
                field('memberMetadata', T.bytes, '0+'),
                field('memberAssignment', T.bytes, '0+'),
              ]),
            ),
            '0+',
          ),
          field('authorizedOperations', T.int32, '3+', { default: -2147483648 }),
        ]),
      ),
      '0+',
    ),
  ],
});
export type DescribeGroupsResponse = MessageValue<typeof DescribeGroupsResponse>;

export const api = defineApi({
  key: 15,
  name: 'DescribeGroups',
  request: DescribeGroupsRequest,
  response: DescribeGroupsResponse,
});
