/**
 * DescribeConfigs (key 32): read the configuration of topics, brokers and broker loggers,
 * optionally with synonyms and documentation.
 *
 * Versions:
 *   v0    — initial: per resource (type, name, keys or null for all); per config an is_default flag.
 *   v1    — request gains include_synonyms; per config is_default is replaced by config_source, and
 *           synonyms are listed.
 *   v2    — same layout; throttled responses are sent before the throttle is applied.
 *   v3    — request gains include_documentation; per config the response gains config_type and
 *           documentation.
 *   v4    — flexible versions.
 * Kafka 4.0 dropped v0 from its own broker; Brook still speaks it.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const DescribeConfigsRequest = message({
  name: 'DescribeConfigsRequest',
  kind: 'request',
  apiKey: 32,
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    field(
      'resources',
      T.array(
        struct('DescribeConfigsResource', [
          field('resourceType', T.int8, '0+'),
          field('resourceName', T.string, '0+'),
          field('configurationKeys', T.array(T.string), '0+', { nullable: '0+' }),
        ]),
      ),
      '0+',
    ),
    field('includeSynonyms', T.bool, '1+', { default: false }),
    field('includeDocumentation', T.bool, '3+', { default: false }),
  ],
});
export type DescribeConfigsRequest = MessageValue<typeof DescribeConfigsRequest>;

export const DescribeConfigsResponse = message({
  name: 'DescribeConfigsResponse',
  kind: 'response',
  apiKey: 32,
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field(
      'results',
      T.array(
        struct('DescribeConfigsResult', [
          field('errorCode', T.int16, '0+'),
          field('errorMessage', T.string, '0+', { nullable: '0+' }),
          field('resourceType', T.int8, '0+'),
          field('resourceName', T.string, '0+'),
          field(
            'configs',
            T.array(
              struct('DescribeConfigsResourceResult', [
                field('name', T.string, '0+'),
                field('value', T.string, '0+', { nullable: '0+' }),
                field('readOnly', T.bool, '0+'),
                field('isDefault', T.bool, '0'),
                field('configSource', T.int8, '1+', { ignorable: true, default: -1 }),
                field('isSensitive', T.bool, '0+'),
                field(
                  'synonyms',
                  T.array(
                    struct('DescribeConfigsSynonym', [
                      field('name', T.string, '1+'),
                      field('value', T.string, '1+', { nullable: '0+' }),
                      field('source', T.int8, '1+'),
                    ]),
                  ),
                  '1+',
                  { ignorable: true },
                ),
                field('configType', T.int8, '3+', { ignorable: true, default: 0 }),
                field('documentation', T.string, '3+', { nullable: '0+', ignorable: true }),
              ]),
            ),
            '0+',
          ),
        ]),
      ),
      '0+',
    ),
  ],
});
export type DescribeConfigsResponse = MessageValue<typeof DescribeConfigsResponse>;

export const api = defineApi({
  key: 32,
  name: 'DescribeConfigs',
  request: DescribeConfigsRequest,
  response: DescribeConfigsResponse,
});
