/**
 * Replica placement on a one-broker cluster, with Kafka's errors: a replication factor above the
 * number of registered brokers (1) is INVALID_REPLICATION_FACTOR; a manual assignment may name only
 * this broker (INVALID_REPLICA_ASSIGNMENT otherwise).
 */
import { ErrorCode } from '../../protocol/errors.js';
import { apiError, type ApiError } from './api-error.js';

/** Brook is a single broker. */
export const REGISTERED_BROKERS = 1;

export function checkReplicationFactor(replicationFactor: number): ApiError | null {
  if (replicationFactor > REGISTERED_BROKERS) {
    return apiError(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ` +
        `${replicationFactor} cannot be reached because only ${REGISTERED_BROKERS} broker(s) are registered.`,
    );
  }
  return null;
}

/**
 * One partition's manual assignment (Kafka's validateManualPartitionAssignment). `replicationFactor`
 * is the replica count of the partitions checked before it, if any.
 */
export function checkManualAssignment(brokerIds: readonly number[], nodeId: number, replicationFactor?: number): ApiError | null {
  const invalid = (message: string): ApiError => apiError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, message);
  if (brokerIds.length === 0) return invalid('The manual partition assignment includes an empty replica list.');
  const sorted = [...brokerIds].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    const id = sorted[i]!;
    if (id !== nodeId) {
      return invalid(`The manual partition assignment includes broker ${id}, but no such broker is registered.`);
    }
    if (i > 0 && sorted[i - 1] === id) {
      return invalid(`The manual partition assignment includes the broker ${id} more than once.`);
    }
  }
  if (replicationFactor !== undefined && sorted.length !== replicationFactor) {
    return invalid(
      `The manual partition assignment includes a partition with ${sorted.length} replica(s), but this is not ` +
        `consistent with previous partitions, which have ${replicationFactor} replica(s).`,
    );
  }
  return null;
}
