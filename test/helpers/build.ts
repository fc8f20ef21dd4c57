import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What `npm run build` compiles, and what changes its output. */
const INPUTS = [
  'src',
  'commands',
  'deploy-commands.ts',
  'tsconfig.json',
  'scripts/build.mjs',
  'scripts/bundle-options.mjs',
  'package-lock.json',
];
const OUTPUTS = ['dist/src/index.js', 'dist/src/shard.js'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...readdirSync(path, { recursive: true, encoding: 'utf8' }).map(
      (file) => statSync(join(path, file)).mtimeMs,
    ),
  );
}

/**
 * Makes sure dist/ holds the code in the tree, as `npm start` runs it:
 * `npm ci` builds it (the prepare script), so in CI this is only a check;
 * after an edit it runs `npm run build` (like bench/footprint).
 */
export function ensureBuilt(): void {
  const outputs = OUTPUTS.map((file) => join(ROOT, file));
  const built = outputs.every(existsSync) ? Math.min(...outputs.map((file) => statSync(file).mtimeMs)) : 0;
  const sources = Math.max(...INPUTS.map((input) => newestMtime(join(ROOT, input))));
  if (built > sources) return;
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
}
