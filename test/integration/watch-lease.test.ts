import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type RelationalStore } from '../../src/store/database.js';
import { watchTablesOf } from '../../src/store/watch-view.js';
import { LEASE_GRACE_MS, StoreLease } from '../../src/watch/lease.js';
import { SYNC_EVERY_MS } from '../../src/watch/manager.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { runFor, startWatchRig } from '../helpers/watch-rig.js';
import { storeEngines } from '../helpers/stores.js';

const MIN = 60_000;

for (const engine of storeEngines) {
  describe(`poller lease in the store (${engine.name})`, { skip: engine.skip }, () => {
    test('of five processes taking one lease at once exactly one gets it; it passes on only when released or expired', async (t) => {
      const made = await engine.create();
      const stores: RelationalStore[] = [];
      t.after(async () => {
        for (const store of stores) await store.close();
        await made.cleanup();
      });
      for (let i = 0; i < 5; i += 1) stores.push(await openStore(made.url));
      const clock = new ManualClock(0, Date.UTC(2026, 5, 1));
      const leases = stores.map((s, i) => new StoreLease(watchTablesOf(s.db), clock, `process-${i}`));

      const taken = await Promise.all(leases.map((l) => l.acquire('42')));
      assert.equal(taken.filter(Boolean).length, 1, 'exactly one holder');
      const holder = leases[taken.findIndex(Boolean)]!;
      const others = leases.filter((l) => l !== holder);
      const nextCheckAt = clock.wallNow() + 5 * MIN;
      assert.equal(await holder.renew('42', nextCheckAt), true);
      assert.equal(await others[0]!.renew('42', nextCheckAt), false, 'only the holder renews');
      assert.deepEqual([...(await others[0]!.heldElsewhere())], ['42']);

      await clock.advance(5 * MIN + LEASE_GRACE_MS - 1);
      assert.equal(await others[0]!.acquire('42'), undefined, 'not before it expires');
      await clock.advance(1);
      assert.deepEqual(await others[0]!.acquire('42'), { nextCheckAt }, 'expired: taken over, with its plan');
      assert.equal(
        await holder.renew('42', clock.wallNow() + 5 * MIN),
        false,
        'the old holder learns it lost',
      );

      await others[0]!.release('42');
      assert.deepEqual(await others[1]!.acquire('42'), { nextCheckAt }, 'released: taken at once');
      await others[1]!.forget('42');
      assert.deepEqual(await holder.heldElsewhere(), new Set());
    });

    test('a poller whose lease another process took stops polling, and takes the server back when that one is gone', async (t) => {
      const rig = await startWatchRig(t, { engine });
      const { account, userId } = await rig.owner('steve');
      const service = rig.atomichost.addService({ name: 'Survival', ownerId: account.id });
      const channel = rig.discord.addTextChannel('status');
      const proc = await rig.startProcess();
      const outcome = await proc.manager.watch({
        ownerId: userId,
        serverId: String(service.id),
        serverName: 'Survival',
        dueDate: null,
        guildId: rig.discord.guildId,
        channelId: channel.id,
        intervalMs: 5 * MIN,
        alertRoleId: null,
      });
      assert.ok(outcome.ok);
      const checks = () => rig.atomichost.requests.filter((r) => r.path.endsWith('/status')).length;
      const before = checks();

      // Another process took it over (this one was paused past its lease): its row says so.
      const until = rig.clock.wallNow() + 20 * MIN;
      await proc.store.db
        .updateTable('watch_leases')
        .set({ owner: 'another-process', expires_at: until })
        .execute();
      await runFor(rig.clock, proc, 15 * MIN, MIN);
      assert.equal(checks(), before, 'no check without the lease');
      assert.equal(proc.manager.pollerCount, 0);

      await runFor(rig.clock, proc, 5 * MIN + SYNC_EVERY_MS, SYNC_EVERY_MS);
      assert.equal(proc.manager.pollerCount, 1, 'its lease ran out: taken back');
      assert.equal(checks(), before + 1);
    });
  });
}
