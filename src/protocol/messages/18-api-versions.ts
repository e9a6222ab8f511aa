/**
 * ApiVersions (key 18): the client asks which API versions the broker speaks.
 *
 * Versions:
 *   v0    — initial: error code and the list of (key, min, max).
 *   v1    — response gains throttle_time_ms.
 *   v2    — same layout; throttled responses are sent before the throttle is applied.
 *   v3    — flexible versions; request carries client software name and version (KIP-511);
 *           response gains tagged supported/finalized features (KIP-584) and the ZK-migration flag.
 *           From Kafka 2.4 an UNSUPPORTED_VERSION answer still lists the broker's api keys.
 *   v4    — same layout; supported features may now report min_version 0 (KAFKA-17011) —
 *           answering v0-3, features whose min version is 0 are left out.
 * A broker that cannot parse the requested version answers with v0 (KIP-511 fallback).
 * The response header is always v0, even for flexible versions, so that any client can read the error.
 */
import { defineApi, field, message, struct, T, type MessageValue } from '../schema/dsl.js';

export const ApiVersionsRequest = message({
  name: 'ApiVersionsRequest',
  kind: 'request',
  apiKey: 18,
  validVersions: '0-4',
  flexibleVersions: '3+',
  fields: [
    field('clientSoftwareName', T.string, '3+', { ignorable: true }),
    field('clientSoftwareVersion', T.string, '3+', { ignorable: true }),
  ],
});
export type ApiVersionsRequest = MessageValue<typeof ApiVersionsRequest>;

export const ApiVersionsResponse = message({
  name: 'ApiVersionsResponse',
  kind: 'response',
  apiKey: 18,
  validVersions: '0-4',
  flexibleVersions: '3+',
  fields: [
    field('errorCode', T.int16, '0+'),
    field(
      'apiKeys',
      T.array(
        struct('ApiVersion', [
          field('apiKey', T.int16, '0+'),
          field('minVersion', T.int16, '0+'),
          field('maxVersion', T.int16, '0+'),
        ]),
      ),
      '0+',
    ),
    field('throttleTimeMs', T.int32, '1+', { ignorable: true }),
    field(
      'supportedFeatures',
      T.array(
        struct('SupportedFeatureKey', [
          field('name', T.string, '3+'),
          field('minVersion', T.int16, '3+'),
          field('maxVersion', T.int16, '3+'),
        ]),
      ),
      '3+',
      { tag: 0, taggedVersions: '3+', ignorable: true },
    ),
    field('finalizedFeaturesEpoch', T.int64, '3+', { tag: 1, taggedVersions: '3+', ignorable: true, default: -1n }),
    field(
      'finalizedFeatures',
      T.array(
        struct('FinalizedFeatureKey', [
          field('name', T.string, '3+'),
          field('maxVersionLevel', T.int16, '3+'),
          field('minVersionLevel', T.int16, '3+'),
        ]),
      ),
      '3+',
      { tag: 2, taggedVersions: '3+', ignorable: true },
    ),
    field('zkMigrationReady', T.bool, '3+', { tag: 3, taggedVersions: '3+', ignorable: true, default: false }),
  ],
});
export type ApiVersionsResponse = MessageValue<typeof ApiVersionsResponse>;

export const api = defineApi({ key: 18, name: 'ApiVersions', request: ApiVersionsRequest, response: ApiVersionsResponse });
