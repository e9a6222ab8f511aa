/**
 * Config entries as DescribeConfigs (and CreateTopics v5+) report them, following Kafka's rules:
 *   - a topic property's value is its override, else the default derived from its broker synonym;
 *   - synonyms list, most specific first: the topic override (DYNAMIC_TOPIC_CONFIG), then the broker
 *     properties set in server.properties/options (STATIC_BROKER_CONFIG), then the broker properties
 *     that have a default (DEFAULT_CONFIG); entries before the property's own broker name are dropped
 *     (Kafka's quirk: retention.ms shows no synonyms when only log.retention.hours applies);
 *   - config_source is the first synonym's source, DEFAULT_CONFIG when there is none;
 *   - topic properties are writable; every broker property is read-only (Brook has no dynamic broker
 *     config); password values are sensitive and reported as null.
 */
import { parseConfigValue, formatConfigValue, type BrokerConfig } from '../config.js';
import { BROKER_CONFIG_DEFS, TOPIC_CONFIG_DEFS, type ConfigDef } from '../config-defs.js';
import { topicDefaultStrings } from '../open-storage.js';
import type { TopicConfigs } from '../../storage/index.js';
import { ConfigSource, configTypeId } from './kafka-enums.js';

export interface ConfigSynonymView {
  readonly name: string;
  readonly value: string | null;
  readonly source: number;
}

export interface ConfigEntryView {
  readonly name: string;
  readonly value: string | null;
  readonly readOnly: boolean;
  readonly source: number;
  readonly isSensitive: boolean;
  /** Every synonym (callers drop them unless asked). */
  readonly synonyms: readonly ConfigSynonymView[];
  readonly configType: number;
  readonly documentation: string | null;
}

/** Kafka's broker-property synonym groups (DynamicBrokerConfig.brokerConfigSynonyms). */
const BROKER_SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['log.roll.ms', 'log.roll.hours'],
  ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'],
  ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'],
];

function brokerSynonymNames(name: string): readonly string[] {
  return BROKER_SYNONYM_GROUPS.find((g) => g.includes(name)) ?? [name];
}

function isStatic(config: BrokerConfig, name: string): string | null {
  const e = config.entry(name);
  if (e !== undefined) return e.source !== 'default' && e.text !== null ? e.text : null;
  return config.unknown.get(name) ?? null;
}

/** Kafka's configSynonyms: static values, then defaults, dropping entries before `name`. */
function brokerSynonyms(config: BrokerConfig, name: string, sensitive: boolean): ConfigSynonymView[] {
  const names = brokerSynonymNames(name);
  const out: ConfigSynonymView[] = [];
  for (const n of names) {
    const text = isStatic(config, n);
    if (text !== null) out.push({ name: n, value: sensitive ? null : text, source: ConfigSource.STATIC_BROKER_CONFIG });
  }
  for (const n of names) {
    const d = BROKER_CONFIG_DEFS.get(n)?.default;
    if (d !== undefined && d !== null) out.push({ name: n, value: sensitive ? null : d, source: ConfigSource.DEFAULT_CONFIG });
  }
  const first = out.findIndex((s) => s.name === name);
  return first < 0 ? [] : out.slice(first);
}

/** Kafka's rendering of a value (e.g. a list without blanks); the raw text if it does not parse. */
function canonical(def: ConfigDef, text: string): string {
  try {
    return formatConfigValue(def, parseConfigValue(def, text)) ?? text;
  } catch {
    return text;
  }
}

export interface DescribeOptions {
  /** Property names to report; null or empty for all. */
  readonly keys: readonly string[] | null;
  readonly includeDocumentation: boolean;
}

function wanted(keys: readonly string[] | null, name: string): boolean {
  return keys === null || keys.length === 0 || keys.includes(name);
}

/** Every topic property of a topic with `overrides` (sorted by name, as Kafka's CreateTopics does). */
export function topicConfigEntries(config: BrokerConfig, overrides: TopicConfigs, options: DescribeOptions): ConfigEntryView[] {
  const defaults = topicDefaultStrings(config);
  const out: ConfigEntryView[] = [];
  const names = [...TOPIC_CONFIG_DEFS.keys()].sort();
  for (const name of names) {
    if (!wanted(options.keys, name)) continue;
    const def = TOPIC_CONFIG_DEFS.get(name)!;
    const sensitive = def.type === 'password';
    const override = overrides[name];
    const raw = override ?? defaults[name] ?? def.default;
    const value = sensitive || raw === null ? null : canonical(def, raw);
    const synonyms = def.synonym !== undefined ? brokerSynonyms(config, def.synonym, sensitive) : [];
    if (override !== undefined) synonyms.unshift({ name, value, source: ConfigSource.DYNAMIC_TOPIC_CONFIG });
    out.push({
      name,
      value,
      readOnly: false,
      source: synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG,
      isSensitive: sensitive,
      synonyms,
      configType: configTypeId(def.type),
      documentation: options.includeDocumentation ? def.doc : null,
    });
  }
  return out;
}

/** Every broker property of this broker (resource name = its node id), plus unknown ones it was given. */
export function brokerConfigEntries(config: BrokerConfig, options: DescribeOptions): ConfigEntryView[] {
  const out: ConfigEntryView[] = [];
  for (const entry of config.all()) {
    if (!wanted(options.keys, entry.name)) continue;
    const sensitive = entry.def.type === 'password';
    const synonyms = brokerSynonyms(config, entry.name, sensitive);
    out.push({
      name: entry.name,
      value: sensitive ? null : entry.text,
      readOnly: true,
      source: synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG,
      isSensitive: sensitive,
      synonyms,
      configType: configTypeId(entry.def.type),
      documentation: options.includeDocumentation ? entry.def.doc : null,
    });
  }
  for (const [name, text] of config.unknown) {
    if (!wanted(options.keys, name)) continue;
    out.push({
      name,
      value: text,
      readOnly: true,
      source: ConfigSource.STATIC_BROKER_CONFIG,
      isSensitive: false,
      synonyms: [{ name, value: text, source: ConfigSource.STATIC_BROKER_CONFIG }],
      configType: configTypeId(undefined),
      documentation: null,
    });
  }
  return out;
}
