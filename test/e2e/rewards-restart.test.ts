import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FakeHeliactyl } from '../fakes/heliactyl.js';
import { startProcess, type BotProcess } from '../helpers/bot-process.js';
import { coinWrites } from '../helpers/rewards-rig.js';
import { openStore } from '../../src/store/database.js';
import { RewardSettings } from '../../src/rewards/settings.js';
import { Ledger } from '../../src/rewards/ledger.js';

const DBL_SECRET = 'dbl-restart-secret';
const INTERRUPTED = '410000000000000001';
const WAITING = '410000000000000002';
/** A cold start of the bot under tsx on a loaded 2-core machine. */
const STARTUP_MS = 60_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let discord: FakeDiscord;
let heliactyl: FakeHeliactyl;
before(async () => {
  discord = await FakeDiscord.start();
  heliactyl = await FakeHeliactyl.start();
  heliactyl.addUser({ id: INTERRUPTED, coins: 5 });
  heliactyl.addUser({ id: WAITING, coins: 5 });
});
after(async () => {
  await heliactyl.close();
  await discord.close();
});

test('issue12: a bot killed mid-send loses no vote: after the restart the waiting grant is paid, the interrupted one is unknown and not resent', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'hostlink-restart-'));
  const storeUrl = `sqlite://${join(cwd, 'data', 'hostlink.sqlite')}`;
  const seed = await openStore(storeUrl);
  await new RewardSettings(seed.db).setVoteCoins(20);
  await seed.close();
  const port = await freePort();
  const env = {
    DISCORD_TOKEN: discord.botToken,
    DISCORD_API_URL: discord.apiUrl,
    HELIACTYL_URL: heliactyl.url,
    HELIACTYL_API_KEY: heliactyl.apiKey,
    ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    HTTP_PORT: String(port),
    DBL_WEBHOOK_SECRET: DBL_SECRET,
    // Generous, so a cold restart on a busy machine does not time out the waiting grant's
    // own addcoins (that would rightly make it unknown); the interrupted one is judged
    // abandoned 3 × this + 5 s after it was claimed.
    HTTP_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'info',
  };
  const vote = (userId: string) =>
    fetch(`http://127.0.0.1:${port}/webhooks/dbl`, {
      method: 'POST',
      headers: { authorization: DBL_SECRET, 'content-type': 'application/json' },
      body: JSON.stringify({ id: userId, username: 'voter' }),
    });

  let bot: BotProcess = startProcess(env, { cwd });
  try {
    await bot.waitForLog((line) => line.msg === 'HTTP server listening', STARTUP_MS);
    // The first addcoins reaches the dashboard and never returns; the bot dies meanwhile.
    const hanging = new Promise<void>((resolve) =>
      heliactyl.faults.add({
        fault: { kind: 'hang' },
        method: 'POST',
        path: '/addcoins',
        times: 1,
        onMatched: resolve,
      }),
    );
    assert.equal((await vote(INTERRUPTED)).status, 200);
    await hanging;
    assert.equal((await vote(WAITING)).status, 200);
    bot.child.kill('SIGKILL');
    await bot.waitForExit();

    bot = startProcess(env, { cwd });
    const interrupted = await bot.waitForLog(
      (line) => String(line.msg).startsWith('A grant was interrupted while being sent'),
      STARTUP_MS,
    );
    assert.equal(interrupted.userId, INTERRUPTED);
    await bot.waitForLog(
      (line) => line.msg === 'Audit: grant granted' && line.userId === WAITING,
      STARTUP_MS,
    );
    // The same vote delivered again after the restart is acknowledged and not paid twice.
    assert.equal((await vote(WAITING)).status, 200);
    assert.equal(await bot.stop(), 0);
  } finally {
    if (bot.child.exitCode === null) await bot.stop();
  }
  assert.deepEqual(
    coinWrites(heliactyl, INTERRUPTED),
    ['addcoins 20'],
    'sent once, before the crash; not resent',
  );
  assert.deepEqual(coinWrites(heliactyl, WAITING), ['addcoins 20']);
  assert.equal(heliactyl.user(WAITING)?.coins, 25);
  const store = await openStore(storeUrl);
  const ledger = new Ledger(store.db);
  assert.deepEqual(await ledger.countByState(), { queued: 0, sending: 0, granted: 1, failed: 0, unknown: 1 });
  await store.close();
});
