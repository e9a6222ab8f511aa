/**
 * Validates per-topic config overrides (CreateTopics configs, AlterConfigs, IncrementalAlterConfigs)
 * against the topic table in ../config-defs.ts, with Kafka's INVALID_CONFIG messages
 * ("Unknown topic config name: x", "Invalid value abc for configuration retention.ms: Not a number
 * of type LONG", ...). Storage re-checks what it parses (parseLogConfig) when the change is applied.
 */
import { ErrorCode } from '../../protocol/errors.js';
import { TOPIC_CONFIG_DEFS, type ConfigDef } from '../config-defs.js';
import { apiError, type ApiError } from './api-error.js';

const INTEGER_LIMITS: Readonly<Record<string, bigint>> = { short: 2n ** 15n, int: 2n ** 31n, long: 2n ** 63n };

function checkValue(def: ConfigDef, text: string): string | null {
  const trimmed = text.trim();
  switch (def.type) {
    case 'boolean':
      if (!/^(true|false)$/i.test(trimmed)) return 'Expected value to be either true or false';
      return null;
    case 'short':
    case 'int':
    case 'long': {
      const limit = INTEGER_LIMITS[def.type]!;
      if (!/^[+-]?\d+$/.test(trimmed) || BigInt(trimmed) >= limit || BigInt(trimmed) < -limit) {
        return `Not a number of type ${def.type.toUpperCase()}`;
      }
      if (def.min !== undefined && Number(trimmed) < def.min) return `Value must be at least ${def.min}`;
      return null;
    }
    case 'double': {
      const n = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(n)) return 'Not a number of type DOUBLE';
      if (def.min !== undefined && n < def.min) return `Value must be at least ${def.min}`;
      return null;
    }
    case 'string':
      if (def.oneOf !== undefined && !def.oneOf.includes(trimmed)) return `String must be one of: ${def.oneOf.join(', ')}`;
      return null;
    default:
      return null;
  }
}

/** cleanup.policy is a list whose items must be delete or compact (Kafka's ValidList; empty is allowed). */
function checkList(def: ConfigDef, text: string): string | null {
  if (def.name !== 'cleanup.policy') return null;
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    if (item !== 'delete' && item !== 'compact') return 'String must be one of: compact, delete';
  }
  return null;
}

/**
 * The first problem with a set of topic overrides (null values are removals and are not checked).
 * Pairs rather than an object, so a hostile name such as `__proto__` is only ever a string here.
 */
export function checkTopicConfigs(changes: Iterable<readonly [string, string | null]>): ApiError | null {
  for (const [name, value] of changes) {
    const def = TOPIC_CONFIG_DEFS.get(name);
    if (def === undefined) return apiError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${name}`);
    if (value === null) continue;
    const why = checkValue(def, value) ?? checkList(def, value);
    if (why !== null) return apiError(ErrorCode.INVALID_CONFIG, `Invalid value ${value} for configuration ${name}: ${why}`);
  }
  return null;
}

export function isListConfig(name: string): boolean {
  return TOPIC_CONFIG_DEFS.get(name)?.type === 'list';
}
