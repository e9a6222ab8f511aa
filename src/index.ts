/**
 * Brook as a library: start a broker inside your process (tests of other projects embed it this way).
 *
 *   import { startBroker } from 'brook';
 *   const broker = await startBroker({ port: 0, memory: true });
 *   // … new Kafka({ brokers: [broker.bootstrap] }) …
 *   await broker.close();
 *
 * Several brokers may run in one process; each has its own port, storage, config and faults.
 */
import { Broker } from './server/broker.js';
import type { BrokerOptions } from './server/options.js';

export { Broker } from './server/broker.js';
export type { BrokerOptions } from './server/options.js';
export { Faults, type FaultAction, type FaultRule } from './server/faults.js';
export type { LogLevel, LogRecord, LogSink, Logger } from './server/logger.js';
export type { AdvertisedListener } from './server/listeners.js';
export type { Clock } from './server/handler.js';
export { ConfigError } from './server/config.js';
export { CONFIG_DEFS, type ConfigDef } from './server/config-defs.js';

/**
 * Starts a broker and resolves once it is listening. The result has `bootstrap` ("host:port" for
 * clients), `port`, `host`, `faults` (fault injection) and `close()` (graceful: answers in-flight
 * requests, flushes, writes the clean-shutdown marker).
 * Defaults match the CLI (localhost:9092, ./data) except the log level ('warn'); pass `port: 0` for a
 * free port and `memory: true` to keep nothing on disk.
 */
export function startBroker(options: BrokerOptions = {}): Promise<Broker> {
  return Broker.start(options);
}
