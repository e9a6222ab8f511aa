/**
 * IncrementalAlterConfigs (key 44): v0-1.
 *
 * Behaviour: per property SET (0), DELETE (1), APPEND (2) and SUBTRACT (3) (the last two on list
 * properties only, e.g. cleanup.policy; INVALID_CONFIG otherwise), on top of the topic's current
 * overrides; see ../admin/alter-configs.ts for validation, persistence and Kafka's errors.
 * validate_only changes nothing. Per version: v1 flexible.
 */
import { api } from '../../protocol/messages/44-incremental-alter-configs.js';
import { alterConfigs } from '../admin/alter-configs.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 1,
  handle(ctx, request) {
    const resources = request.resources.map((r) => ({
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      configs: r.configs.map((c) => ({ name: c.name, op: c.configOperation, value: c.value })),
    }));
    return { throttleTimeMs: 0, responses: alterConfigs(ctx.broker, resources, true, request.validateOnly) };
  },
});
