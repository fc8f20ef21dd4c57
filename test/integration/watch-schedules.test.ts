import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleCost } from '../../src/watch/cost.js';
import { runFor, startWatchRig } from '../helpers/watch-rig.js';
import { storeEngines, type StoreEngine } from '../helpers/stores.js';

const MIN = 60_000;
const DAY = 86_400_000;

async function rig(t: TestContext, engine: StoreEngine) {
  // Nothing here needs the panel sync; a slow one keeps the month-long runs quick.
  const r = await startWatchRig(t, { engine, syncEveryMs: 60 * MIN });
  const { account, userId } = await r.owner('alex');
  const service = r.atomichost.addService({ name: 'Skyblock', ownerId: account.id });
  const channel = r.discord.addTextChannel('ops');
  const proc = await r.startProcess();
  const add = (p: typeof proc, runAt: number, options: { warn?: boolean; channelId?: string | null } = {}) =>
    p.schedules.add({
      ownerId: userId,
      serverId: String(service.id),
      serverName: 'Skyblock',
      signal: 'restart',
      runAt,
      warn: options.warn ?? true,
      channelId: options.channelId === undefined ? channel.id : options.channelId,
    });
  const said = () => r.discord.channelMessages(channel.id).map((m) => m.content);
  return { ...r, account, userId, service, channel, proc, add, said };
}

