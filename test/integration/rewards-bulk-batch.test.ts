import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIEmbed } from 'discord.js';
import { FakeHeliactyl } from '../fakes/heliactyl.js';
import { storeEngines } from '../helpers/stores.js';
import { coinWrites } from '../helpers/rewards-rig.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { openStore, type RelationalStore } from '../../src/store/database.js';
import { Rewards } from '../../src/rewards/rewards.js';
import { HeliactylClient } from '../../src/heliactyl/client.js';
import { RequestPacer } from '../../src/heliactyl/pacer.js';
import { BatchReader, bulkRequests, type BulkBatch } from '../../src/rewards/bulk/batch.js';
import type { Grant } from '../../src/rewards/ledger.js';

const PAID = '460000000000000001';
const OTHER = '460000000000000002';
const NOBODY = '469999999999999999';

/** Bulk batches in the store suite: counted by their keys on both engines; audited once, by whom follows them. */
for (const engine of storeEngines) {
  describe(`bulk grant batches on ${engine.name}`, { skip: engine.skip }, () => {
    let fake: FakeHeliactyl;
    let store: RelationalStore;
    let cleanup: () => Promise<void>;
    let heliactyl: HeliactylClient;
    let rewards: Rewards;
    const audits: APIEmbed[] = [];
    const settled: Grant[] = [];
    const waiters: Array<() => void> = [];
    const settledCount = (count: number): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => (settled.length >= count ? resolve() : void waiters.push(check));
        check();
      });

    before(async () => {
      fake = await FakeHeliactyl.start();
      fake.addUser({ id: PAID, coins: 10 });
      fake.addUser({ id: OTHER, coins: 10 });
      let url: string;
      ({ url, cleanup } = await engine.create());
      store = await openStore(url);
      const clock = new FakeClock(Date.now());
      heliactyl = new HeliactylClient({
        baseUrl: fake.url,
        apiKey: fake.apiKey,
        timeoutMs: 5_000,
        pacer: new RequestPacer({ clock }),
      });
      rewards = new Rewards({
        store,
        heliactyl,
        logger: silentLogger,
        audit: { postEmbed: async (embed) => void audits.push(embed) },
        thanks: { thank: async () => undefined },
        clock,
        httpTimeoutMs: 5_000,
      });
      rewards.onSettled((grant) => {
        settled.push(grant);
        for (const waiter of waiters.splice(0)) waiter();
      });
      rewards.start();
    });
    after(async () => {
      await rewards.stop();
      await heliactyl.close();
      await store.close();
      await fake.close();
      await cleanup();
    });

    test('a batch is one row per member; enqueued twice it is still one; its counts and problems come from the ledger', async () => {
      const batch: BulkBatch = {
        batchId: 'batch-a',
        userIds: [PAID, NOBODY],
        coins: 5,
        reason: 'r',
        invokerId: '1',
      };
      const release = rewards.followBatch(batch.batchId);
      const created = [];
      for (const request of [...bulkRequests(batch), ...bulkRequests(batch)])
        created.push((await rewards.enqueue(request)).created);
      assert.deepEqual(created, [true, true, false, false]);
      await settledCount(2);
      const reader = new BatchReader(store.db, batch);
      assert.deepEqual(await reader.counts(), { granted: 1, failed: 1, unknown: 0, waiting: 0 });
      const problems = await reader.problems();
      assert.deepEqual(
        problems.map((g) => [g.userId, g.state, g.key]),
        [[NOBODY, 'failed', 'bulk:batch-a:469999999999999999']],
      );
      assert.deepEqual(coinWrites(fake, PAID), ['addcoins 5']);
      release();
      assert.equal(
        audits.map((a) => a.description ?? '').join('\n'),
        '',
        'a followed batch is audited by its command, not in the automatic batches',
      );
    });

    test('a batch nobody follows (the bot restarted) is still audited, in the automatic batches', async () => {
      const batch: BulkBatch = {
        batchId: 'batch-b',
        userIds: [OTHER],
        coins: 3,
        reason: 'r',
        invokerId: '1',
      };
      for (const request of bulkRequests(batch)) await rewards.enqueue(request);
      await settledCount(3);
      await rewards.stop(); // posts what is pending
      const lines = audits.map((a) => a.description ?? '').join('\n');
      assert.match(lines, new RegExp(`✅ <@${OTHER}> \\+3 · bulk`));
      assert.doesNotMatch(lines, new RegExp(PAID));
    });
  });
}
