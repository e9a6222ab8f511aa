/**
 * CreateTopics (key 19): v0-7.
 *
 * Behaviour (see ../admin/create-topics.ts for the order of checks and Kafka's messages):
 *   - num_partitions / replication_factor -1 take num.partitions / default.replication.factor;
 *     a replication factor above 1 is INVALID_REPLICATION_FACTOR (one broker is registered);
 *   - manual assignments may name only this broker; partitions must be 0..n-1;
 *   - configs are validated (INVALID_CONFIG) and persisted as the topic's overrides;
 *   - TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS, INVALID_REQUEST (duplicates);
 *   - validate_only (v1+) checks everything and creates nothing.
 * Per version: v1+ error messages; v5+ the result echoes partitions, replication factor and every
 * effective config (name, value, read-only, source, sensitive); v7+ the topic id.
 */
import { api } from '../../protocol/messages/19-create-topics.js';
import { createTopics } from '../admin/create-topics.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 7,
  handle(ctx, request) {
    return { throttleTimeMs: 0, topics: createTopics(ctx.broker, request.topics, request.validateOnly) };
  },
});
