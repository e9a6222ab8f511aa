/**
 * Broker configuration: parses Kafka-named properties (server.properties files, --override key=value,
 * options of startBroker) against the table in ./config-defs.ts, remembers where each value came from
 * (for DescribeConfigs), and derives the values Kafka derives (node.id from broker.id, retention from
 * hours/minutes/ms, topic defaults from their broker synonyms).
 */
import {
  BROKER_CONFIG_DEFS,
  TOPIC_CONFIG_DEFS,
  type BrokerConfigName,
  type BrokerConfigValue,
  type ConfigDef,
  type ConfigTypeValue,
  type TopicConfigName,
  type TopicConfigValue,
} from './config-defs.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Where a value came from, most specific last. Maps onto DescribeConfigs' ConfigSource. */
export type ConfigSource = 'default' | 'file' | 'override' | 'option';

export interface ConfigEntry {
  readonly name: string;
  readonly value: unknown;
  /** Kafka's string form of the value (null: unset). */
  readonly text: string | null;
  readonly source: ConfigSource;
  readonly def: ConfigDef;
}

/** Parses Java .properties text (comments, `=`/`:`/space separators, continuation lines, escapes). */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (endsWithOddBackslashes(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.replace(/^\s+/, '');
    }
    let cut = 0;
    while (cut < line.length && !/[=:\s]/.test(line[cut]!)) cut += line[cut] === '\\' ? 2 : 1;
    const key = unescape(line.slice(0, cut));
    let rest = line.slice(cut).replace(/^\s*/, '');
    if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^\s*/, '');
    out.set(key, unescape(rest));
  }
  return out;
}

function endsWithOddBackslashes(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return e === 't' ? '\t' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 'f' ? '\f' : e;
  });
}

/** Parses one `key=value` (as given to --override). */
export function parseOverride(arg: string): [string, string] {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new ConfigError(`--override expects key=value, got "${arg}"`);
  return [arg.slice(0, eq).trim(), arg.slice(eq + 1).trim()];
}

const LONG_MAX_NUMBER = 9223372036854775807;

/** Converts Kafka's string form to the in-memory value, checking type, range and allowed values. */
export function parseConfigValue(def: ConfigDef, text: string): ConfigTypeValue[ConfigDef['type']] {
  const fail = (why: string): never => {
    throw new ConfigError(`Invalid value ${JSON.stringify(text)} for configuration ${def.name}: ${why}`);
  };
  const trimmed = text.trim();
  let value: ConfigTypeValue[ConfigDef['type']];
  switch (def.type) {
    case 'boolean':
      if (!/^(true|false)$/i.test(trimmed)) fail('expected true or false');
      value = trimmed.toLowerCase() === 'true';
      break;
    case 'int':
    case 'short':
    case 'long': {
      if (!/^[+-]?\d+$/.test(trimmed)) fail('expected an integer');
      const exact = BigInt(trimmed);
      const limit = def.type === 'int' ? 2n ** 31n : def.type === 'short' ? 2n ** 15n : 2n ** 63n;
      if (exact >= limit || exact < -limit) fail(`out of range for a ${def.type}`);
      value = Number(exact);
      break;
    }
    case 'double': {
      const n = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(n)) fail('expected a number');
      value = n;
      break;
    }
    case 'list':
      value = trimmed === '' ? [] : trimmed.split(',').map((s) => s.trim()).filter((s) => s !== '');
      break;
    default:
      value = trimmed;
  }
  if (def.min !== undefined && typeof value === 'number' && value < def.min) fail(`must be at least ${def.min}`);
  if (def.oneOf && typeof value === 'string' && !def.oneOf.includes(value)) {
    fail(`must be one of ${def.oneOf.join(', ')}`);
  }
  return value;
}

/** Kafka's string form of a value. */
export function formatConfigValue(def: ConfigDef, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.join(',');
  if (def.type === 'long' && typeof value === 'number' && value >= LONG_MAX_NUMBER) return '9223372036854775807';
  return String(value);
}

export interface ConfigLayer {
  readonly source: ConfigSource;
  readonly values: ReadonlyMap<string, string> | Readonly<Record<string, string | number | boolean>>;
}

export class BrokerConfig {
  private readonly entries = new Map<string, ConfigEntry>();
  /** Properties that are not in the table (kept, as Kafka keeps them, and reported once). */
  readonly unknown = new Map<string, string>();

