import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeHeliactyl } from '../fakes/heliactyl.js';
import { sqliteEngine } from '../helpers/stores.js';
import { coinWrites, rewardsRig } from '../helpers/rewards-rig.js';

test(
  'issue12 item 16: the grant worker pays a queued grant only once its turn comes (behind the acks of a rush)',
  { timeout: 60_000 },
  async () => {
    const fake = await FakeHeliactyl.start();
    const { url, cleanup } = await sqliteEngine.create();
    let turnAsked!: () => void;
    const asked = new Promise<void>((resolve) => (turnAsked = resolve));
    let giveTurn!: () => void;
    const turn = new Promise<void>((resolve) => (giveTurn = resolve));
    const rig = await rewardsRig(url, fake, {
      startWorker: false,
      waitTurn: () => {
        turnAsked();
        return turn;
      },
    });
    try {
      const user = '900000000000077001';
      fake.addUser({ id: user, coins: 100 });
      await rig.ledger.enqueue({
        key: `daily:${user}:2026-11-30`,
        userId: user,
        coins: 50,
        source: 'daily',
        cause: {},
      });
      rig.worker.start();
      const first = await Promise.race([
        asked.then(() => 'turn asked'),
        rig.settledCount(1).then(() => 'paid'),
      ]);
      assert.equal(first, 'turn asked', 'the worker waits for its turn before paying');
      assert.deepEqual(coinWrites(fake, user), [], 'nothing is paid while the turn is not given');
      giveTurn();
      const [grant] = await rig.settledCount(1);
      assert.equal(grant?.state, 'granted');
      assert.deepEqual(coinWrites(fake, user), ['addcoins 50']);
    } finally {
      await rig.close();
      await fake.close();
      await cleanup();
    }
  },
);
