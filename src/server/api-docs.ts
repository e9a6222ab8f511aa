/**
 * Renders the supported-API table (README "Supported APIs") from the handler registry, the same list
 * that drives dispatch and the ApiVersions answer, so the documentation cannot drift from what the
 * broker serves. test/server/api-docs.test.ts checks the README holds the current rendering;
 * `node --import tsx src/server/api-docs.ts` rewrites it.
 */
import { parseVersions } from '../protocol/schema/versions.js';
import type { AnyHandler } from './handler.js';
import { HANDLERS } from './handlers/index.js';
import { replaceBlock, rewriteReadmeIfMain } from './readme-block.js';

export const API_TABLE_START = '<!-- api-table:start (generated from src/server/handlers/index.ts) -->';
export const API_TABLE_END = '<!-- api-table:end -->';

function flexibleFrom(handler: AnyHandler): string {
  const spec = handler.api.request.flexibleVersions;
  if (spec === 'none') return '—';
  const first = Math.max(parseVersions(spec).min, handler.minVersion);
  return first > handler.maxVersion ? '—' : `v${first}`;
}

function row(handler: AnyHandler): string {
  return `| ${handler.apiKey} | ${handler.api.name} | v${handler.minVersion}–v${handler.maxVersion} | ${flexibleFrom(handler)} |`;
}

export function renderApiTable(handlers: readonly AnyHandler[] = HANDLERS): string {
  const rows = [...handlers].sort((a, b) => a.apiKey - b.apiKey).map(row);
  return [
    API_TABLE_START,
    '',
    '| key | API | versions | flexible (tagged fields) from |',
    '|---|---|---|---|',
    ...rows,
    '',
    API_TABLE_END,
  ].join('\n');
}

/** Replaces the generated block in `text` (README contents). */
export function withApiTable(text: string): string {
  return replaceBlock(text, API_TABLE_START, API_TABLE_END, renderApiTable(), 'api-table');
}

rewriteReadmeIfMain(import.meta.url, withApiTable);
