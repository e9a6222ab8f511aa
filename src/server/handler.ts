/**
 * The handler contract. One file per API key in ./handlers/ exports a handler made with `defineHandler`:
 *
 *   export default defineHandler({
 *     api,                        // the ApiSpec from src/protocol/messages/NN-name.ts
 *     minVersion: 0, maxVersion: 4,
 *     handle(ctx, request, version) { return response; },
 *   });
 *
 * `handle` returns the response value (or a promise of it), or NO_RESPONSE (acks=0 Produce).
 * Partial success is data: per-partition/per-topic error codes in the response. Throwing means
 * "close this connection" (a ProtocolViolation is logged as the client's fault, anything else as ours).
 * Requests on one connection are handed to `handle` in arrival order (so work a handler starts
 * synchronously is ordered); they may complete in any order, and responses are written in request order.
 */
import type { ApiSpec } from '../protocol/schema/dsl.js';
import type { BrokerConfig } from './config.js';
import type { ConnectionInfo } from './connection.js';
import type { Faults } from './faults.js';
import type { AdvertisedListener } from './listeners.js';
import type { Logger } from './logger.js';
import type { Storage } from '../storage/index.js';

/** Returned by a handler when the request gets no response (Produce with acks=0). */
export const NO_RESPONSE: unique symbol = Symbol('brook.noResponse');
export type NoResponse = typeof NO_RESPONSE;

export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

export interface ApiVersionRange {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** What a handler can reach of the broker. One per broker; shared by every connection. */
export interface BrokerContext {
  readonly nodeId: number;
  readonly clusterId: string;
  readonly config: BrokerConfig;
  /** Topics and partition logs (src/storage). */
  readonly storage: Storage;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly faults: Faults;
  /** Aborted when a graceful shutdown begins: long polls should answer now. */
  readonly signal: AbortSignal;
  /** Every API this broker serves, as ApiVersions reports it (from the handler registry). */
  readonly apiVersions: readonly ApiVersionRange[];
  /** Advertised address per listener, as Metadata reports it. */
  readonly listeners: readonly AdvertisedListener[];
  /**
   * A per-broker singleton (a group coordinator, a producer-state manager), created on first use.
   * Its `close()`, if any, runs at shutdown, before storage is closed.
   */
  service<T extends object>(key: string, create: (broker: BrokerContext) => T): T;
}

export interface RequestContext {
  readonly broker: BrokerContext;
  readonly connection: ConnectionInfo;
  readonly header: RequestHeader;
  /** Logger carrying the client address and API. */
  readonly log: Logger;
}

export type HandlerResult<Res> = Res | NoResponse | Promise<Res | NoResponse>;

export interface Handler<Req = unknown, Res = unknown> {
  readonly api: ApiSpec<Req, Res>;
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  handle(ctx: RequestContext, request: Req, version: number): HandlerResult<Res>;
}

/** Declares a handler; `apiKey` is taken from the ApiSpec. */
export function defineHandler<Req, Res>(handler: {
  readonly api: ApiSpec<Req, Res>;
  readonly minVersion: number;
  readonly maxVersion: number;
  handle(ctx: RequestContext, request: Req, version: number): HandlerResult<Res>;
}): Handler<Req, Res> {
  return { ...handler, apiKey: handler.api.key };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- internal: the registry holds handlers of every message type
export type AnyHandler = Handler<any, any>;
