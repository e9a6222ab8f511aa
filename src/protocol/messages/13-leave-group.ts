/**
 * LeaveGroup (key 13): members leave a classic-protocol group, which triggers a rebalance.
 *
 * Versions:
 *   v0    — one member id leaves; error code out.
 *   v1    — response gains throttle time.
 *   v2    — same layout; a throttled broker answers first and throttles afterwards.
 *   v3    — batched: the request lists members (member id + group instance id) instead of one member
 *           id, and the response has a per-member error (KIP-345).
 *   v4    — flexible versions.
 *   v5    — each leaving member may give a reason (KIP-800).
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const LeaveGroupRequest = message({
  name: 'LeaveGroupRequest',
  kind: 'request',
  apiKey: 13,
  validVersions: '0-5',
  flexibleVersions: '4+',
  fields: [
    field('groupId', T.string, '0+'),
    field('memberId', T.string, '0-2'),
    field(
      'members',
      T.array(
        struct('MemberIdentity', [
          field('memberId', T.string, '3+'),
          field('groupInstanceId', T.string, '3+', { nullable: '3+', default: null }),
          field('reason', T.string, '5+', { nullable: '5+', default: null, ignorable: true }),
        ]),
      ),
      '3+',
    ),
  ],
});
export type LeaveGroupRequest = MessageValue<typeof LeaveGroupRequest>;

export const LeaveGroupResponse = message({
  name: 'LeaveGroupResponse',
  kind: 'response',
  apiKey: 13,
  validVersions: '0-5',
  flexibleVersions: '4+',
  fields: [
    field('throttleTimeMs', T.int32, '1+', { ignorable: true }),
    field('errorCode', T.int16, '0+'),
    field(
      'members',
      T.array(
        struct('MemberResponse', [
          field('memberId', T.string, '3+'),
          field('groupInstanceId', T.string, '3+', { nullable: '3+' }),
          field('errorCode', T.int16, '3+'),
        ]),
      ),
      '3+',
    ),
  ],
});
export type LeaveGroupResponse = MessageValue<typeof LeaveGroupResponse>;

export const api = defineApi({ key: 13, name: 'LeaveGroup', request: LeaveGroupRequest, response: LeaveGroupResponse });
