/**
 * The admin views of the group registry: DescribeGroups (classic groups; KIP-848 groups answer through
 * ConsumerGroupDescribe) and ListGroups with its KIP-518 state and KIP-848 type filters.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { ClassicGroup, type ClassicMember, type Group, type GroupType } from './group.js';

export interface DescribedMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly memberMetadata: Buffer;
  readonly memberAssignment: Buffer;
}

export interface DescribedGroup {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly groupId: string;
  readonly groupState: string;
  readonly protocolType: string;
  readonly protocolData: string;
  readonly members: readonly DescribedMember[];
}

export interface ListedGroup {
  readonly groupId: string;
  readonly protocolType: string;
  readonly groupState: string;
  readonly groupType: GroupType;
}

const EMPTY = Buffer.alloc(0);

/** DescribeGroups for one id. Unknown ids: state Dead, or GROUP_ID_NOT_FOUND from v6 (KIP-1043). */
export function describeGroup(groupId: string, group: Group | undefined, version: number): DescribedGroup {
  const dead = (errorCode: number, errorMessage: string | null): DescribedGroup => ({
    errorCode,
    errorMessage,
    groupId,
    groupState: 'Dead',
    protocolType: '',
    protocolData: '',
    members: [],
  });
  if (group === undefined || group.isDead()) {
    return version >= 6 ? dead(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${groupId} not found.`) : dead(ErrorCode.NONE, null);
  }
  if (!(group instanceof ClassicGroup)) {
    return version >= 6 ? dead(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${groupId} is not a classic group.`) : dead(ErrorCode.NONE, null);
  }
  const stable = group.is('Stable');
  const protocol = group.protocolName ?? '';
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    groupId,
    groupState: group.state,
    protocolType: group.protocolType ?? '',
    protocolData: stable ? protocol : '',
    members: [...group.members.values()].map((m: ClassicMember) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: stable ? m.metadataFor(protocol) : EMPTY,
      memberAssignment: stable ? m.assignment : EMPTY,
    })),
  };
}

/** ListGroups, with KIP-518 state and KIP-848 type filters (case-insensitive; empty = all). */
export function listGroups(groups: Iterable<Group>, statesFilter: readonly string[], typesFilter: readonly string[]): ListedGroup[] {
  const states = new Set(statesFilter.map((s) => s.toLowerCase()));
  const types = new Set(typesFilter.map((s) => s.toLowerCase()));
  const out: ListedGroup[] = [];
  for (const g of groups) {
    if (g.isDead()) continue;
    const state = g.stateName();
    if (states.size > 0 && !states.has(state.toLowerCase())) continue;
    if (types.size > 0 && !types.has(g.type)) continue;
    out.push({ groupId: g.groupId, protocolType: g.protocolTypeName(), groupState: state, groupType: g.type });
  }
  return out;
}