  /** Layers apply in order; a later layer wins. Throws ConfigError on a bad value. */
  constructor(layers: readonly ConfigLayer[] = []) {
    for (const def of BROKER_CONFIG_DEFS.values()) {
      const value = def.default === null ? null : parseConfigValue(def, def.default);
      this.entries.set(def.name, { name: def.name, value, text: def.default, source: 'default', def });
    }
    for (const layer of layers) {
      const pairs = layer.values instanceof Map ? [...layer.values] : Object.entries(layer.values);
      for (const [name, raw] of pairs) this.set(name, String(raw), layer.source);
    }
    this.validate();
  }

  private set(name: string, text: string, source: ConfigSource): void {
    const def = BROKER_CONFIG_DEFS.get(name);
    if (!def) {
      this.unknown.set(name, text);
      return;
    }
    const value = parseConfigValue(def, text);
    this.entries.set(name, { name, value, text: formatConfigValue(def, value), source, def });
  }

  private validate(): void {
    const map = this.get('listener.security.protocol.map');
    for (const pair of map) {
      const [, protocol] = pair.split(':');
      if (protocol !== 'PLAINTEXT') {
        throw new ConfigError(`listener.security.protocol.map: ${pair}: Brook supports only PLAINTEXT`);
      }
    }
    if (this.get('group.min.session.timeout.ms') > this.get('group.max.session.timeout.ms')) {
      throw new ConfigError('group.min.session.timeout.ms is greater than group.max.session.timeout.ms');
    }
  }

  /** A broker property's value (null when it has no default and is unset). */
  get<N extends BrokerConfigName>(name: N): BrokerConfigValue<N> {
    return this.entries.get(name)!.value as BrokerConfigValue<N>;
  }

  entry(name: string): ConfigEntry | undefined {
    return this.entries.get(name);
  }

  /** Every broker property, in table order. */
  all(): ConfigEntry[] {
    return [...this.entries.values()];
  }

  /** node.id, or broker.id when only that one is set. */
  get nodeId(): number {
    const nodeId = this.entries.get('node.id')!;
    const brokerId = this.get('broker.id');
    return nodeId.source === 'default' && brokerId !== null ? brokerId : (nodeId.value as number);
  }

  get dataDir(): string {
    const dirs = this.get('log.dirs');
    if (dirs !== null) return dirs.split(',')[0]!.trim();
    return this.get('log.dir');
  }

  get inMemory(): boolean {
    return this.get('brook.storage') === 'memory';
  }

  /** log.retention.ms, else minutes, else hours (Kafka's precedence). */
  get retentionMs(): number {
    const ms = this.get('log.retention.ms');
    if (ms !== null) return ms;
    const minutes = this.get('log.retention.minutes');
    if (minutes !== null) return minutes * 60_000;
    return this.get('log.retention.hours') * 3_600_000;
  }

  get rollMs(): number {
    return this.get('log.roll.ms') ?? this.get('log.roll.hours') * 3_600_000;
  }

  /** The value a topic gets for `name` when it has no override of its own. */
  topicDefault<N extends TopicConfigName>(name: N): TopicConfigValue<N> {
    const def = TOPIC_CONFIG_DEFS.get(name)!;
    let value: unknown;
    if (def.synonym === 'log.retention.ms') value = this.retentionMs;
    else if (def.synonym === 'log.roll.ms') value = this.rollMs;
    else if (def.synonym !== undefined) value = this.entries.get(def.synonym)?.value ?? null;
    if (value === null || value === undefined) value = def.default === null ? null : parseConfigValue(def, def.default);
    return value as TopicConfigValue<N>;
  }

  /** Every topic property with its broker-derived default. */
  topicDefaults(): Map<TopicConfigName, unknown> {
    const out = new Map<TopicConfigName, unknown>();
    for (const name of TOPIC_CONFIG_DEFS.keys()) {
      out.set(name as TopicConfigName, this.topicDefault(name as TopicConfigName));
    }
    return out;
  }
}

/** Validates a topic property (CreateTopics / AlterConfigs): returns its value or throws ConfigError. */
export function parseTopicConfig(name: string, text: string): unknown {
  const def = TOPIC_CONFIG_DEFS.get(name);
  if (!def) throw new ConfigError(`Unknown topic config name: ${name}`);
  return parseConfigValue(def, text);
}
