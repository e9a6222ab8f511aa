/**
 * Renders the configuration table (README "Configuration reference") from ./config-defs.ts, so the
 * documentation cannot drift from what the broker parses. test/server/config-docs.test.ts checks the
 * README holds the current rendering; `node --import tsx src/server/config-docs.ts` rewrites it.
 */
import { CONFIG_DEFS, type ConfigDef } from './config-defs.js';
import { replaceBlock, rewriteReadmeIfMain } from './readme-block.js';

export const TABLE_START = '<!-- config-table:start (generated from src/server/config-defs.ts) -->';
export const TABLE_END = '<!-- config-table:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function row(def: ConfigDef): string {
  const name = def.brook ? `\`${def.name}\` (Brook)` : `\`${def.name}\``;
  const dflt = def.default === null ? '—' : `\`${def.default}\``;
  const extra = def.synonym ? ` Default from \`${def.synonym}\`.` : '';
  return `| ${name} | ${def.type} | ${cell(dflt)} | ${cell(def.doc + extra)} |`;
}

export function renderConfigTable(): string {
  const defs = CONFIG_DEFS as readonly ConfigDef[];
  const head = '| property | type | default | meaning |\n|---|---|---|---|';
  const broker = defs.filter((d) => d.scope === 'broker').map(row).join('\n');
  const topic = defs.filter((d) => d.scope === 'topic').map(row).join('\n');
  return [
    TABLE_START,
    '',
    '**Broker properties** (server.properties, `--override`, `startBroker({ config })`):',
    '',
    head,
    broker,
    '',
    '**Topic properties** (per topic, via CreateTopics / AlterConfigs; the default comes from the broker property named):',
    '',
    head,
    topic,
    '',
    TABLE_END,
  ].join('\n');
}

/** Replaces the generated block in `text` (README contents). */
export function withConfigTable(text: string): string {
  return replaceBlock(text, TABLE_START, TABLE_END, renderConfigTable(), 'config-table');
}

rewriteReadmeIfMain(import.meta.url, withConfigTable);
