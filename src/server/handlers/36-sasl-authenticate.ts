/**
 * SaslAuthenticate (key 36): v0-2.
 *
 * As on a Kafka PLAINTEXT listener (see 17-sasl-handshake.ts): no SASL exchange is in progress, so
 * Kafka's request handler answers ILLEGAL_SASL_STATE with the message "SaslAuthenticate request
 * received after successful authentication", empty auth bytes and no session lifetime.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { api } from '../../protocol/messages/36-sasl-authenticate.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api,
  minVersion: 0,
  maxVersion: 2,
  handle() {
    return {
      errorCode: ErrorCode.ILLEGAL_SASL_STATE,
      errorMessage: 'SaslAuthenticate request received after successful authentication',
      authBytes: Buffer.alloc(0),
      sessionLifetimeMs: 0n,
    };
  },
});
