/**
 * `npm run bench [-- name …]`: runs each benchmark in its own process, one
 * after another (they share two cores; running them together would measure
 * the contention). Extra `--flag value` arguments are passed through.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const all = readdirSync(dir)
  .filter((file) => file.endsWith('.ts') && !['run.ts', 'stats.ts'].includes(file))
  .map((file) => file.replace(/\.ts$/, ''));
const args = process.argv.slice(2);
const flagStart = args.findIndex((a) => a.startsWith('--'));
const names = (flagStart < 0 ? args : args.slice(0, flagStart)).filter(Boolean);
const flags = flagStart < 0 ? [] : args.slice(flagStart);
const selected = names.length > 0 ? names : all;

/**
 * Node flags of a benchmark's own process (the harness and its fakes, not
 * the bot, which is started as `npm start` runs it). rewards-claim stamps
 * acks on the harness's event loop, so the harness's own full collections
 * must not land in a rush (they did: 5–16 ms, counted as the bot's): it
 * collects before each rush, and V8 leaves it room for a whole rush after.
 */
const HARNESS_FLAGS: Record<string, string[]> = {
  'rewards-claim': ['--expose-gc', '--heap-growing-percent=400'],
};

let failed = false;
for (const name of selected) {
  if (!all.includes(name)) {
    console.error(`No benchmark "${name}"; available: ${all.join(', ')}`);
    process.exit(1);
  }
  const harness = HARNESS_FLAGS[name] ?? [];
  const run = spawnSync(process.execPath, [...harness, '--import', 'tsx', `${dir}${name}.ts`, ...flags], {
    stdio: 'inherit',
  });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
