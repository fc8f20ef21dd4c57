import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { prepareWatch } from '../../src/watch/prepare.js';
import { AtomicHostPort } from '../../src/watch/host.js';
import { AtomicHostClient } from '../../src/atomichost/client.js';
import { runFor, startWatchRig } from '../helpers/watch-rig.js';
import { storeEngines, type StoreEngine } from '../helpers/stores.js';

const MIN = 60_000;
const ROLE = '500000000000000001';

/** A rig with one owner, one running server and a panel on it (5 min) in a fresh channel. */
async function watched(
  t: TestContext,
  options: { engine: StoreEngine; state?: 'running' | 'offline'; intervalMs?: number },
) {
  // One process here: a sync every 5 min (not 30 s) keeps the day-long runs quick.
  const rig = await startWatchRig(t, { engine: options.engine, syncEveryMs: 5 * MIN });
  const { account, userId } = await rig.owner('steve');
  const service = rig.atomichost.addService({
    name: 'Survival',
    ownerId: account.id,
    state: options.state ?? 'running',
  });
  const channel = rig.discord.addTextChannel('status');
  const proc = await rig.startProcess();
  const intervalMs = options.intervalMs ?? 5 * MIN;
  const client = new AtomicHostClient({ baseUrl: rig.atomichost.url, timeoutMs: 2000 });
  t.after(() => client.close());
  const asked = await prepareWatch(
    new AtomicHostPort(client, rig.vault),
    userId,
    String(service.id),
    intervalMs,
  );
  assert.ok(asked.ok);
  const outcome = await proc.manager.watch({
    ownerId: userId,
    serverId: String(service.id),
    serverName: asked.prepared.serverName,
    dueDate: asked.prepared.dueDate,
    guildId: rig.discord.guildId,
    channelId: channel.id,
    intervalMs,
    alertRoleId: ROLE,
  });
  assert.ok(outcome.ok, 'the panel is posted');
  const messageId = outcome.panel.messageId!;
  const statusRequests = () => rig.atomichost.requests.filter((r) => r.path.endsWith('/status')).length;
  const panelEdits = () => rig.discord.channelEdits.filter((e) => e.messageId === messageId);
  const alerts = () => rig.discord.channelMessages(channel.id).filter((m) => m.id !== messageId && m.content);
  const panelText = (id = messageId) => {
    const embed = rig.discord.message(id)?.embeds[0] as { description?: string } | undefined;
    return embed?.description ?? '';
  };
  return {
    ...rig,
    account,
    userId,
    service,
    channel,
    proc,
    asked: asked.prepared,
    messageId,
    statusRequests,
    panelEdits,
    alerts,
    panelText,
  };
}

