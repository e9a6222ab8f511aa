/**
 * AlterConfigs (key 33): replace the whole set of dynamic configs of a resource (the legacy,
 * non-incremental form; IncrementalAlterConfigs is preferred).
 *
 * Versions:
 *   v0    — initial: per resource the configs to set; validate_only.
 *   v1    — same layout; throttled responses are sent before the throttle is applied.
 *   v2    — flexible versions.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const AlterConfigsRequest = message({
  name: 'AlterConfigsRequest',
  kind: 'request',
  apiKey: 33,
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [
    field(
      'resources',
      T.array(
        struct('AlterConfigsResource', [
          field('resourceType', T.int8, '0+'),
          field('resourceName', T.string, '0+'),
          field(
            'configs',
            T.array(
              struct('AlterableConfig', [
                field('name', T.string, '0+'),
                field('value', T.string, '0+', { nullable: '0+' }),
              ]),
            ),
            '0+',
          ),
        ]),
      ),
      '0+',
    ),
    field('validateOnly', T.bool, '0+'),
  ],
});
export type AlterConfigsRequest = MessageValue<typeof AlterConfigsRequest>;

export const AlterConfigsResponse = message({
  name: 'AlterConfigsResponse',
  kind: 'response',
  apiKey: 33,
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [
    field('throttleTimeMs', T.int32, '0+'),
    field(
      'responses',
      T.array(
        struct('AlterConfigsResourceResponse', [
          field('errorCode', T.int16, '0+'),
          field('errorMessage', T.string, '0+', { nullable: '0+' }),
          field('resourceType', T.int8, '0+'),
          field('resourceName', T.string, '0+'),
        ]),
      ),
      '0+',
    ),
  ],
});
export type AlterConfigsResponse = MessageValue<typeof AlterConfigsResponse>;

export const api = defineApi({
  key: 33,
  name: 'AlterConfigs',
  request: AlterConfigsRequest,
  response: AlterConfigsResponse,
});
