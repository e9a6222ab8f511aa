import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderApiTable, withApiTable } from '../../src/server/api-docs.js';
import { HANDLERS } from '../../src/server/handlers/index.js';

describe('supported-API table', () => {
  it('README holds the table generated from the handler registry (run `npm run docs`)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(withApiTable(readme)).toBe(readme);
  });

  it('lists every served API with its advertised range', () => {
    const table = renderApiTable();
    for (const h of HANDLERS) expect(table).toContain(`| ${h.apiKey} | ${h.api.name} | v${h.minVersion}–v${h.maxVersion} |`);
  });

  it('notices a handler whose range changed', () => {
    const changed = HANDLERS.map((h) => (h.apiKey === 18 ? { ...h, maxVersion: h.maxVersion - 1 } : h));
    expect(renderApiTable(changed)).not.toBe(renderApiTable());
  });
});
