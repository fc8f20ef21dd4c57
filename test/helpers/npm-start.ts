import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The bot as `npm start` runs it: package.json's start script, read rather
 * than repeated, so tests and benchmarks start it with the same node flags
 * an operator's `npm start` does. The script is `node [flags…] <entry>`.
 */
export function npmStart(): { compiled: string; nodeArgs: string[] } {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: { start: string } };
  const [program, ...args] = pkg.scripts.start.split(/\s+/).filter(Boolean);
  const compiled = args.pop();
  if (program !== 'node' || !compiled?.endsWith('.js'))
    throw new Error(`the start script is not "node [flags] <file>.js": ${pkg.scripts.start}`);
  return { compiled, nodeArgs: args };
}
