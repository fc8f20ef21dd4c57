import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { AtomicHostClient } from '../../src/atomichost/client.js';
import { AtomicHostPort } from '../../src/watch/host.js';
import { LEASE_GRACE_MS } from '../../src/watch/lease.js';
import { SYNC_EVERY_MS } from '../../src/watch/manager.js';
import { prepareWatch } from '../../src/watch/prepare.js';
import type { FakeService } from '../fakes/atomichost/index.js';
import { runFor, startWatchRig, type WatchProcess } from '../helpers/watch-rig.js';
import { storeEngines, type StoreEngine } from '../helpers/stores.js';

const MIN = 60_000;
const ROLE = '500000000000000001';

/**
 * Several processes on one store (two WatchServices, each with its own
 * connection), against one fake AtomicHost and one fake Discord, on one
 * manual clock: each watched server is polled by exactly one of them.
 */
async function cluster(t: TestContext, engine: StoreEngine) {
  const rig = await startWatchRig(t, { engine });
  const { account, userId } = await rig.owner('steve');
  const client = new AtomicHostClient({ baseUrl: rig.atomichost.url, timeoutMs: 2000 });
  t.after(() => client.close());
  const host = new AtomicHostPort(client, rig.vault);
  const start = rig.startProcess;
  const server = (name: string) => rig.atomichost.addService({ name, ownerId: account.id });
  const watch = async (proc: WatchProcess, service: FakeService, channelId: string) => {
    const asked = await prepareWatch(host, userId, String(service.id), 5 * MIN);
    assert.ok(asked.ok);
    const outcome = await proc.manager.watch({
      ownerId: userId,
      serverId: String(service.id),
      serverName: service.name,
      dueDate: asked.prepared.dueDate,
      guildId: rig.discord.guildId,
      channelId,
      intervalMs: 5 * MIN,
      alertRoleId: ROLE,
    });
    assert.ok(outcome.ok);
    return outcome.panel;
  };
  const checks = (service: FakeService) =>
    rig.atomichost.requests.filter((r) => r.path === `/servers/${service.id}/status`).length;
  const panelsIn = (channelId: string) =>
    rig.discord.channelMessages(channelId).filter((m) => m.embeds.length > 0);
  const alertsIn = (channelId: string) =>
    rig.discord
      .channelMessages(channelId)
      .filter((m) => m.content)
      .map((m) => m.content);
  const description = (messageId: string) =>
    (rig.discord.message(messageId)?.embeds[0] as { description?: string } | undefined)?.description ?? '';
  return { ...rig, userId, start, server, watch, checks, panelsIn, alertsIn, description };
}

