/**
 * The broker process: configuration, storage, the handler registry, TCP listeners and connections.
 *
 * Start: resolve config → open storage → bind every listener (all its addresses on one port) → load the
 * group and transaction coordinators' state if their topics exist → serve.
 * Stop (close(), or SIGINT/SIGTERM in the CLI): stop accepting, abort long polls (ctx.broker.signal),
 * let every connection answer what is in flight and flush, close services, then close storage, which
 * flushes and writes the clean-shutdown marker.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BrokerConfig } from './config.js';
import { Connection } from './connection.js';
import { createDispatch } from './dispatcher.js';
import { Faults } from './faults.js';
import type { AnyHandler, BrokerContext, Clock } from './handler.js';
import { HANDLERS } from './handlers/index.js';
import {
  advertisedListeners,
  bindAddresses,
  checkSecurityMap,
  formatHostPort,
  parseListeners,
  type AdvertisedListener,
  type ListenerSpec,
} from './listeners.js';
import { createLogger, type Logger } from './logger.js';
import { resolveConfig, type BrokerOptions } from './options.js';
import { HandlerRegistry } from './registry.js';
import type { Storage } from '../storage/index.js';
import { openBrokerStorage } from './open-storage.js';
import { ConfigError } from './config.js';
import { GROUP_METADATA_TOPIC, TRANSACTION_STATE_TOPIC } from './topics/topics.js';
import { GroupCoordinator } from './groups/coordinator.js';
import { TxnCoordinator } from './txn/coordinator.js';

/** Internal knobs for tests of the server itself. */
export interface BrokerInternals {
  /** Replace the handler list (default: every handler in ./handlers). */
  readonly handlers?: readonly AnyHandler[];
}

interface BoundListener {
  readonly spec: ListenerSpec;
  readonly servers: Server[];
  readonly port: number;
  /** `address:port` of every bound socket, for the start-up log. */
  readonly addresses: string[];
}

let nextConnectionId = 0;

export class Broker {
  readonly faults = new Faults();
  readonly context: BrokerContext;
  /** Milliseconds from the start() call until every listener was bound. */
  startupMs = 0;
  private readonly connections = new Set<Connection>();
  private readonly services = new Map<string, object>();
  private readonly abort = new AbortController();
  private bound: BoundListener[] = [];
  private closing: Promise<void> | undefined;

  private constructor(
    readonly config: BrokerConfig,
    readonly logger: Logger,
    readonly storage: Storage,
    private readonly registry: HandlerRegistry,
    clock: Clock,
    clusterId: string,
  ) {
    const services = this.services;
    const context: BrokerContext = {
      nodeId: config.nodeId,
      clusterId,
      config,
      storage,
      logger,
      clock,
      faults: this.faults,
      signal: this.abort.signal,
      apiVersions: registry.versions,
      listeners: [],
      service<T extends object>(key: string, create: (broker: BrokerContext) => T): T {
        let s = services.get(key);
        if (s === undefined) {
          s = create(context);
          services.set(key, s);
        }
        return s as T;
      },
    };
    this.context = context;
  }

  static async start(options: BrokerOptions = {}, internals: BrokerInternals = {}): Promise<Broker> {
    const t0 = performance.now();
    const config = resolveConfig(options);
    const logger = makeLogger(options);
    for (const name of config.unknown.keys()) {
      logger.warn('unknown configuration property ignored', { property: name });
    }
    const specs = parseListeners(config.get('listeners'));
    checkSecurityMap(specs, config.get('listener.security.protocol.map'));
    const advertisedList = config.get('advertised.listeners');
    const advertised = advertisedList === null ? null : parseListeners(advertisedList, 'advertised.listeners');
    for (const a of advertised ?? []) {
      if (!specs.some((s) => s.name === a.name)) {
        throw new ConfigError(`advertised.listeners: ${a.name} is not one of the listeners`);
      }
    }

    const registry = new HandlerRegistry(internals.handlers ?? HANDLERS);
    const clock = options.clock ?? { now: Date.now };
    const existing = !config.inMemory && existsSync(join(config.dataDir, 'meta.properties'));
    const storage = openBrokerStorage(config, () => clock.now());
    if (existing && !storage.recoveredCleanly) {
      logger.warn('the previous run did not shut down cleanly; logs were recovered', { dataDir: storage.dataDir });
    }
    const broker = new Broker(config, logger, storage, registry, clock, storage.clusterId);
    try {
      await broker.listen(specs, advertised);
    } catch (err) {
      await broker.close();
      throw err;
    }
    try {
      // Groups and committed offsets load now, not on the first group request: the first JoinGroup after
      // a restart is not slowed by the replay, and a failure stops start-up instead of a client request.
      if (storage.topic(GROUP_METADATA_TOPIC) !== undefined) GroupCoordinator.of(broker.context);
      // Kafka loads the transaction coordinator's state at start: open transactions resume their timeouts.
      if (storage.topic(TRANSACTION_STATE_TOPIC) !== undefined) TxnCoordinator.of(broker.context);
    } catch (err) {
      await broker.close();
      throw new Error(`cannot load coordinator state: ${(err as Error).message}`, { cause: err });
    }
    broker.startupMs = performance.now() - t0;
    logger.info('listening', {
      listeners: broker.bound.flatMap((b) => b.addresses).join(','),
      advertised: broker.context.listeners.map((l) => `${l.name}://${formatHostPort(l.host, l.port)}`).join(','),
      nodeId: config.nodeId,
      storage: config.inMemory ? 'memory' : config.dataDir,
      startupMs: Math.round(broker.startupMs * 10) / 10,
    });
    return broker;
  }

