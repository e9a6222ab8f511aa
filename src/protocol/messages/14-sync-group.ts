/**
 * SyncGroup (key 14): after a join, every member asks for its assignment; the leader's request carries
 * the assignments for all members.
 *
 * Versions:
 *   v0    — group, generation, member id and (from the leader) per-member assignments; the response
 *           carries this member's assignment.
 *   v1    — response gains throttle time.
 *   v2    — same layout; a throttled broker answers first and throttles afterwards.
 *   v3    — request gains the group instance id for static membership (KIP-345).
 *   v4    — flexible versions.
 *   v5    — protocol type and name travel both ways so each side can check the other (KIP-559).
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const SyncGroupRequest = message({
  name: 'SyncGroupRequest',
  kind: 'request',
  apiKey: 14,
  validVersions: '0-5',
  flexibleVersions: '4+',
  fields: [
    field('groupId', T.string, '0+'),
    field('generationId', T.int32, '0+'),
    field('memberId', T.string, '0+'),
    field('groupInstanceId', T.string, '3+', { nullable: '3+', default: null }),
    field('protocolType', T.string, '5+', { nullable: '5+', default: null, ignorable: true }),
    field('protocolName', T.string, '5+', { nullable: '5+', default: null, ignorable: true }),
    field(
      'assignments',
      T.array(
        struct('SyncGroupRequestAssignment', [
          field('memberId', T.string, '0+'),
          field('assignment', T.bytes, '0+'),
        ]),
      ),
      '0+',
    ),
  ],
});
export type SyncGroupRequest = MessageValue<typeof SyncGroupRequest>;

export const SyncGroupResponse = message({
  name: 'SyncGroupResponse',
  kind: 'response',
  apiKey: 14,
  validVersions: '0-5',
  flexibleVersions: '4+',
  fields: [
    field('throttleTimeMs', T.int32, '1+', { ignorable: true }),
    field('errorCode', T.int16, '0+'),
    field('protocolType', T.string, '5+', { nullable: '5+', default: null, ignorable: true }),
    field('protocolName', T.string, '5+', { nullable: '5+', default: null, ignorable: true }),
    field('assignment', T.bytes, '0+'),
  ],
});
export type SyncGroupResponse = MessageValue<typeof SyncGroupResponse>;

export const api = defineApi({ key: 14, name: 'SyncGroup', request: SyncGroupRequest, response: SyncGroupResponse });
