/**
 * SaslHandshake (key 17): the client names the SASL mechanism it wants; the broker answers with
 * the mechanisms it enables. Never flexible: Kafka cannot bump it because old clients mis-negotiate
 * it (KAFKA-9577).
 *
 * Versions:
 *   v0    — initial: after the handshake the SASL tokens flow as raw length-prefixed frames,
 *           outside the Kafka protocol.
 *   v1    — same layout; the tokens then travel inside SaslAuthenticate requests (KIP-152).
 */
import { defineApi, field, message, T, type MessageValue } from '../schema/dsl.js';

export const SaslHandshakeRequest = message({
  name: 'SaslHandshakeRequest',
  kind: 'request',
  apiKey: 17,
  validVersions: '0-1',
  flexibleVersions: 'none',
  fields: [
    field('mechanism', T.string, '0+'),
  ],
});
export type SaslHandshakeRequest = MessageValue<typeof SaslHandshakeRequest>;

export const SaslHandshakeResponse = message({
  name: 'SaslHandshakeResponse',
  kind: 'response',
  apiKey: 17,
  validVersions: '0-1',
  flexibleVersions: 'none',
  fields: [
    field('errorCode', T.int16, '0+'),
    field('mechanisms', T.array(T.string), '0+'),
  ],
});
export type SaslHandshakeResponse = MessageValue<typeof SaslHandshakeResponse>;

export const api = defineApi({
  key: 17,
  name: 'SaslHandshake',
  request: SaslHandshakeRequest,
  response: SaslHandshakeResponse,
});
