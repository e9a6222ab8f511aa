/**
 * Long-running hostile-input fuzzing of every protocol decoder (the CI variant is
 * test/protocol/hostile-input.test.ts). Runs rounds with fresh seeds until the time budget is spent.
 *
 *   npx tsx scripts/fuzz-protocol.ts [--seconds 300] [--per-api 100000] [--seed 1] [--api Produce]
 *
 * Exits 1 and prints the failing inputs (hex) when any decoder throws something other than
 * ProtocolError, returns a value larger than its input, or returns a value that does not re-encode.
 */
import { discoverApis } from '../test/protocol/discover.js';
import { fuzzApi } from '../test/protocol/fuzz-core.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const seconds = Number(arg('seconds', '300'));
const perApi = Number(arg('per-api', '100000'));
let seed = Number(arg('seed', String(Date.now() % 1_000_000)));
const only = arg('api', '');

const apis = (await discoverApis()).filter(({ api }) => only === '' || api.name === only);
const deadline = Date.now() + seconds * 1000;
let total = 0;
let round = 0;
console.log(`fuzzing ${apis.length} APIs, ${perApi} inputs per API per round, for ${seconds}s, first seed ${seed}`);
while (Date.now() < deadline) {
  round++;
  for (const { api } of apis) {
    const stats = fuzzApi(api, perApi, seed++);
    total += stats.inputs;
    if (stats.failures.length > 0) {
      console.error(`FAIL ${api.name} (seed ${seed - 1}):`);
      for (const f of stats.failures) console.error(`  ${f.message} v${f.version}: ${f.error}\n    input ${f.input}`);
      process.exit(1);
    }
    if (Date.now() >= deadline) break;
  }
  console.log(`round ${round}: ${total.toLocaleString()} inputs so far, no failures`);
}
console.log(`done: ${total.toLocaleString()} inputs, no failures`);
