/**
 * README sections generated from code (./api-docs.ts, ./config-docs.ts) sit between two HTML-comment
 * markers; these helpers swap such a block and rewrite README.md when a generator runs as a script.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Replaces the block from `start` to `end` (markers included) in `text` with `block`. */
export function replaceBlock(text: string, start: string, end: string, block: string, what: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README has no ${what} markers`);
  return text.slice(0, from) + block + text.slice(to + end.length);
}

/** When the module at `moduleUrl` is the script being run, rewrites README.md with `update`. */
export function rewriteReadmeIfMain(moduleUrl: string, update: (readme: string) => string): void {
  if (process.argv[1] === undefined || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  const readme = new URL('../../README.md', moduleUrl);
  writeFileSync(readme, update(readFileSync(readme, 'utf8')));
}
