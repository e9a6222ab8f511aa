/**
 * DescribeGroups (key 15): v0-6. State, protocol, members (client id, host, metadata and assignment)
 * of classic groups. Logic in ../groups/coordinator.ts (describeGroup).
 *
 * Behaviour:
 *   - Member metadata and assignments, and the protocol name (protocol_data), are filled only while
 *     the group is Stable (as Kafka); other states list the members with empty bytes.
 *   - An unknown group: state Dead with no error before v6; GROUP_ID_NOT_FOUND from v6 (KIP-1043).
 *   - v3+ authorized operations: Kafka's "not requested" value unless asked for; when asked, every
 *     group operation (READ, DELETE, DESCRIBE), as a broker without an authorizer answers.
 *   - v4+ group.instance.id per member; v6 error message.
 */
import { api, type DescribeGroupsResponse } from '../../protocol/messages/15-describe-groups.js';
import { AUTHORIZED_OPERATIONS_OMITTED, GROUP_OPERATIONS_BITS } from '../admin/kafka-enums.js';
import { GroupCoordinator } from '../groups/coordinator.js';
import { defineHandler } from '../handler.js';


export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 6,
  handle(ctx, request, version): DescribeGroupsResponse {
    const groups = GroupCoordinator.of(ctx.broker);
    const ops = version >= 3 && request.includeAuthorizedOperations ? GROUP_OPERATIONS_BITS : AUTHORIZED_OPERATIONS_OMITTED;
    return {
      throttleTimeMs: 0,
      groups: request.groups.map((id) => {
        const g = groups.describeGroup(id, version);
        return {
          errorCode: g.errorCode,
          errorMessage: version >= 6 ? g.errorMessage : null,
          groupId: g.groupId,
          groupState: g.groupState,
          protocolType: g.protocolType,
          protocolData: g.protocolData,
          members: g.members.map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            clientId: m.clientId,
            clientHost: m.clientHost,
            memberMetadata: m.memberMetadata,
            memberAssignment: m.memberAssignment,
          })),
          authorizedOperations: ops,
        };
      }),
    };
  },
});
