/**
 * JoinGroup (key 11): a classic-protocol member joins (or rejoins) a group; the coordinator waits for the
 * members, picks a protocol and a leader, and sends the leader every member's metadata.
 *
 * Versions:
 *   v0    — initial: group, session timeout, member id, protocol type and the candidate protocols.
 *   v1    — request gains a rebalance timeout separate from the session timeout.
 *   v2    — response gains throttle time.
 *   v3    — same layout; a throttled broker answers first and throttles afterwards.
 *   v4    — same layout; a new member is first answered MEMBER_ID_REQUIRED with its id and must
 *           join again with it (KIP-394).
 *   v5    — group instance id for static membership, in the request and per member (KIP-345).
 *   v6    — flexible versions.
 *   v7    — response gains the protocol type, and the chosen protocol name may be null (KIP-559).
 *   v8    — request gains an optional reason for joining (KIP-800).
 *   v9    — response gains skipAssignment, telling the leader not to compute an assignment (KIP-814).
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const JoinGroupRequest = message({
  name: 'JoinGroupRequest',
  kind: 'request',
  apiKey: 11,
  validVersions: '0-9',
  flexibleVersions: '6+',
  fields: [
    field('groupId', T.string, '0+'),
    field('sessionTimeoutMs', T.int32, '0+'),
    // v0 has no rebalance timeout: a broker uses the session timeout in its place.
    field('rebalanceTimeoutMs', T.int32, '1+', { default: -1, ignorable: true }),
    field('memberId', T.string, '0+'),
    field('groupInstanceId', T.string, '5+', { nullable: '5+', default: null }),
    field('protocolType', T.string, '0+'),
    field(
      'protocols',
      T.array(
        struct('JoinGroupRequestProtocol', [
          field('name', T.string, '0+'),
          field('metadata', T.bytes, '0+'),
        ]),
      ),
      '0+',
    ),
    field('reason', T.string, '8+', { nullable: '8+', default: null, ignorable: true }),
  ],
});
export type JoinGroupRequest = MessageValue<typeof JoinGroupRequest>;

export const JoinGroupResponse = message({
  name: 'JoinGroupResponse',
  kind: 'response',
  apiKey: 11,
  validVersions: '0-9',
  flexibleVersions: '6+',
  fields: [
    field('throttleTimeMs', T.int32, '2+', { ignorable: true }),
    field('errorCode', T.int16, '0+'),
    field('generationId', T.int32, '0+', { default: -1 }),
    field('protocolType', T.string, '7+', { nullable: '7+', default: null, ignorable: true }),
    field('protocolName', T.string, '0+', { nullable: '7+' }),
    field('leader', T.string, '0+'),
    field('skipAssignment', T.bool, '9+', { default: false }),
    field('memberId', T.string, '0+'),
    field(
      'members',
      T.array(
        struct('JoinGroupResponseMember', [
          field('memberId', T.string, '0+'),
          field('groupInstanceId', T.string, '5+', { nullable: '5+', default: null, ignorable: true }),
          field('metadata', T.bytes, '0+'),
        ]),
      ),
      '0+',
    ),
  ],
});
export type JoinGroupResponse = MessageValue<typeof JoinGroupResponse>;

export const api = defineApi({ key: 11, name: 'JoinGroup', request: JoinGroupRequest, response: JoinGroupResponse });
