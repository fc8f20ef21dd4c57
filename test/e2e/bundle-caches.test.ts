import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
// The options `npm run build` bundles the bot with (plain JavaScript, shared with scripts/build.mjs).
import { bundleOptions } from '../../scripts/bundle-options.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * discord.js's Options.cacheWithLimits finds each manager's cache limit by
 * the manager's class name, and a bundle renames classes that share a name
 * with another module's (UserManager → UserManager2): the bot's trimmed
 * caches silently became unbounded ones, and every user who ever clicked
 * stayed in memory. The bot now keys its limits by the classes themselves
 * (src/bot/client.ts). This bundles the bot's client factory exactly as
 * `npm run build` does, runs it under node, and checks what the cache keeps.
 */
test('issue13 item 3: the bundled client keeps the cache limits (users are not cached)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostlink-bundle-'));
  try {
    const clientModule = join(ROOT, 'src/bot/client.ts');
    writeFileSync(
      join(dir, 'probe.ts'),
      `import { createDiscordClient } from ${JSON.stringify(clientModule)};
const client = createDiscordClient({ DISCORD_API_URL: 'http://127.0.0.1:9/api' } as never);
// As after login: the cache keeps the bot's own user (keepOverLimit asks for its id).
(client as unknown as { user: { id: string } }).user = { id: '999999999999999999' };
const users = client.users as unknown as { _add(data: unknown): unknown; cache: Map<string, unknown> };
for (let i = 0; i < 50; i += 1)
  users._add({ id: String(100000000000000000n + BigInt(i)), username: 'member' + i, discriminator: '0', avatar: null, global_name: null });
console.log(JSON.stringify({ cachedUsers: users.cache.size }));
void client.destroy();
`,
    );
    await build({
      ...(bundleOptions as object),
      absWorkingDir: ROOT,
      entryPoints: { probe: join(dir, 'probe.ts') },
      outdir: join(dir, 'out'),
      sourcemap: false,
    });
    const run = spawnSync(process.execPath, [join(dir, 'out/probe.js')], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 0, run.stderr.slice(-2000));
    const seen = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { cachedUsers: number };
    assert.equal(seen.cachedUsers, 0, '50 users seen, none kept');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
