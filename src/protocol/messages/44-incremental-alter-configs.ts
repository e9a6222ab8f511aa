/**
 * IncrementalAlterConfigs (key 44): set, delete, append to or subtract from individual config
 * entries of a resource (KIP-339), leaving the others untouched.
 *
 * Versions:
 *   v0    — initial: per resource a list of (name, operation, value); validate_only.
 *   v1    — flexible versions.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const IncrementalAlterConfigsRequest = message({
  name: 'IncrementalAlterConfigsRequest',
  kind: 'request',
  apiKey: 44,
  validVersions: '0-1',
  flexibleVersions: '1+',
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
                field('configOperation', T.int8, '0+'),
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
export type IncrementalAlterConfigsRequest = MessageValue<typeof IncrementalAlterConfigsRequest>;

export const IncrementalAlterConfigsResponse = message({
  name: 'IncrementalAlterConfigsResponse',
  kind: 'response',
  apiKey: 44,
  validVersions: '0-1',
  flexibleVersions: '1+',
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
export type IncrementalAlterConfigsResponse = MessageValue<typeof IncrementalAlterConfigsResponse>;

export const api = defineApi({
  key: 44,
  name: 'IncrementalAlterConfigs',
  request: IncrementalAlterConfigsRequest,
  response: IncrementalAlterConfigsResponse,
});