  /** The first listener's bound port. */
  get port(): number {
    return this.bound[0]?.port ?? 0;
  }

  /** The first listener's advertised host. */
  get host(): string {
    return this.context.listeners[0]?.host ?? 'localhost';
  }

  /** `host:port` a client should bootstrap from (the first advertised listener). */
  get bootstrap(): string {
    return formatHostPort(this.host, this.port);
  }

  /** Connections currently open. */
  get connectionCount(): number {
    return this.connections.size;
  }

  private async listen(specs: readonly ListenerSpec[], advertised: readonly ListenerSpec[] | null): Promise<void> {
    const config = this.config;
    const dispatch = createDispatch(this.registry, this.context);
    const connOptions = {
      dispatch,
      logger: this.logger,
      maxFrameBytes: config.get('socket.request.max.bytes'),
      maxInFlight: config.get('queued.max.requests'),
      maxQueuedBytes: config.get('queued.max.response.bytes'),
      idleMs: config.get('connections.max.idle.ms'),
      faults: this.faults,
    };
    const onSocket = (listenerName: string) => (socket: Socket) => {
      if (this.closing) {
        socket.destroy();
        return;
      }
      const conn = new Connection(socket, { ...connOptions, listenerName, id: ++nextConnectionId });
      this.connections.add(conn);
      void conn.closedSignal.then(() => this.connections.delete(conn));
    };
    for (const spec of specs) {
      this.bound.push(await bindListener(spec, onSocket(spec.name), this.logger));
    }
    const ports = new Map(this.bound.map((b) => [b.spec.name, b.port]));
    (this.context as { listeners: readonly AdvertisedListener[] }).listeners = advertisedListeners(specs, advertised, ports);
  }

  /**
   * Graceful shutdown: stop accepting, answer in-flight requests, flush, close storage (clean-shutdown
   * marker). Safe to call more than once.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const t0 = performance.now();
    this.abort.abort();
    const serversClosed = this.bound.flatMap((b) =>
      b.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    );
    const timeout = this.config.get('controlled.shutdown.max.ms');
    await Promise.all([...this.connections].map((c) => c.drainAndClose(timeout)));
    await Promise.all(serversClosed);
    for (const [key, service] of [...this.services].reverse()) {
      const close = (service as { close?: () => unknown }).close;
      if (typeof close !== 'function') continue;
      try {
        await close.call(service);
      } catch (err) {
        this.logger.error('service failed to close', { service: key, error: err as Error });
      }
    }
    this.storage.close(); // flushes, writes checkpoints and the clean-shutdown marker
    this.logger.info('shut down', { ms: Math.round(performance.now() - t0) });
  }
}

function makeLogger(options: BrokerOptions): Logger {
  const log = options.log;
  if (log !== undefined && typeof log !== 'function') return log;
  return createLogger({ level: options.logLevel ?? 'warn', ...(log ? { sink: log } : {}) });
}

function listenOn(
  host: string | undefined,
  port: number,
  onSocket: (s: Socket) => void,
  logger: Logger,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(onSocket);
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      // Accept errors (EMFILE: out of file descriptors) must not crash the broker.
      server.on('error', (err: NodeJS.ErrnoException) =>
        logger.error('accepting a connection failed', { address: host ?? '*', port, error: err.code ?? err.message }),
      );
      resolve(server);
    });
  });
}

/** Binds every address of a listener on one port (port 0: the first bind picks it, the rest follow). */
async function bindListener(spec: ListenerSpec, onSocket: (s: Socket) => void, logger: Logger): Promise<BoundListener> {
  const hosts = await bindAddresses(spec.host);
  for (let attempt = 0; ; attempt++) {
    const servers: Server[] = [];
    const addresses: string[] = [];
    let port = spec.port;
    try {
      for (const [i, host] of hosts.entries()) {
        let server: Server;
        try {
          server = await listenOn(host, port, onSocket, logger);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          // A machine without IPv6 (or IPv4) loopback: serve the other family.
          if ((code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') && hosts.length > 1) {
            logger.debug('address not available on this machine; skipped', { address: host });
            continue;
          }
          throw Object.assign(err as Error, { bindHost: host, bindIndex: i });
        }
        servers.push(server);
        const addr = server.address() as { address: string; port: number };
        if (port === 0) port = addr.port;
        addresses.push(formatHostPort(addr.address, addr.port));
      }
      if (servers.length === 0) throw new Error(`listener ${spec.name}: no address of "${spec.host}" could be bound`);
      return { spec, servers, port, addresses };
    } catch (err) {
      for (const s of servers) s.close();
      const e = err as NodeJS.ErrnoException & { bindHost?: string; bindIndex?: number };
      // Port 0 on several addresses: the port picked on the first may be taken on another. Try again.
      if (spec.port === 0 && e.code === 'EADDRINUSE' && (e.bindIndex ?? 0) > 0 && attempt < 20) continue;
      if (e.code === 'EADDRINUSE') {
        throw new Error(
          `listener ${spec.name}://${formatHostPort(spec.host, spec.port)}: ${formatHostPort(e.bindHost ?? spec.host, port)} is already in use`,
        );
      }
      throw err;
    }
  }
}