for (const engine of storeEngines) {
  describe(`schedules and reminders (${engine.name})`, { skip: engine.skip }, () => {
    test('a warned restart: console announcements at 10 min, 5 min, 1 min and 10 s, then the signal, for the promised credits', async (t) => {
      const w = await rig(t, engine);
      const runAt = w.clock.wallNow() + 15 * MIN;
      await w.add(w.proc, runAt);
      await runFor(w.clock, w.proc, 5 * MIN, 5 * MIN);
      assert.deepEqual(w.service.commands, ['say Server restarting in 10 minutes']);
      await runFor(w.clock, w.proc, 9 * MIN, MIN);
      assert.deepEqual(w.service.commands.slice(1), [
        'say Server restarting in 5 minutes',
        'say Server restarting in 1 minute',
      ]);
      await runFor(w.clock, w.proc, 50_000, 50_000);
      assert.equal(w.service.commands.at(-1), 'say Server restarting in 10 seconds');
      assert.deepEqual(w.service.powerHistory, [], 'not before its time');
      await runFor(w.clock, w.proc, 10_000, 10_000);
      assert.deepEqual(w.service.powerHistory, ['restart']);
      assert.deepEqual(w.said(), ['✅ Sent the scheduled **restart** of **Skyblock**.']);
      assert.equal(w.account.creditsUsed, scheduleCost(true), 'the credits the confirmation showed');
      await runFor(w.clock, w.proc, 60 * MIN, 5 * MIN);
      assert.deepEqual(w.service.powerHistory, ['restart'], 'run once');
    });

    test('schedules survive a restart; one found less than 5 min late runs at once, a later one is reported missed by DM', async (t) => {
      const w = await rig(t, engine);
      const now = w.clock.wallNow();
      await w.add(w.proc, now + 60 * MIN, { warn: false });
      await w.add(w.proc, now + 10 * MIN, { warn: false, channelId: null });
      await w.add(w.proc, now + 15 * MIN, { warn: false, channelId: null });
      await w.proc.stop();
      await w.clock.advance(18 * MIN); // the bot is down: 8 and 3 minutes late
      const second = await w.startProcess();
      await second.settled();
      assert.deepEqual(
        w.service.powerHistory,
        ['restart'],
        'the 3 min late one ran at once, the other did not',
      );
      const dms = w.discord.dms(w.userId).map((m) => m.content);
      assert.equal(dms.length, 2);
      assert.match(dms[0]!, /was missed while Hostlink was down \(8 min late\), so it was not run/);
      assert.equal(dms[1], '✅ Sent the scheduled **restart** of **Skyblock**.');
      await runFor(w.clock, second, 45 * MIN, 5 * MIN);
      assert.deepEqual(w.service.powerHistory, ['restart', 'restart'], 'the stored one still runs on time');
    });

    test('a signal cut off mid-send is reported and never sent again; a cancelled one never runs', async (t) => {
      const w = await rig(t, engine);
      const sending = await w.add(w.proc, w.clock.wallNow() + 30 * MIN, { warn: false });
      const cancelled = await w.add(w.proc, w.clock.wallNow() + 30 * MIN, { warn: true });
      assert.equal(
        await w.proc.schedules.cancel('someone-else', cancelled.id),
        false,
        'only its owner may cancel',
      );
      assert.equal(await w.proc.schedules.cancel(w.userId, cancelled.id), true);
      await w.proc.stop();
      // As if the process died between marking it and hearing back from AtomicHost.
      const second = await w.startProcess();
      second.schedules.stop();
      assert.ok(await second.repo.moveSchedule(sending.id, 'pending', 'sending'));
      await second.stop();
      const third = await w.startProcess();
      await runFor(w.clock, third, 60 * MIN, 5 * MIN);
      assert.deepEqual(w.service.powerHistory, []);
      assert.deepEqual(w.service.commands, []);
      assert.match(w.said().join('\n'), /was being sent when Hostlink stopped; it was not sent again/);
    });

    test('renewal reminder: one DM per due date, due dates read at most once a day', async (t) => {
      const w = await rig(t, engine);
      w.service.dueDate = new Date(w.clock.wallNow() + 10 * DAY);
      await w.proc.reminders.set(w.userId, String(w.service.id), 'Skyblock', 3 * DAY);
      const reads = () =>
        w.atomichost.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/servers')).length;
      assert.equal(reads(), 1);
      await runFor(w.clock, w.proc, 6 * DAY + 23 * 60 * MIN, 60 * MIN);
      assert.equal(w.discord.dms(w.userId).length, 0, 'not before 3 days ahead');
      await runFor(w.clock, w.proc, 2 * 60 * MIN, 60 * MIN);
      const dms = w.discord.dms(w.userId).map((m) => m.content);
      assert.equal(dms.length, 1);
      assert.match(dms[0]!, /\*\*Skyblock\*\* is due for renewal <t:\d+:R>/);
      await w.proc.stop();
      const second = await w.startProcess();
      await runFor(w.clock, second, 5 * DAY, 60 * MIN);
      assert.equal(w.discord.dms(w.userId).length, 1, 'once per due date, across a restart');
      w.service.dueDate = new Date(w.clock.wallNow() + 30 * DAY); // renewed
      await runFor(w.clock, second, 28 * DAY, 60 * MIN);
      assert.equal(w.discord.dms(w.userId).length, 2, 'the next due date gets its own reminder');
      const days = Math.ceil((w.clock.wallNow() - Date.UTC(2026, 5, 1)) / DAY);
      assert.ok(reads() <= days + 1, `${reads()} reads of /servers in ${days} days`);
    });

    test('an outage at run time: the owner is told, and the signal is not retried', async (t) => {
      const w = await rig(t, engine);
      await w.add(w.proc, w.clock.wallNow() + 10 * MIN, { warn: false });
      w.service.backendDown = true;
      await runFor(w.clock, w.proc, 10 * MIN, 5 * MIN);
      w.service.backendDown = false;
      await runFor(w.clock, w.proc, 60 * MIN, 5 * MIN);
      assert.deepEqual(w.service.powerHistory, []);
      const posts = w.atomichost.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/power'));
      assert.equal(posts.length, 1, 'sent once');
      assert.match(
        w.said().join('\n'),
        /The outcome of the scheduled \*\*restart\*\* of \*\*Skyblock\*\* is unknown \(.+\)\. It was not retried/,
      );
    });
  });
}
