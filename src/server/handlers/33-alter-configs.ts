/**
 * AlterConfigs (key 33): v0-2. The legacy call: the configs given for a resource replace all of its
 * overrides (properties not named are reset to their defaults).
 *
 * Behaviour: see ../admin/alter-configs.ts (topic overrides validated, persisted and applied to the
 * open logs; broker properties are read-only; Kafka's errors and messages). validate_only changes
 * nothing. Per version: v1 same layout; v2 flexible.
 */
import { api } from '../../protocol/messages/33-alter-configs.js';
import { AlterConfigOp } from '../admin/kafka-enums.js';
import { alterConfigs } from '../admin/alter-configs.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 2,
  handle(ctx, request) {
    const resources = request.resources.map((r) => ({
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      configs: r.configs.map((c) => ({ name: c.name, op: AlterConfigOp.SET, value: c.value })),
    }));
    return { throttleTimeMs: 0, responses: alterConfigs(ctx.broker, resources, false, request.validateOnly) };
  },
});
