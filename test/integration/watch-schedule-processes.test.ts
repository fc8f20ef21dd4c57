import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { SENDING_MARGIN_MS } from '../../src/watch/scheduler.js';
import type { FakeService } from '../fakes/atomichost/index.js';
import { runFor, startWatchRig, type WatchProcess } from '../helpers/watch-rig.js';
import { storeEngines, type StoreEngine } from '../helpers/stores.js';

const MIN = 60_000;
const DAY = 86_400_000;
const UPSTREAM_TIMEOUT_MS = 2000; // the rig's AtomicHost client timeout
const WARNINGS = [
  'say Server restarting in 10 minutes',
  'say Server restarting in 5 minutes',
  'say Server restarting in 1 minute',
  'say Server restarting in 10 seconds',
];

/** Several processes on one store (each its own connection), one fake AtomicHost, one fake Discord, one manual clock. */
async function cluster(t: TestContext, engine: StoreEngine, syncEveryMs?: number) {
  const rig = await startWatchRig(t, { engine, ...(syncEveryMs ? { syncEveryMs } : {}) });
  const { account, userId } = await rig.owner('alex');
  const channel = rig.discord.addTextChannel('ops');
  const start = rig.startProcess;
  const server = (name: string) => rig.atomichost.addService({ name, ownerId: account.id });
  const add = (proc: WatchProcess, service: FakeService, runAt: number, warn = true) =>
    proc.schedules.add({
      ownerId: userId,
      serverId: String(service.id),
      serverName: service.name,
      signal: 'restart',
      runAt,
      warn,
      channelId: channel.id,
    });
  const said = () => rig.discord.channelMessages(channel.id).map((m) => m.content);
  return { ...rig, userId, channel, start, server, add, said };
}

for (const engine of storeEngines) {
  describe(`schedules and reminders across processes (${engine.name})`, { skip: engine.skip }, () => {
    test('two processes: each console warning and the signal reach AtomicHost once, whichever process added the schedule', async (t) => {
      const c = await cluster(t, engine);
      const skyblock = c.server('Skyblock');
      const lobby = c.server('Lobby');
      const one = await c.start();
      const now = c.clock.wallNow();
      await c.add(one, skyblock, now + 15 * MIN);
      const two = await c.start(); // arms the stored schedule too
      await c.add(two, lobby, now + 16 * MIN); // reaches the first process at its next sync

      await runFor(c.clock, c.all, 20 * MIN, 10_000);
      assert.deepEqual(skyblock.commands, WARNINGS, 'each warning once, not once per process');
      assert.deepEqual(lobby.commands, WARNINGS);
      assert.deepEqual(skyblock.powerHistory, ['restart']);
      assert.deepEqual(lobby.powerHistory, ['restart']);
      assert.deepEqual(c.said(), [
        '✅ Sent the scheduled **restart** of **Skyblock**.',
        '✅ Sent the scheduled **restart** of **Lobby**.',
      ]);
    });

    test('a schedule added in a process that then dies is warned about and run by another', async (t) => {
      const c = await cluster(t, engine);
      const skyblock = c.server('Skyblock');
      const survivor = await c.start();
      const doomed = await c.start();
      await c.add(doomed, skyblock, c.clock.wallNow() + 15 * MIN);
      await doomed.kill(); // no cleanup: the row stays pending

      await runFor(c.clock, survivor, 20 * MIN, 10_000);
      assert.deepEqual(skyblock.commands, WARNINGS);
      assert.deepEqual(skyblock.powerHistory, ['restart']);
      assert.deepEqual(c.said(), ['✅ Sent the scheduled **restart** of **Skyblock**.']);
    });

    test('a process restarting while another sends the signal does not call that send cut off; a send left by a dead process is, once', async (t) => {
      const c = await cluster(t, engine, 60 * MIN); // only the sender knows the schedule at run time
      const skyblock = c.server('Skyblock');
      const sender = await c.start();
      const other = await c.start();
      await c.add(sender, skyblock, c.clock.wallNow() + 10 * MIN, false);
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        c.atomichost.faults.add({
          method: 'POST',
          path: '/power',
          times: 1,
          fault: { kind: 'hold', until: new Promise<void>((r) => (release = r)), onHeld: resolve },
        });
      });
      await c.clock.advance(10 * MIN);
      await held; // the signal is in flight from `sender`

      await other.stop();
      const restarted = await c.start();
      await restarted.settled();
      assert.deepEqual(c.said(), [], 'not reported as cut off while it is being sent');
      release();
      await sender.settled();
      await runFor(c.clock, restarted, 60 * MIN, 30 * MIN);
      assert.deepEqual(c.said(), ['✅ Sent the scheduled **restart** of **Skyblock**.']);
      assert.deepEqual(skyblock.powerHistory, ['restart']);

      // A process that died between marking a send and hearing back: reported once its send cannot be in flight.
      const cut = await c.add(restarted, skyblock, c.clock.wallNow() + 60 * MIN, false);
      assert.ok(await restarted.repo.startSending(cut.id, c.clock.wallNow()));
      const late = await c.start();
      await late.settled();
      await runFor(c.clock, c.all, UPSTREAM_TIMEOUT_MS + SENDING_MARGIN_MS - 1000, 1000);
      assert.equal(c.said().length, 1, 'still within the bound: maybe in flight elsewhere');
      await runFor(c.clock, c.all, 2 * 60 * MIN, 30 * MIN); // the next syncs of both processes
      const reports = c.said().filter((m) => /was being sent when Hostlink stopped/.test(m ?? ''));
      assert.equal(reports.length, 1, 'reported by one process');
      assert.deepEqual(skyblock.powerHistory, ['restart'], 'never sent again');
    });

    test('renewal reminder with two processes: one DM per due date, one read of the due dates a day', async (t) => {
      // Nothing here needs a quick sync; an hourly one keeps the week-long run quick.
      const c = await cluster(t, engine, 60 * MIN);
      const skyblock = c.server('Skyblock');
      skyblock.dueDate = new Date(c.clock.wallNow() + 5 * DAY);
      const one = await c.start();
      await one.reminders.set(c.userId, String(skyblock.id), 'Skyblock', 3 * DAY);
      await c.start(); // finds the reminder at start
      const reads = () =>
        c.atomichost.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/servers')).length;
      await runFor(c.clock, c.all, 6 * DAY, 60 * MIN);
      const dms = c.discord.dms(c.userId).map((m) => m.content);
      assert.equal(dms.length, 1, 'one DM, not one per process');
      assert.match(dms[0]!, /\*\*Skyblock\*\* is due for renewal/);
      assert.ok(reads() <= 7, `${reads()} reads of /servers in 6 days by two processes`);
    });
  });
}
