/**
 * ApiVersions (key 18): v0-4.
 *
 * Behaviour:
 *   - Lists every API key and version range in the handler registry (ctx.broker.apiVersions).
 *   - v3+: the client software name and version must match [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?,
 *     else INVALID_REQUEST (as Kafka).
 *   - An unsupported (newer) version is not closed: per KIP-511 the dispatcher answers with
 *     `unsupportedVersionResponse`, encoded as v0, so the client can retry with a version we speak.
 *   - Remembers the client software (v3+) on the connection, for log lines about it.
 *   - No features are advertised (supported/finalized features empty, epoch -1), so clients use the
 *     feature-less protocol paths.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api, type ApiVersionsResponse } from '../../protocol/messages/18-api-versions.js';
import { defineHandler, type ApiVersionRange } from '../handler.js';

const { NONE, UNSUPPORTED_VERSION, INVALID_REQUEST } = ErrorCode;

const SOFTWARE_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

function response(errorCode: number, apiKeys: readonly ApiVersionRange[]): ApiVersionsResponse {
  return {
    errorCode,
    apiKeys: apiKeys.map((k) => ({ apiKey: k.apiKey, minVersion: k.minVersion, maxVersion: k.maxVersion })),
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1n,
    finalizedFeatures: [],
    zkMigrationReady: false,
  };
}

/** KIP-511: the answer to an ApiVersions version newer than we speak; encode it as v0. */
export function unsupportedVersionResponse(apiKeys: readonly ApiVersionRange[]): ApiVersionsResponse {
  return response(UNSUPPORTED_VERSION, apiKeys);
}

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 4,
  handle(ctx, request, version) {
    if (
      version >= 3 &&
      (!SOFTWARE_NAME.test(request.clientSoftwareName) || !SOFTWARE_NAME.test(request.clientSoftwareVersion))
    ) {
      return response(INVALID_REQUEST, []);
    }
    if (version >= 3) ctx.connection.clientSoftware = `${request.clientSoftwareName}/${request.clientSoftwareVersion}`;
    return response(NONE, ctx.broker.apiVersions);
  },
});
