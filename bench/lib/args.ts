/**
 * Command-line flags in the style of Kafka's tools: `--name value`, `--name v1 v2 …` (every token up to
 * the next `--flag`, as `--producer-props k=v k=v` takes them) and bare `--name` switches.
 */
export class Args {
  private readonly values = new Map<string, string[]>();

  constructor(argv: readonly string[]) {
    let current: string[] | undefined;
    for (const token of argv) {
      if (token.startsWith('--') && token.length > 2) {
        const eq = token.indexOf('=');
        // `--name=value` as well as `--name value`; `--producer.config` style names keep their dots.
        const name = eq > 0 ? token.slice(2, eq) : token.slice(2);
        current = this.values.get(name) ?? [];
        this.values.set(name, current);
        if (eq > 0) current.push(token.slice(eq + 1));
      } else if (current !== undefined) current.push(token);
      else throw new Error(`unexpected argument "${token}"`);
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  list(name: string): string[] {
    return this.values.get(name) ?? [];
  }

  string(name: string): string | undefined;
  string(name: string, def: string): string;
  string(name: string, def?: string): string | undefined {
    const v = this.values.get(name);
    return v !== undefined && v.length > 0 ? v[v.length - 1]! : def;
  }

  number(name: string): number | undefined;
  number(name: string, def: number): number;
  number(name: string, def?: number): number | undefined {
    const s = this.string(name);
    if (s === undefined) return def;
    const n = Number(s);
    if (!Number.isFinite(n)) throw new Error(`--${name} expects a number, got "${s}"`);
    return n;
  }

  /** A comma-separated list flag (`--sizes 100,1024`), or the default. */
  csv(name: string, def: readonly string[]): string[] {
    const s = this.string(name);
    return s === undefined ? [...def] : s.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
  }

  /** Names that were given but are not in `known` (to reject typos). */
  unknown(known: readonly string[]): string[] {
    return [...this.values.keys()].filter((k) => !known.includes(k));
  }
}

/** `k=v` tokens (and properties-file lines) into a map; later keys win. */
export function parseProps(tokens: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of tokens) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`expected key=value, got "${raw}"`);
    out.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}
