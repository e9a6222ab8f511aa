/**
 * SaslHandshake (key 17): v0-1.
 *
 * Brook listens on PLAINTEXT only. On such a listener Kafka has no SASL authenticator in front of
 * the request handler, so a SaslHandshake reaches KafkaApis, which answers ILLEGAL_SASL_STATE with
 * an empty mechanism list (the connection stays open and usable). Brook does the same, so a client
 * configured for SASL against a PLAINTEXT listener fails the way it would against Kafka.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api } from '../../protocol/messages/17-sasl-handshake.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 1,
  handle() {
    return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] };
  },
});
