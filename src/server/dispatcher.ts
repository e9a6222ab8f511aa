/**
 * Request dispatch: request frame → header → handler → response frame. The registry decides what is
 * served; an unknown key or unsupported version closes the connection (as Kafka does), except ApiVersions,
 * which answers a too-new version per KIP-511 (UNSUPPORTED_VERSION, encoded as v0) so the client can
 * retry with a version we speak. Malformed requests close the connection; handler errors too.
 */
import { decodeMessage, encodeResponseFrame, isFlexible } from '../protocol/codec.js';
import { decodeRequestHeader } from '../protocol/headers.js';
import { api as apiVersionsApi } from '../protocol/messages/18-api-versions.js';
import { ProtocolError } from '../protocol/primitives/protocol-error.js';
import { ProtocolViolation, type ConnectionInfo, type Dispatch, type DispatchOutcome } from './connection.js';
import { NO_RESPONSE, type AnyHandler, type BrokerContext, type RequestContext, type RequestHeader } from './handler.js';
import type { Logger } from './logger.js';
import { unsupportedVersionResponse } from './handlers/18-api-versions.js';
import type { HandlerRegistry } from './registry.js';

const API_VERSIONS = 18;

export function createDispatch(registry: HandlerRegistry, broker: BrokerContext): Dispatch {
  const flexibleOf = (apiKey: number, version: number): boolean | undefined => {
    const h = registry.get(apiKey);
    if (h === undefined || version < h.minVersion || version > h.maxVersion) return undefined;
    return isFlexible(h.api.request, version);
  };
  const debug = broker.logger.isEnabled('debug');

  return (frame: Buffer, connection: ConnectionInfo): DispatchOutcome | Promise<DispatchOutcome> => {
    if (frame.length < 8) {
      throw new ProtocolViolation(`request of ${frame.length} bytes is shorter than a request header`);
    }
    let decoded;
    try {
      decoded = decodeRequestHeader(frame, flexibleOf);
    } catch (err) {
      throw malformed('request header', err);
    }
    const { header, bodyOffset } = decoded;
    connection.clientId = header.clientId;
    const handler = registry.get(header.apiKey);
    if (handler === undefined) {
      throw new ProtocolViolation(`unsupported API key ${header.apiKey} (version ${header.apiVersion})`);
    }
    const { apiVersion: version, correlationId } = header;
    if (version < handler.minVersion || version > handler.maxVersion) {
      if (header.apiKey === API_VERSIONS && version > handler.maxVersion) {
        return encodeResponseFrame(apiVersionsApi, 0, correlationId, unsupportedVersionResponse(broker.apiVersions));
      }
      throw new ProtocolViolation(
        `unsupported version ${version} of ${handler.api.name} (key ${header.apiKey}; Brook speaks ${handler.minVersion}-${handler.maxVersion})`,
      );
    }
    let request: unknown;
    try {
      request = decodeMessage(handler.api.request, version, frame, bodyOffset);
    } catch (err) {
      throw malformed(`${handler.api.name} v${version} request`, err);
    }
    const ctx: RequestContext = new Context(broker, connection, header, handler.api.name);
    if (debug) ctx.log.debug('request', { correlationId, clientId: header.clientId });
    const result = handler.handle(ctx, request, version);
    if (result instanceof Promise) return result.then((r) => encode(handler, version, correlationId, r));
    return encode(handler, version, correlationId, result);
  };
}

/** The per-request context; its logger is made only when a handler asks for it (hot path). */
class Context implements RequestContext {
  private logger: Logger | undefined;

  constructor(
    readonly broker: BrokerContext,
    readonly connection: ConnectionInfo,
    readonly header: RequestHeader,
    private readonly apiName: string,
  ) {}

  get log(): Logger {
    this.logger ??= this.broker.logger.child({
      client: this.connection.client,
      api: this.apiName,
      v: this.header.apiVersion,
    });
    return this.logger;
  }
}

function encode(handler: AnyHandler, version: number, correlationId: number, result: unknown): DispatchOutcome {
  if (result === NO_RESPONSE) return null;
  return encodeResponseFrame(handler.api, version, correlationId, result);
}

function malformed(what: string, err: unknown): Error {
  if (err instanceof ProtocolError) return new ProtocolViolation(`malformed ${what}: ${err.message}`);
  return err instanceof Error ? err : new Error(String(err));
}
