/**
 * Heartbeat (key 12): a classic-protocol group member tells the coordinator it is alive; the answer
 * says whether a rebalance has started.
 *
 * Versions:
 *   v0    — group id, generation id, member id in; error code out.
 *   v1    — response gains throttle time.
 *   v2    — same layout as v1; a throttled broker answers first and throttles afterwards.
 *   v3    — request gains the group instance id for static membership (KIP-345).
 *   v4    — flexible versions.
 */
import { defineApi, field, message, T, type MessageValue } from '../schema/dsl.js';

export const HeartbeatRequest = message({
  name: 'HeartbeatRequest',
  kind: 'request',
  apiKey: 12,
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    field('groupId', T.string, '0+'),
    field('generationId', T.int32, '0+'),
    field('memberId', T.string, '0+'),
    field('groupInstanceId', T.string, '3+', { nullable: '3+', default: null }),
  ],
});
export type HeartbeatRequest = MessageValue<typeof HeartbeatRequest>;

export const HeartbeatResponse = message({
  name: 'HeartbeatResponse',
  kind: 'response',
  apiKey: 12,
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    field('throttleTimeMs', T.int32, '1+', { ignorable: true }),
    field('errorCode', T.int16, '0+'),
  ],
});
export type HeartbeatResponse = MessageValue<typeof HeartbeatResponse>;

export const api = defineApi({ key: 12, name: 'Heartbeat', request: HeartbeatRequest, response: HeartbeatResponse });