for (const engine of storeEngines) {
  describe(`watch across processes (${engine.name})`, { skip: engine.skip }, () => {
    test('two processes: one check per interval per server, and the lease holder keeps every panel of it current', async (t) => {
      const c = await cluster(t, engine);
      const survival = c.server('Survival');
      const creative = c.server('Creative');
      const first = c.discord.addTextChannel('first');
      const second = c.discord.addTextChannel('second');
      const one = await c.start();
      const two = await c.start();

      const inOne = await c.watch(one, survival, first.id);
      assert.ok(inOne.messageId, 'the process holding the lease posts at once');
      // The second process adds a panel of a server the first one polls, and watches another server itself.
      const inTwo = await c.watch(two, survival, second.id);
      assert.equal(inTwo.messageId, null, 'polled elsewhere: not posted by this process');
      await c.watch(two, creative, second.id);
      assert.equal(one.manager.pollerCount + two.manager.pollerCount, 2, 'one poller per server in all');

      await runFor(c.clock, c.all, SYNC_EVERY_MS, SYNC_EVERY_MS);
      const posted = c.panelsIn(second.id);
      assert.equal(posted.length, 2, "the lease holder posted the other process's panel at its next sync");
      const [stored] = (await two.repo.panelsOf(c.userId, String(survival.id))).filter(
        (p) => p.channelId === second.id,
      );
      assert.ok(stored?.messageId, 'its message is stored for whichever process polls next');

      const before = [c.checks(survival), c.checks(creative)];
      for (let interval = 1; interval <= 12; interval += 1) {
        await runFor(c.clock, c.all, 5 * MIN, MIN);
        assert.deepEqual(
          [c.checks(survival) - before[0]!, c.checks(creative) - before[1]!],
          [interval, interval],
          `after ${interval} intervals: one check each per interval, not one per process`,
        );
      }

      survival.state = 'offline';
      await runFor(c.clock, c.all, 5 * MIN, MIN);
      assert.match(c.description(inOne.messageId), /offline/);
      assert.match(c.description(stored.messageId), /offline/, 'the panel made in the other process too');
      const alert = `<@&${ROLE}> 🔴 **Survival** is offline (was running).`;
      assert.deepEqual(c.alertsIn(first.id), [alert]);
      assert.deepEqual(c.alertsIn(second.id), [alert], 'one alert per channel, not one per process');
      assert.equal(c.discord.rateLimitHits, 0);
    });

    test('a process that dies: its servers are taken over once the lease runs out, with the same messages and memory', async (t) => {
      const c = await cluster(t, engine);
      const survival = c.server('Survival');
      const channel = c.discord.addTextChannel('status');
      const one = await c.start();
      const two = await c.start();
      const panel = await c.watch(one, survival, channel.id);
      await runFor(c.clock, c.all, 10 * MIN, MIN); // checks at 0, 5 and 10 min
      assert.equal(c.checks(survival), 3);

      await one.kill(); // right after its check at 10 min: the next was planned at 15
      survival.state = 'offline';
      // The lease runs out at the planned check plus the grace: 17 min. The last sync before is at 16:30.
      const expiry = 5 * MIN + LEASE_GRACE_MS;
      await runFor(c.clock, c.all, expiry - SYNC_EVERY_MS, SYNC_EVERY_MS);
      assert.equal(c.checks(survival), 3, 'nobody polls while the dead process still holds the lease');
      assert.equal(two.manager.pollerCount, 0);

      await runFor(c.clock, c.all, SYNC_EVERY_MS, SYNC_EVERY_MS);
      assert.equal(c.checks(survival), 4, 'taken over at the first sync after the lease ran out');
      assert.equal(two.manager.pollerCount, 1);
      assert.match(c.description(panel.messageId!), /offline/, 'the same message, edited by the new holder');
      assert.equal(c.panelsIn(channel.id).length, 1, 'no second panel');
      assert.deepEqual(
        c.alertsIn(channel.id),
        [`<@&${ROLE}> 🔴 **Survival** is offline (was running).`],
        'the transition is judged against what the dead process saw',
      );
      const taken = c.checks(survival);
      await runFor(c.clock, c.all, 60 * MIN, MIN);
      assert.equal(c.checks(survival) - taken, 12, 'then one check per interval');
    });

    test('a clean stop hands over at once and keeps the cadence; unwatch in a process that does not poll stops the panel', async (t) => {
      const c = await cluster(t, engine);
      const survival = c.server('Survival');
      const channel = c.discord.addTextChannel('status');
      const one = await c.start();
      const panel = await c.watch(one, survival, channel.id);
      await runFor(c.clock, c.all, 12 * MIN, MIN); // checks at 0, 5, 10; the next is due at 15
      await one.stop();
      const two = await c.start();
      assert.equal(two.manager.pollerCount, 1, 'a released lease is taken at start');
      await runFor(c.clock, c.all, 2 * MIN, MIN);
      assert.equal(c.checks(survival), 3, 'no extra check at the hand-over');
      await runFor(c.clock, c.all, MIN, MIN);
      assert.equal(c.checks(survival), 4, 'the check planned at 15 min, by the new holder');

      const three = await c.start();
      assert.equal(await three.manager.unwatch(c.userId, String(survival.id)), 1);
      assert.match(c.description(panel.messageId!), /removed with `\/server unwatch`/);
      await runFor(c.clock, c.all, SYNC_EVERY_MS, SYNC_EVERY_MS);
      assert.equal(two.manager.pollerCount, 0, 'the holder let the server go at its next sync');
      const checks = c.checks(survival);
      await runFor(c.clock, c.all, 30 * MIN, 5 * MIN);
      assert.equal(c.checks(survival), checks, 'nobody polls it any more');
      assert.match(c.description(panel.messageId!), /removed with `\/server unwatch`/);
      const leases = await three.store.db.selectFrom('watch_leases').selectAll().execute();
      assert.deepEqual(leases, [], 'no lease left behind');
    });

    test('unwatched from another process while its holder was dead: a new watch later starts afresh, with no alert on its first check', async (t) => {
      const c = await cluster(t, engine);
      const survival = c.server('Survival');
      const channel = c.discord.addTextChannel('status');
      const one = await c.start();
      const two = await c.start();
      const panel = await c.watch(one, survival, channel.id);
      await one.kill();
      assert.equal(await two.manager.unwatch(c.userId, String(survival.id)), 1);
      assert.match(c.description(panel.messageId!), /removed with `\/server unwatch`/);
      await runFor(c.clock, c.all, 5 * MIN + LEASE_GRACE_MS, SYNC_EVERY_MS);

      survival.state = 'offline';
      const again = await c.watch(two, survival, channel.id);
      assert.match(c.description(again.messageId!), /offline/);
      assert.deepEqual(c.alertsIn(channel.id), [], 'what the dead process remembered is not a transition');
    });
  });
}
