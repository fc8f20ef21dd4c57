import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeHeliactyl } from '../fakes/heliactyl.js';
import { storeEngines } from '../helpers/stores.js';
import { coinWrites, rewardsRig } from '../helpers/rewards-rig.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { openStore } from '../../src/store/database.js';
import { Ledger } from '../../src/rewards/ledger.js';
import { createKeyv, openStoreAdapter } from '../../src/vault/store.js';
import { sql } from 'kysely';

/** The store suite: the same exactly-once properties on SQLite and on a real Postgres. */
for (const engine of storeEngines) {
  describe(`rewards ledger on ${engine.name}`, { skip: engine.skip }, () => {
    let fake: FakeHeliactyl;
    let url: string;
    let cleanup: () => Promise<void>;
    let serial = 0;
    /** A dashboard user with a balance record, unique per test. */
    const newUser = (withRecord = true): string => {
      serial += 1;
      const id = `9000000000000${String(serial).padStart(5, '0')}`;
      fake.addUser(withRecord ? { id, coins: 100 } : { id });
      return id;
    };

    before(async () => {
      fake = await FakeHeliactyl.start();
      ({ url, cleanup } = await engine.create());
    });
    after(async () => {
      await fake.close();
      await cleanup();
    });

    test('the key vault (Keyv) lives on the same engine and database as the ledger', async () => {
      const store = await openStore(url);
      const keyv = createKeyv<string>(await openStoreAdapter(url), 'apikeys');
      try {
        await keyv.set('300000000000000001', 'sealed-record');
        assert.equal(await keyv.get('300000000000000001'), 'sealed-record');
        const tables = await store.db.introspection.getTables();
        const names = tables.map((table) => table.name);
        assert.ok(names.includes('grants'), names.join(','));
        assert.ok(names.includes('keyv'), names.join(','));
        if (engine.name === 'sqlite') {
          const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
          assert.equal(mode.rows[0]?.journal_mode, 'wal');
        }
      } finally {
        await keyv.disconnect();
        await store.close();
      }
    });

    test('concurrent enqueues of one key make one row and one addcoins', async () => {
      const rig = await rewardsRig(url, fake);
      try {
        const user = newUser();
        const results = await Promise.all(
          Array.from({ length: 20 }, () =>
            rig.ledger.enqueue({
              key: `daily:${user}:2026-11-30`,
              userId: user,
              coins: 50,
              source: 'daily',
              cause: { user },
            }),
          ),
        );
        assert.equal(new Set(results.map((r) => r.grant.id)).size, 1);
        assert.equal(results.filter((r) => r.created).length, 1);
        const [grant] = await rig.settledCount(1);
        assert.equal(grant?.state, 'granted');
        assert.equal(grant?.balanceAfter, 150);
        assert.deepEqual(coinWrites(fake, user), ['addcoins 50']);
        assert.equal(fake.user(user)?.coins, 150);
      } finally {
        await rig.close();
      }
    });

    test('a grant swallowed by the missing-record bug is completed with setcoins and recorded as repaired', async () => {
      const rig = await rewardsRig(url, fake);
      try {
        const user = newUser(false);
        await rig.ledger.enqueue({
          key: `vote:topgg:v-${user}`,
          userId: user,
          coins: 30,
          source: 'vote',
          cause: { provider: 'topgg' },
        });
        const [grant] = await rig.settledCount(1);
        assert.equal(grant?.state, 'granted');
        assert.equal(grant?.repaired, true);
        assert.equal(grant?.balanceAfter, 30);
        assert.deepEqual(coinWrites(fake, user), ['addcoins 30', 'setcoins 30']);
        assert.equal(fake.user(user)?.coins, 30);
      } finally {
        await rig.close();
      }
    });

    test('an unknown dashboard user fails the grant (certainly not applied) without a second try', async () => {
      const rig = await rewardsRig(url, fake);
      try {
        await rig.ledger.enqueue({
          key: 'api:t:nobody',
          userId: '123456789012345678',
          coins: 5,
          source: 'api',
          cause: {},
        });
        const [grant] = await rig.settledCount(1);
        assert.equal(grant?.state, 'failed');
        assert.match(grant?.detail ?? '', /no account with that id/);
        assert.deepEqual(coinWrites(fake, '123456789012345678'), ['addcoins 5']);
      } finally {
        await rig.close();
      }
    });

    test('a timed-out addcoins becomes unknown and is never sent again automatically', async () => {
      const rig = await rewardsRig(url, fake, { timeoutMs: 300 });
      try {
        const user = newUser();
        fake.faults.add({ fault: { kind: 'hang' }, method: 'POST', path: '/addcoins', times: 1 });
        await rig.ledger.enqueue({
          key: `code:X:${user}`,
          userId: user,
          coins: 7,
          source: 'code',
          cause: {},
        });
        const [grant] = await rig.settledCount(1);
        assert.equal(grant?.state, 'unknown');
        assert.match(grant?.detail ?? '', /may have reached the dashboard \(timeout\)/);
        // More work and more wake-ups: the unknown grant stays as it is.
        const other = newUser();
        await rig.ledger.enqueue({
          key: `code:X:${other}`,
          userId: other,
          coins: 7,
          source: 'code',
          cause: {},
        });
        await rig.settledCount(2);
        assert.deepEqual(coinWrites(fake, user), ['addcoins 7']);
        assert.equal((await rig.ledger.get(grant!.id))?.state, 'unknown');
      } finally {
        await rig.close();
      }
    });

    test('a 429 from the dashboard makes the grant wait, then it is paid once', async () => {
      const clock = new FakeClock();
      const rig = await rewardsRig(url, fake, { clock });
      try {
        const user = newUser();
        fake.faults.add({
          fault: { kind: 'rate_limit', retryAfterSeconds: 60 },
          method: 'POST',
          path: '/addcoins',
          times: 1,
        });
        await rig.ledger.enqueue({
          key: `role:R:${user}:1`,
          userId: user,
          coins: 9,
          source: 'role',
          cause: {},
        });
        await clock.sleepOfAtLeast(60_000);
        assert.equal((await rig.ledger.getByKey(`role:R:${user}:1`))?.state, 'queued');
        clock.advance(70_000);
        const [grant] = await rig.settledCount(1);
        assert.equal(grant?.state, 'granted');
        // The 429 reached no account: one answered addcoins in all.
        assert.equal(fake.user(user)?.coins, 109);
      } finally {
        await rig.close();
      }
    });

    test('a restart: queued grants are paid after it, one left in sending becomes unknown and is not resent', async () => {
      const clock = new FakeClock();
      const first = await openStore(url);
      const ledger = new Ledger(first.db, () => clock.now());
      const interrupted = newUser();
      const waiting = newUser();
      const { grant: sending } = await ledger.enqueue({
        key: `bulk:b1:${interrupted}`,
        userId: interrupted,
        coins: 11,
        source: 'bulk',
        cause: {},
      });
      await ledger.enqueue({
        key: `bulk:b1:${waiting}`,
        userId: waiting,
        coins: 12,
        source: 'bulk',
        cause: {},
      });
      // The process died after claiming the first grant (it may have sent its addcoins).
      assert.equal(await ledger.claim(sending.id, 'worker-of-the-dead-process'), true);
      await first.close();

      clock.advance(31_000);
      const rig = await rewardsRig(url, fake, { clock });
      try {
        const settled = await rig.settledCount(2);
        const byUser = new Map(settled.map((g) => [g.userId, g]));
        assert.equal(byUser.get(interrupted)?.state, 'unknown');
        assert.equal(byUser.get(waiting)?.state, 'granted');
        assert.deepEqual(coinWrites(fake, interrupted), []);
        assert.deepEqual(coinWrites(fake, waiting), ['addcoins 12']);
      } finally {
        await rig.close();
      }
    });

    test('a late settlement of a grant another process took as abandoned changes and reports nothing', async () => {
      const clock = new FakeClock();
      const store = await openStore(url);
      try {
        const ledger = new Ledger(store.db, () => clock.now());
        const user = newUser();
        const { grant } = await ledger.enqueue({
          key: `bulk:late:${user}`,
          userId: user,
          coins: 13,
          source: 'bulk',
          cause: {},
        });
        assert.equal(await ledger.claim(grant.id, 'slow-worker'), true);
        clock.advance(31_000);
        assert.deepEqual(
          (await ledger.settleAbandoned(30_000)).map((g) => g.state),
          ['unknown'],
        );
        // The slow worker's addcoins answers at last: its settlement is not reported a second time.
        assert.equal(await ledger.settle(grant.id, 'slow-worker', { state: 'granted' }), undefined);
        assert.equal((await ledger.get(grant.id))?.state, 'unknown');
      } finally {
        await store.close();
      }
    });

    test('two processes on one store racing over the same grants pay each exactly once', async () => {
      const a = await rewardsRig(url, fake, { startWorker: false });
      const b = await rewardsRig(url, fake, { startWorker: false });
      try {
        const users = Array.from({ length: 30 }, () => newUser());
        a.worker.start();
        b.worker.start();
        // Each process receives every grant (a webhook delivered to both, a retried API call).
        await Promise.all(
          users.flatMap((user) =>
            [a, b].map((rig) =>
              rig.ledger.enqueue({
                key: `vote:dbl:${user}:1`,
                userId: user,
                coins: 3,
                source: 'vote',
                cause: {},
              }),
            ),
          ),
        );
        await new Promise<void>((resolve) => {
          const check = (): void => {
            if (a.settled.length + b.settled.length >= users.length) resolve();
          };
          a.worker.onSettled(check);
          b.worker.onSettled(check);
          check();
        });
        for (const user of users) assert.deepEqual(coinWrites(fake, user), ['addcoins 3'], user);
        assert.equal(a.settled.length + b.settled.length, users.length);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
}
