/**
 * Structured logging: one line per event, to stderr by default, in logfmt
 * (`time=… level=warn msg="…" client=127.0.0.1:53412 error="…"`) so both people and log tools can read it.
 * Children carry fixed fields (a connection's client address, a broker's node id).
 * Embedders may pass their own sink (or `'silent'`); tests capture lines that way.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Readonly<Record<string, unknown>>;

export interface LogRecord {
  readonly time: number;
  readonly level: Exclude<LogLevel, 'silent'>;
  readonly msg: string;
  readonly fields: LogFields;
}

/** Where records go. The default writes logfmt lines to stderr. */
export type LogSink = (record: LogRecord) => void;

export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  isEnabled(level: Exclude<LogLevel, 'silent'>): boolean;
  /** A logger that adds `fields` to every record. */
  child(fields: LogFields): Logger;
}

export function isLogLevel(value: string): value is LogLevel {
  return Object.prototype.hasOwnProperty.call(LEVEL_RANK, value);
}

const SAFE_VALUE = /^[A-Za-z0-9_.:/@+\-[\]]+$/;

function formatValue(value: unknown): string {
  let text: string;
  if (value instanceof Error) text = value.message;
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  else if (value === null || value === undefined) return String(value);
  else text = JSON.stringify(value) ?? String(value);
  return SAFE_VALUE.test(text) ? text : JSON.stringify(text);
}

/** Renders a record as one logfmt line (no trailing newline). */
export function formatLogfmt(record: LogRecord): string {
  let line = `time=${new Date(record.time).toISOString()} level=${record.level} msg=${formatValue(record.msg)}`;
  for (const [key, value] of Object.entries(record.fields)) {
    if (value === undefined) continue;
    line += ` ${key}=${formatValue(value)}`;
  }
  return line;
}

export const stderrSink: LogSink = (record) => {
  process.stderr.write(formatLogfmt(record) + '\n');
};

export function createLogger(options: { level?: LogLevel; sink?: LogSink; fields?: LogFields } = {}): Logger {
  return makeLogger(options.level ?? 'info', options.sink ?? stderrSink, options.fields ?? {});
}

function makeLogger(level: LogLevel, sink: LogSink, base: LogFields): Logger {
  const threshold = LEVEL_RANK[level];
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields): void => {
    if (LEVEL_RANK[lvl] < threshold) return;
    sink({ time: Date.now(), level: lvl, msg, fields: fields ? { ...base, ...fields } : base });
  };
  return {
    level,
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    isEnabled: (lvl) => LEVEL_RANK[lvl] >= threshold,
    child: (fields) => makeLogger(level, sink, { ...base, ...fields }),
  };
}
