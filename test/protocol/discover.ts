/** Finds every API declared in src/protocol/messages (one module per API key), for table-driven tests. */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ApiSpec } from '../../src/protocol/schema/dsl.js';

export const MESSAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../src/protocol/messages');

function isApi(x: unknown): x is ApiSpec {
  const a = x as ApiSpec;
  return a !== null && typeof a === 'object' && typeof a.key === 'number' && typeof a.request === 'object' && typeof a.response === 'object';
}

export async function discoverApis(): Promise<Array<{ file: string; api: ApiSpec }>> {
  const out: Array<{ file: string; api: ApiSpec }> = [];
  for (const f of readdirSync(MESSAGES_DIR).sort()) {
    if (!/^\d+-.*\.ts$/.test(f)) continue;
    const mod = (await import(pathToFileURL(join(MESSAGES_DIR, f)).href)) as Record<string, unknown>;
    for (const value of Object.values(mod)) if (isApi(value) && !out.some((o) => o.api === value)) out.push({ file: f, api: value });
  }
  return out;
}
