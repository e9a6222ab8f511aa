import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_DEFS } from '../../src/server/config-defs.js';
import { renderConfigTable, withConfigTable } from '../../src/server/config-docs.js';

describe('configuration reference', () => {
  it('README holds the table generated from config-defs (run `node --import tsx src/server/config-docs.ts`)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(withConfigTable(readme)).toBe(readme);
  });

  it('lists every property once per scope', () => {
    const table = renderConfigTable();
    for (const def of CONFIG_DEFS) expect(table).toContain(`\`${def.name}\``);
  });
});
