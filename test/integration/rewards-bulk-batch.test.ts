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
import { BulkBatches } from '../../src/rewards/bulk/batches.js';
import { followBulkBatch, type BulkFollowContext } from '../../src/moderation/bulk-follow.js';
import type { AuditEntry } from '../../src/moderation/audit.js';
import type { Grant } from '../../src/rewards/ledger.js';

const PAID = '460000000000000001';
const OTHER = '460000000000000002';
const PARTIAL = '460000000000000003';
const NOBODY = '469999999999999999';

/** Bulk batches in the store suite: counted by their keys on both engines; each audited once, as a batch. */
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
      fake.addUser({ id: PARTIAL, coins: 10 });
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

    test('a batch the store queued only partly is still followed to one audit entry, which counts the members never queued', async () => {
      const batch: BulkBatch = {
        batchId: 'batch-partial',
        userIds: [PARTIAL, OTHER, NOBODY],
        coins: 2,
        reason: 'partly',
        invokerId: '7',
      };
      const entries: AuditEntry[] = [];
      const ctx: BulkFollowContext = {
        rewards,
        store,
        heliactyl,
        logger: silentLogger,
        audit: { record: async (entry) => void entries.push(entry) },
      };
      await new BulkBatches(store.db).record(batch, 'grace');
      // As when the store fails after the first grant: one of three is queued.
      await rewards.enqueue(bulkRequests(batch)[0]!);
      // Two processes follow it (the one that queued it, one that started meanwhile): one entry.
      const followers = [
        followBulkBatch(ctx, { batch, invokerName: 'grace' }),
        followBulkBatch(ctx, { batch, invokerName: 'grace' }),
      ];
      await Promise.all(followers.map((follower) => follower.done));
      assert.equal(entries.length, 1);
      const entry = entries[0]!;
      assert.deepEqual(entry.invoker, { id: '7', username: 'grace' });
      assert.equal(entry.result, 'partial');
      assert.equal(entry.detail, '1 granted, 0 failed, 0 unknown, 2 not queued (the store failed).');
      assert.deepEqual(entry.values, { members: 3, 'amount each': 2, total: 6, reason: 'partly' });
      assert.deepEqual(coinWrites(fake, PARTIAL), ['addcoins 2']);
      assert.deepEqual(coinWrites(fake, OTHER), [], 'a member never queued is not paid');
    });

    test('a batch is one row per member; enqueued twice it is still one; its counts and problems come from the ledger', async () => {
      const batch: BulkBatch = {
        batchId: 'batch-a',
        userIds: [PAID, NOBODY],
        coins: 5,
        reason: 'r',
        invokerId: '1',
      };
      const settledBefore = settled.length;
      const created = [];
      for (const request of [...bulkRequests(batch), ...bulkRequests(batch)])
        created.push((await rewards.enqueue(request)).created);
      assert.deepEqual(created, [true, true, false, false]);
      await settledCount(settledBefore + 2);
      const reader = new BatchReader(store.db, batch);
      assert.deepEqual(await reader.counts(), { granted: 1, failed: 1, unknown: 0, waiting: 0 });
      const problems = await reader.problems();
      assert.deepEqual(
        problems.map((g) => [g.userId, g.state, g.key]),
        [[NOBODY, 'failed', 'bulk:batch-a:469999999999999999']],
      );
      assert.deepEqual(coinWrites(fake, PAID), ['addcoins 5']);
      await rewards.stop(); // posts what is pending
      assert.equal(
        audits.map((a) => a.description ?? '').join('\n'),
        '',
        'bulk grants are audited once per batch (moderation/bulk-follow.ts), not in the automatic batches',
      );
    });

    test('a recorded batch: recorded once, listed until its audit is claimed, and claimed by one caller only', async () => {
      const batches = new BulkBatches(store.db, () => 1_000);
      const batch: BulkBatch = {
        batchId: 'batch-b',
        userIds: [OTHER, PAID],
        coins: 3,
        reason: 'winners',
        invokerId: '1',
      };
      await batches.record(batch, 'ada');
      await batches.record({ ...batch, coins: 999 }, 'someone else'); // a second Confirm changes nothing
      assert.deepEqual(await batches.unaudited(), [{ batch, invokerName: 'ada' }]);
      const claims = await Promise.all([batches.claimAudit('batch-b'), batches.claimAudit('batch-b')]);
      assert.deepEqual(claims.sort(), [false, true], 'two processes finishing the batch: one audit');
      assert.deepEqual(await batches.unaudited(), []);
      assert.equal(await batches.claimAudit('batch-b'), false);
      assert.equal(await batches.claimAudit('no-such-batch'), false);
    });

    test('a row whose member list is not a list of ids is not resumed (nothing is audited wrongly)', async () => {
      await store.db
        .insertInto('bulk_batches')
        .values({
          batch_id: 'batch-bad',
          invoker_id: '1',
          invoker_name: 'x',
          user_ids: '{"not":"a list"}',
          coins: 1,
          reason: 'r',
          created_at: 2_000,
          audited_at: null,
        })
        .execute();
      assert.deepEqual(await new BulkBatches(store.db).unaudited(), []);
    });
  });
}
