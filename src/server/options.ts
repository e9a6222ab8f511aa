/**
 * Options of `startBroker` and the CLI, and how they become a BrokerConfig. Precedence, lowest first:
 * defaults < config file (server.properties) < `config` properties < host/port/dataDir/memory
 * < `overrides` (the CLI's --override, the most explicit).
 */
import { readFileSync } from 'node:fs';
import { BrokerConfig, ConfigError, parseProperties, type ConfigLayer } from './config.js';
import type { Clock } from './handler.js';
import { formatHostPort, parseListeners } from './listeners.js';
import type { Logger, LogLevel, LogSink } from './logger.js';

export interface BrokerOptions {
  /** Port of the (first) listener; 0 picks a free port. Default: from `listeners` (9092). */
  readonly port?: number;
  /** Host of the (first) listener. Default: localhost (127.0.0.1 and ::1). */
  readonly host?: string;
  /** Data directory (Kafka's log.dirs). Default ./data. */
  readonly dataDir?: string;
  /** Keep all data in memory; nothing is written to disk. */
  readonly memory?: boolean;
  /** Path of a server.properties file (Kafka property names). */
  readonly configFile?: string;
  /** Kafka broker properties, e.g. `{ 'num.partitions': 3, 'auto.create.topics.enable': false }`. */
  readonly config?: Readonly<Record<string, string | number | boolean>>;
  /** `key=value` strings applied last (the CLI's --override). */
  readonly overrides?: readonly string[];
  /** Log level; default 'warn' for embedded brokers ('info' for the CLI). */
  readonly logLevel?: LogLevel;
  /** Where log records go (default: logfmt lines on stderr), or a ready logger. */
  readonly log?: LogSink | Logger;
  /** Clock used by handlers (tests). */
  readonly clock?: Clock;
}

export function resolveConfig(options: BrokerOptions): BrokerConfig {
  const layers: ConfigLayer[] = [];
  if (options.configFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.configFile, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read config file ${options.configFile}: ${(err as Error).message}`);
    }
    layers.push({ source: 'file', values: parseProperties(text) });
  }
  if (options.config !== undefined) layers.push({ source: 'option', values: options.config });
  const overrides = new Map<string, string>();
  for (const o of options.overrides ?? []) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new ConfigError(`override expects key=value, got "${o}"`);
    overrides.set(o.slice(0, eq).trim(), o.slice(eq + 1).trim());
  }

  const flags = new Map<string, string>();
  if (options.dataDir !== undefined) flags.set('log.dirs', options.dataDir);
  if (options.memory === true) flags.set('brook.storage', 'memory');
  if (options.host !== undefined || options.port !== undefined) {
    // Replace the first listener's host/port; keep its name and any further listeners.
    const base = new BrokerConfig(layers);
    const [first, ...rest] = parseListeners(base.get('listeners'));
    const host = options.host ?? first!.host;
    const port = options.port ?? first!.port;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`port ${port} is out of range`);
    const listeners = [`${first!.name}://${formatHostPort(host, port)}`, ...rest.map((l) => `${l.name}://${formatHostPort(l.host, l.port)}`)];
    flags.set('listeners', listeners.join(','));
  }
  layers.push({ source: 'option', values: flags });
  layers.push({ source: 'override', values: overrides });
  return new BrokerConfig(layers);
}