for (const engine of storeEngines) {
  describe(`watch panels (${engine.name})`, { skip: engine.skip }, () => {
    test('a day of watching: edits only on shown changes, alerts only on transitions, credits as promised', async (t) => {
      const w = await watched(t, { engine });
      const { clock, proc, service } = w;
      assert.match(w.panelText(), /running\*\* · up since <t:\d+:R>\nChecked every 5 min\./);
      assert.equal(w.asked.cost.perDay, 289);

      await runFor(clock, proc.manager, 60 * MIN, 5 * MIN);
      assert.equal(w.panelEdits().length, 0, 'nothing shown changed, so no edit');
      service.resources.network_rx_bytes += 5000; // not shown on the panel
      service.state = 'offline';
      await runFor(clock, proc.manager, 60 * MIN, 5 * MIN);
      service.state = 'starting'; // on the way: shown, but no alert
      await runFor(clock, proc.manager, 5 * MIN, 5 * MIN);
      service.state = 'running';
      await runFor(clock, proc.manager, 60 * MIN, 5 * MIN);
      service.resources.cpu_absolute = 73.25;
      await runFor(clock, proc.manager, 24 * 60 * MIN - 185 * MIN - 5 * MIN, 5 * MIN);

      assert.equal(w.panelEdits().length, 4, 'offline, starting, running, CPU: one edit each');
      assert.match(w.panelText(), /running\*\* · up since/);
      const alerts = w.alerts().map((m) => m.content);
      assert.deepEqual(alerts, [
        `<@&${ROLE}> 🔴 **Survival** is offline (was running).`,
        `<@&${ROLE}> 🟢 **Survival** is running again (was offline).`,
      ]);
      const posts = w.discord.requests
        .filter((r) => r.method === 'POST' && r.path.endsWith(`/channels/${w.channel.id}/messages`))
        .map((r) => r.body as { content?: string; allowed_mentions?: unknown });
      assert.equal(posts.length, 3, 'the panel and two alerts');
      for (const post of posts) {
        const allowed = post.content ? [ROLE] : [];
        assert.deepEqual(
          post.allowed_mentions,
          { parse: [], roles: allowed },
          'nobody but the alert role is pinged',
        );
      }
      assert.equal(w.account.creditsUsed, w.asked.cost.perDay, 'a day costs what the confirmation said');
      assert.equal(w.discord.rateLimitHits, 0);
    });

    test('no alert on the first check, one after 3 unreachable checks, then backing off on 5xx and 429', async (t) => {
      const w = await watched(t, { engine, state: 'offline' });
      const { clock, proc, service } = w;
      assert.equal(w.alerts().length, 0, 'the first check is not a transition');

      service.backendDown = true;
      await runFor(clock, proc.manager, 10 * MIN, 5 * MIN);
      assert.equal(w.alerts().length, 0, 'two failed checks are not yet an outage');
      await runFor(clock, proc.manager, 5 * MIN, 5 * MIN);
      assert.deepEqual(
        w.alerts().map((m) => m.content),
        [`<@&${ROLE}> ⚪ **Survival** has been unreachable for 3 checks in a row.`],
      );
      assert.match(w.panelText(), /unreachable\*\* since/);
      const before = w.statusRequests();
      await runFor(clock, proc.manager, 60 * MIN, 5 * MIN);
      assert.ok(
        w.statusRequests() - before <= 5,
        `backs off while down (${w.statusRequests() - before} checks in 1 h)`,
      );
      assert.equal(w.alerts().length, 1, 'no repeated alert while it stays down');

      service.backendDown = false;
      await runFor(clock, proc.manager, 60 * MIN, 5 * MIN);
      assert.equal(w.alerts().at(-1)?.content, `<@&${ROLE}> 🔁 **Survival** is reachable again (offline).`);

      w.atomichost.faults.add({
        fault: { kind: 'rate_limit', retryAfterSeconds: 1800 },
        path: '/status',
        times: 1,
      });
      const at429 = w.statusRequests();
      await runFor(clock, proc.manager, 30 * MIN, 5 * MIN);
      assert.equal(w.statusRequests() - at429, 1, 'after a 429 nothing is asked until Retry-After passed');
      await runFor(clock, proc.manager, 5 * MIN, 5 * MIN);
      assert.equal(w.statusRequests() - at429, 2);
    });

    test('credits under 10 %: polls hourly and says so on the panel', async (t) => {
      const w = await watched(t, { engine });
      w.account.creditsUsed = 2300;
      await runFor(w.clock, w.proc.manager, 5 * MIN, 5 * MIN);
      assert.match(w.panelText(), /Under 10 % of today’s credits left: checked hourly/);
      const before = w.statusRequests();
      await runFor(w.clock, w.proc.manager, 120 * MIN, 5 * MIN);
      assert.equal(w.statusRequests() - before, 2, 'one check an hour');
    });

    test('a restarted process keeps editing the same message; a deleted one is posted afresh', async (t) => {
      const w = await watched(t, { engine });
      await runFor(w.clock, w.proc.manager, 10 * MIN, 5 * MIN);
      await w.proc.stop();

      const second = await w.startProcess();
      w.service.state = 'offline';
      await runFor(w.clock, second.manager, 10 * MIN, 5 * MIN);
      assert.equal(w.panelEdits().length, 1, 'the stored message was edited');
      assert.match(w.panelText(), /offline/);
      assert.equal(w.alerts().length, 1, 'the transition across the restart is alerted once');
      await second.stop();

      w.discord.deleteMessage(w.messageId);
      const third = await w.startProcess();
      await runFor(w.clock, third.manager, 10 * MIN, 5 * MIN);
      assert.equal(
        w.discord.channelMessages(w.channel.id).filter((m) => m.embeds.length > 0).length,
        0,
        'nothing changed: no new post yet',
      );
      w.service.state = 'running';
      await runFor(w.clock, third.manager, 5 * MIN, 5 * MIN);
      const panels = w.discord.channelMessages(w.channel.id).filter((m) => m.embeds.length > 0);
      assert.equal(panels.length, 1, 'one fresh panel');
      const [stored] = await third.repo.panels();
      assert.equal(stored?.messageId, panels[0]!.id, 'the fresh message is the one stored');
      await third.stop();

      const fourth = await w.startProcess();
      w.service.resources.cpu_absolute = 12;
      await runFor(w.clock, fourth.manager, 5 * MIN, 5 * MIN);
      assert.equal(w.discord.channelEdits.filter((e) => e.messageId === panels[0]!.id).length, 1);
    });

    const STOPS = [
      {
        name: '/server unwatch',
        cause: async (w: Awaited<ReturnType<typeof watched>>) => {
          assert.equal(await w.proc.manager.unwatch(w.userId, String(w.service.id)), 1);
        },
        text: /removed with `\/server unwatch`/,
      },
      {
        name: 'key removed',
        cause: async (w: Awaited<ReturnType<typeof watched>>) => {
          await w.vault.delete(w.userId);
        },
        text: /API key was removed or revoked/,
      },
      {
        name: 'key revoked',
        cause: (w: Awaited<ReturnType<typeof watched>>) => {
          w.atomichost.regenerateKey(w.account.id);
          return Promise.resolve();
        },
        text: /API key was removed or revoked/,
      },
      {
        name: 'server gone',
        cause: (w: Awaited<ReturnType<typeof watched>>) => {
          w.atomichost.removeService(w.service.id);
          return Promise.resolve();
        },
        text: /server no longer exists/,
      },
      {
        name: 'channel deleted',
        cause: (w: Awaited<ReturnType<typeof watched>>) => {
          w.discord.deleteChannel(w.channel.id);
          w.service.state = 'offline';
          return Promise.resolve();
        },
        text: null,
      },
      {
        name: 'bot lost access',
        cause: (w: Awaited<ReturnType<typeof watched>>) => {
          w.discord.denyAccess(w.channel.id);
          w.service.state = 'offline';
          return Promise.resolve();
        },
        text: null,
      },
    ];

    for (const stop of STOPS) {
      test(`the panel stops cleanly when: ${stop.name}`, async (t) => {
        const w = await watched(t, { engine });
        await stop.cause(w);
        await runFor(w.clock, w.proc.manager, 5 * MIN, 5 * MIN);
        assert.deepEqual(await w.proc.repo.panels(), [], 'the panel is no longer stored');
        if (stop.text) assert.match(w.panelText(), stop.text);
        const requests = w.atomichost.requests.length;
        await runFor(w.clock, w.proc.manager, 60 * MIN, 5 * MIN);
        assert.equal(w.atomichost.requests.length, requests, 'no more polling');
        assert.equal(w.proc.manager.pollerCount, 0);
      });
    }

    test('one poller per server serves every panel of it; a deleted channel stops its panel at once', async (t) => {
      const w = await watched(t, { engine });
      const second = w.discord.addTextChannel('status-2');
      const outcome = await w.proc.manager.watch({
        ownerId: w.userId,
        serverId: String(w.service.id),
        serverName: 'Survival',
        dueDate: null,
        guildId: w.discord.guildId,
        channelId: second.id,
        intervalMs: 5 * MIN,
        alertRoleId: null,
      });
      assert.ok(outcome.ok);
      assert.equal(w.proc.manager.pollerCount, 1);
      const before = w.statusRequests();
      await runFor(w.clock, w.proc.manager, 60 * MIN, 5 * MIN);
      assert.equal(w.statusRequests() - before, 12, 'one check per interval for both panels');
      w.service.state = 'offline';
      await runFor(w.clock, w.proc.manager, 5 * MIN, 5 * MIN);
      assert.match(w.panelText(outcome.panel.messageId!), /offline/);
      assert.match(w.panelText(), /offline/);

      w.discord.deleteChannel(second.id);
      assert.equal(await w.proc.manager.channelsGone('channel-gone', (p) => p.channelId === second.id), 1);
      assert.deepEqual(
        (await w.proc.repo.panels()).map((p) => p.channelId),
        [w.channel.id],
      );
    });
  });
}
