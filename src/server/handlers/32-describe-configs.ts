/**
 * DescribeConfigs (key 32): v0-4.
 *
 * Behaviour: topic (2) and broker (4) configs under Kafka's names, with their values, sources,
 * synonyms, types, documentation and read-only/sensitive flags as Kafka reports them; broker logger
 * (8) shows the root logger. See ../admin/describe-configs.ts and ../admin/config-entries.ts.
 *   - configuration_keys null or empty: every property; otherwise only those named (unknown names
 *     are left out, as Kafka does).
 * Per version: v0 has is_default (source DEFAULT_CONFIG) and no sources; v1+ config_source and
 * synonyms (only when include_synonyms); v3+ config_type and documentation (when
 * include_documentation); v4 flexible.
 */
import { api, type DescribeConfigsResponse } from '../../protocol/messages/32-describe-configs.js';
import { ConfigSource } from '../admin/kafka-enums.js';
import { describeResource } from '../admin/describe-configs.js';
import { defineHandler } from '../handler.js';

type Result = DescribeConfigsResponse['results'][number];

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 4,
  handle(ctx, request, version) {
    const results = request.resources.map((r): Result => {
      const outcome = describeResource(ctx.broker, r.resourceType, r.resourceName, {
        keys: r.configurationKeys,
        includeDocumentation: request.includeDocumentation,
      });
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      if (!Array.isArray(outcome)) return { ...base, errorCode: outcome.code, errorMessage: outcome.message, configs: [] };
      return {
        ...base,
        errorCode: 0,
        errorMessage: null,
        configs: outcome.map((e) => ({
          name: e.name,
          value: e.value,
          readOnly: e.readOnly,
          isDefault: version === 0 && e.source === ConfigSource.DEFAULT_CONFIG,
          configSource: e.source,
          isSensitive: e.isSensitive,
          synonyms: request.includeSynonyms ? e.synonyms.map((s) => ({ ...s })) : [],
          configType: e.configType,
          documentation: e.documentation,
        })),
      };
    });
    return { throttleTimeMs: 0, results };
  },
});
