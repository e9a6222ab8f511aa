/** The server-side assignors a broker offers (group.consumer.assignors picks and orders them). */
import type { Assignor } from './assignor.js';
import { rangeAssignor } from './range.js';
import { uniformAssignor } from './uniform.js';

export type { Assignor, AssignorInput, AssignorMember } from './assignor.js';
export { rangeAssignor, uniformAssignor };

export const BUILTIN_ASSIGNORS: ReadonlyMap<string, Assignor> = new Map([
  [uniformAssignor.name, uniformAssignor],
  [rangeAssignor.name, rangeAssignor],
]);

/**
 * Assignors named by group.consumer.assignors, in order (the first is the default). Kafka also accepts
 * class names; Brook knows its two built-ins by name and by Kafka's class names.
 */
export function resolveAssignors(names: readonly string[]): Assignor[] {
  const out: Assignor[] = [];
  for (const raw of names) {
    const name = raw.trim();
    const a =
      BUILTIN_ASSIGNORS.get(name) ??
      (name.endsWith('.UniformAssignor') ? uniformAssignor : name.endsWith('.RangeAssignor') ? rangeAssignor : undefined);
    if (a === undefined) throw new Error(`group.consumer.assignors: unknown assignor '${name}' (Brook offers uniform, range)`);
    if (!out.includes(a)) out.push(a);
  }
  if (out.length === 0) out.push(uniformAssignor, rangeAssignor);
  return out;
}
