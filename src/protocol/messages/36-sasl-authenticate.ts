/**
 * SaslAuthenticate (key 36): carries one SASL token each way, after a v1 SaslHandshake (KIP-152).
 *
 * Versions:
 *   v0    — initial: opaque auth bytes; response has error code, message and auth bytes.
 *   v1    — response gains session_lifetime_ms, after which the client must re-authenticate (KIP-368).
 *   v2    — flexible versions.
 */
import { defineApi, field, message, T, type MessageValue } from '../schema/dsl.js';

export const SaslAuthenticateRequest = message({
  name: 'SaslAuthenticateRequest',
  kind: 'request',
  apiKey: 36,
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [
    field('authBytes', T.bytes, '0+'),
  ],
});
export type SaslAuthenticateRequest = MessageValue<typeof SaslAuthenticateRequest>;

export const SaslAuthenticateResponse = message({
  name: 'SaslAuthenticateResponse',
  kind: 'response',
  apiKey: 36,
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [
    field('errorCode', T.int16, '0+'),
    field('errorMessage', T.string, '0+', { nullable: '0+' }),
    field('authBytes', T.bytes, '0+'),
    field('sessionLifetimeMs', T.int64, '1+', { ignorable: true, default: 0n }),
  ],
});
export type SaslAuthenticateResponse = MessageValue<typeof SaslAuthenticateResponse>;

export const api = defineApi({
  key: 36,
  name: 'SaslAuthenticate',
  request: SaslAuthenticateRequest,
  response: SaslAuthenticateResponse,
});
