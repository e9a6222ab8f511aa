/**
 * Kafka version ranges as written in message definitions: '0+' (0 and up), '3-7' (inclusive),
 * '5' (exactly one), 'none' (never).
 */
export interface VersionRange {
  readonly min: number;
  /** Inclusive; Infinity for an open range. */
  readonly max: number;
  /** True for 'none'. */
  readonly empty: boolean;
}

const cache = new Map<string, VersionRange>();

export function parseVersions(text: string): VersionRange {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const range = parseUncached(text);
  cache.set(text, range);
  return range;
}

function parseUncached(text: string): VersionRange {
  const t = text.trim();
  if (t === 'none') return { min: 0, max: -1, empty: true };
  let m = /^(\d+)\+$/.exec(t);
  if (m) return { min: Number(m[1]), max: Infinity, empty: false };
  m = /^(\d+)-(\d+)$/.exec(t);
  if (m) {
    const min = Number(m[1]);
    const max = Number(m[2]);
    if (max < min) throw new Error(`invalid version range '${text}': ${max} < ${min}`);
    return { min, max, empty: false };
  }
  m = /^(\d+)$/.exec(t);
  if (m) return { min: Number(m[1]), max: Number(m[1]), empty: false };
  throw new Error(`invalid version range '${text}' (want '0+', '3-7', '5' or 'none')`);
}

/** True when `version` lies in the range written as `text` (undefined means 'none'). */
export function inVersions(text: string | undefined, version: number): boolean {
  if (text === undefined) return false;
  const r = parseVersions(text);
  return !r.empty && version >= r.min && version <= r.max;
}

/** Every version of a closed range, e.g. validVersions '0-4' → [0, 1, 2, 3, 4]. */
export function listVersions(text: string): number[] {
  const r = parseVersions(text);
  if (r.empty) return [];
  if (r.max === Infinity) throw new Error(`cannot list the open range '${text}'`);
  const out: number[] = [];
  for (let v = r.min; v <= r.max; v++) out.push(v);
  return out;
}
