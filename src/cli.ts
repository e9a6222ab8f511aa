#!/usr/bin/env node
/**
 * The `brook` command: runs a broker until SIGINT/SIGTERM, then shuts down gracefully.
 * Kafka's own start script takes a server.properties path; so does this (positional or --config).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Broker } from './server/broker.js';
import { ConfigError } from './server/config.js';
import { createLogger, isLogLevel } from './server/logger.js';

const USAGE = `Usage: brook [options] [server.properties]

Options:
  -p, --port <n>            listener port (default 9092; 0 picks a free port)
      --host <host>         listener host (default localhost: binds 127.0.0.1 and ::1)
  -d, --data-dir <dir>      data directory, Kafka's log.dirs (default ./data)
      --memory              keep all data in memory (nothing is written to disk)
  -c, --config <file>       server.properties file (Kafka property names)
  -o, --override <k=v>      set a Kafka property; repeatable, applied last
  -l, --log-level <level>   debug | info | warn | error | silent (default info)
  -h, --help                show this help
  -v, --version             show the version

Examples:
  brook --port 0 --memory
  brook --config server.properties --override num.partitions=3
  brook --override listeners=PLAINTEXT://0.0.0.0:9092 --override advertised.listeners=PLAINTEXT://myhost:9092`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'data-dir': { type: 'string', short: 'd' },
        memory: { type: 'boolean' },
        config: { type: 'string', short: 'c' },
        override: { type: 'string', short: 'o', multiple: true },
        'log-level': { type: 'string', short: 'l' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    process.stderr.write(`brook: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (values.version) {
    const { createRequire } = await import('node:module');
    const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
    process.stdout.write(pkg.version + '\n');
    return 0;
  }
  const level = values['log-level'] ?? 'info';
  if (!isLogLevel(level)) {
    process.stderr.write(`brook: unknown log level "${level}"\n`);
    return 2;
  }
  if (positionals.length > 1 || (positionals.length === 1 && values.config !== undefined)) {
    process.stderr.write(`brook: give one config file\n\n${USAGE}\n`);
    return 2;
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
      process.stderr.write(`brook: --port expects 0-65535, got "${values.port}"\n`);
      return 2;
    }
  }
  const logger = createLogger({ level });
  const configFile = values.config ?? positionals[0];

  // Signal handlers go in first: a signal during start-up, or right after the ready line (whoever waits
  // for it may signal at once), still gets a clean shutdown.
  let broker: Broker | undefined;
  let stopping = false;
  let finish!: () => void;
  const stopped = new Promise<void>((resolve) => (finish = resolve));
  const shutdown = (b: Broker): void => {
    b.close().then(finish, (err: unknown) => {
      logger.error('shutdown failed', { error: err as Error });
      process.exit(1);
    });
  };
  const onSignal = (signal: string): void => {
    if (stopping) {
      logger.warn('second signal: exiting without a clean shutdown', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.info('shutting down', { signal });
    if (broker) shutdown(broker);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  try {
    broker = await Broker.start({
      ...(port !== undefined ? { port } : {}),
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
      ...(values.memory ? { memory: true } : {}),
      ...(configFile !== undefined ? { configFile } : {}),
      overrides: values.override ?? [],
      log: logger,
    });
  } catch (err) {
    if (err instanceof ConfigError) logger.error('invalid configuration', { error: err.message });
    else logger.error('failed to start', { error: err as Error });
    return 1;
  }
  if (stopping) shutdown(broker);
  else logger.info('Brook ready', { bootstrap: broker.bootstrap, readyMs: Math.round(performance.now()) });
  await stopped;
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`brook: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
