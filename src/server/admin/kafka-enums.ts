/**
 * Kafka's numeric enums used by the admin APIs (from the protocol specification): config resource
 * types, config sources, config value types, endpoint types and ACL operation codes.
 */
import type { ConfigType } from '../config-defs.js';

/** ConfigResource.Type ids (DescribeConfigs, AlterConfigs, IncrementalAlterConfigs). */
export const ResourceType = {
  UNKNOWN: 0,
  TOPIC: 2,
  BROKER: 4,
  BROKER_LOGGER: 8,
  CLIENT_METRICS: 16,
  GROUP: 32,
} as const;

export function resourceTypeName(id: number): string {
  for (const [name, value] of Object.entries(ResourceType)) if (value === id) return name;
  return 'UNKNOWN';
}

/** DescribeConfigs config_source ids. */
export const ConfigSource = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  CLIENT_METRICS_CONFIG: 7,
  GROUP_CONFIG: 8,
} as const;

/** DescribeConfigs config_type ids (v3+). */
const CONFIG_TYPE_IDS: Readonly<Record<ConfigType, number>> = {
  boolean: 1,
  string: 2,
  int: 3,
  short: 4,
  long: 5,
  double: 6,
  list: 7,
  password: 9,
};

/** 0 (UNKNOWN) for a property Brook does not know. */
export function configTypeId(type: ConfigType | undefined): number {
  return type === undefined ? 0 : CONFIG_TYPE_IDS[type];
}

/** IncrementalAlterConfigs operations. */
export const AlterConfigOp = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

/** DescribeCluster endpoint types (v1+). */
export const EndpointType = { UNKNOWN: 0, BROKER: 1, CONTROLLER: 2 } as const;

/**
 * The operations Kafka reports as allowed on the CLUSTER resource when no authorizer is configured
 * (AclEntry.supportedOperations(CLUSTER)): CREATE 5, ALTER 7, DESCRIBE 8, CLUSTER_ACTION 9,
 * DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12, as a bit field.
 */
export const CLUSTER_OPERATIONS_BITS = [5, 7, 8, 9, 10, 11, 12].reduce((bits, op) => bits | (1 << op), 0);

/** The operations allowed on a GROUP resource without an authorizer: READ 3, DELETE 6, DESCRIBE 8, as a bit field. */
export const GROUP_OPERATIONS_BITS = (1 << 3) | (1 << 6) | (1 << 8);

/** The "not requested" sentinel for authorized-operations fields (Integer.MIN_VALUE). */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

/** Kafka's all-zero UUID in printable form. */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
