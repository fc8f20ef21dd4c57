import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { storeEngines } from '../helpers/stores.js';
import { openStore, type RelationalStore } from '../../src/store/database.js';
import { Ledger } from '../../src/rewards/ledger.js';
import { RewardCodes } from '../../src/rewards/codes.js';
import { CodeHasher } from '../../src/rewards/code-secret.js';
import { redeemCode, type RedeemOutcome } from '../../src/rewards/redeem.js';
import { Standings } from '../../src/rewards/standings.js';

const NOW = Date.UTC(2026, 10, 30, 12);
const ADMIN = '300000000000000001';
const secret = randomBytes(32);

/** One "process": its own store connection, ledger and code store. */
interface Proc {
  store: RelationalStore;
  ledger: Ledger;
  codes: RewardCodes;
}

async function openProc(url: string, secrets: Buffer[] = [secret]): Promise<Proc> {
  const store = await openStore(url);
  return {
    store,
    ledger: new Ledger(store.db, () => NOW),
    codes: new RewardCodes(store.db, new CodeHasher(secrets)),
  };
}

function redeem(proc: Proc, text: string, userId: string, now = NOW): Promise<RedeemOutcome> {
  return redeemCode(
    {
      codes: proc.codes,
      enqueue: (request) => proc.ledger.enqueue(request),
      grantByKey: (key) => proc.ledger.getByKey(key),
      accountExists: () => Promise.resolve(true),
    },
    { text, userId, now },
  );
}

const member = (n: number): string => `5100000000000${String(n).padStart(5, '0')}`;

/** The store suite for codes: the same limits on SQLite and on a real Postgres. */
for (const engine of storeEngines) {
  describe(`reward codes on ${engine.name}`, { skip: engine.skip }, () => {
    let url: string;
    let cleanup: () => Promise<void>;
    let one: Proc;
    let two: Proc;

    before(async () => {
      ({ url, cleanup } = await engine.create());
      one = await openProc(url);
      two = await openProc(url);
    });
    after(async () => {
      await one.store.close();
      await two.store.close();
      await cleanup();
    });

    test('issue12: 40 members racing from two processes for a 7-use code: exactly 7 are paid, the rest are told it is used up', async () => {
      const code = await one.codes.create(
        { code: 'RACE7', coins: 25, usesTotal: 7, expiresAt: null, createdBy: ADMIN },
        NOW,
      );
      assert.ok(code !== 'duplicate');
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, i) => redeem(i % 2 === 0 ? one : two, 'race7', member(i))),
      );
      const kinds = outcomes.map((o) => o.kind);
      assert.equal(kinds.filter((k) => k === 'redeemed').length, 7, kinds.join(','));
      assert.equal(kinds.filter((k) => k === 'used_up').length, 33, kinds.join(','));
      const grants = await one.ledger.list(['queued'], 100);
      const forCode = grants.filter((g) => g.key.startsWith(`code:${code.id}:`));
      assert.equal(forCode.length, 7);
      assert.ok(forCode.every((g) => g.coins === 25 && g.source === 'code'));
      assert.equal((await two.codes.get(code.id))?.usesCount, 7);
    });

    test('issue12: one member redeeming the same code 12 times at once from two processes is paid once and uses one use', async () => {
      const code = await one.codes.create(
        { code: 'ONCE-EACH', coins: 10, usesTotal: 50, expiresAt: null, createdBy: ADMIN },
        NOW,
      );
      assert.ok(code !== 'duplicate');
      const who = member(900);
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) => redeem(i % 2 === 0 ? one : two, 'once-each', who)),
      );
      const kinds = outcomes.map((o) => o.kind);
      assert.equal(kinds.filter((k) => k === 'redeemed').length, 1, kinds.join(','));
      assert.equal(kinds.filter((k) => k === 'already').length, 11, kinds.join(','));
      assert.equal((await one.codes.get(code.id))?.usesCount, 1);
      assert.equal((await one.ledger.history(who)).length, 1);
      const again = await redeem(two, 'ONCE-EACH', who);
      assert.equal(again.kind, 'already');
    });

    test('issue12: wrong, malformed, expired and revoked codes take no use and record no grant', async () => {
      const expiring = await one.codes.create(
        { code: 'SOON', coins: 5, usesTotal: 3, expiresAt: NOW + 1000, createdBy: ADMIN },
        NOW,
      );
      const revoked = await one.codes.create(
        { code: 'GONE', coins: 5, usesTotal: 3, expiresAt: null, createdBy: ADMIN },
        NOW,
      );
      assert.ok(expiring !== 'duplicate' && revoked !== 'duplicate');
      assert.equal(await two.codes.revoke(revoked.id, NOW), true);
      assert.equal(await one.codes.revoke(revoked.id, NOW), false, 'revoked once');
      const who = member(901);
      assert.equal((await redeem(one, 'NOPE1', who)).kind, 'unknown');
      assert.equal((await redeem(one, 'no spaces!', who)).kind, 'malformed');
      assert.equal((await redeem(one, 'SOON', who, NOW + 1000)).kind, 'expired');
      assert.equal((await redeem(one, 'GONE', who)).kind, 'revoked');
      assert.equal(
        await one.codes.takeUse(expiring.id, NOW + 1000),
        false,
        'the store refuses an expired use',
      );
      assert.equal(await one.codes.takeUse(revoked.id, NOW), false, 'the store refuses a revoked use');
      assert.equal((await one.codes.get(expiring.id))?.usesCount, 0);
      assert.equal((await one.codes.get(revoked.id))?.usesCount, 0);
      assert.deepEqual(await one.ledger.history(who), []);
      assert.equal((await redeem(one, ' soon ', who, NOW)).kind, 'redeemed', 'before expiry, any case');
    });

    test('issue12: the store itself refuses a use count past the total (check constraint)', async () => {
      const code = await one.codes.create(
        { code: 'CHECKED', coins: 5, usesTotal: 1, expiresAt: null, createdBy: ADMIN },
        NOW,
      );
      assert.ok(code !== 'duplicate');
      await assert.rejects(
        one.store.db.updateTable('reward_codes').set({ uses_count: 2 }).where('id', '=', code.id).execute(),
      );
    });

    test('issue12: codes are stored as keyed hashes: no plaintext, another secret finds nothing, an old secret still does', async () => {
      const code = await one.codes.create(
        { code: 'SECRET-PLAINTEXT-42', coins: 5, usesTotal: 1, expiresAt: null, createdBy: ADMIN },
        NOW,
      );
      assert.ok(code !== 'duplicate');
      assert.equal(code.hint, 'SE•••••••••••••••••');
      const rows = await one.store.db.selectFrom('reward_codes').selectAll().execute();
      assert.ok(!JSON.stringify(rows).includes('SECRET-PLAINTEXT'), 'no plaintext in reward_codes');
      const stranger = await openProc(url, [randomBytes(32)]);
      const rotated = await openProc(url, [randomBytes(32), secret]);
      try {
        assert.equal(await stranger.codes.find('SECRET-PLAINTEXT-42'), undefined);
        const before = (await one.store.db
          .selectFrom('reward_codes')
          .select('code_hash')
          .where('id', '=', code.id)
          .executeTakeFirst())!.code_hash;
        assert.equal(
          (await rotated.codes.find('SECRET-PLAINTEXT-42'))?.id,
          code.id,
          'found with the previous key',
        );
        const after = (await one.store.db
          .selectFrom('reward_codes')
          .select('code_hash')
          .where('id', '=', code.id)
          .executeTakeFirst())!.code_hash;
        assert.notEqual(after, before, 're-hashed under the current key');
        assert.equal(
          (await redeem(rotated, 'secret-plaintext-42', member(902))).kind,
          'redeemed',
          'and redeemed',
        );
      } finally {
        await stranger.store.close();
        await rotated.store.close();
      }
      assert.equal(
        await one.codes.create(
          { code: 'CHECKED', coins: 1, usesTotal: 1, expiresAt: null, createdBy: ADMIN },
          NOW,
        ),
        'duplicate',
      );
    });

    test('issue12: the leaderboard sums granted coins only, most first, ties by id, paged', async () => {
      const { url: boardUrl, cleanup: dropBoard } = await engine.create();
      const proc = await openProc(boardUrl);
      try {
        const pay = async (user: string, coins: number, n: number, state: 'granted' | 'failed') => {
          const { grant } = await proc.ledger.enqueue({
            key: `t:${user}:${n}`,
            userId: user,
            coins,
            source: 'api',
            cause: {},
          });
          await proc.store.db.updateTable('grants').set({ state }).where('id', '=', grant.id).execute();
        };
        await pay(member(1), 100, 1, 'granted');
        await pay(member(1), 50, 2, 'granted');
        await pay(member(2), 500, 1, 'failed');
        await pay(member(2), 150, 2, 'granted');
        await pay(member(3), 3_000_000_000, 1, 'granted');
        await pay(member(4), 20, 1, 'granted');
        const standings = new Standings(proc.store.db);
        assert.deepEqual(await standings.leaderboard(10), [
          { userId: member(3), coins: 3_000_000_000, grants: 1 },
          { userId: member(1), coins: 150, grants: 2 },
          { userId: member(2), coins: 150, grants: 1 },
          { userId: member(4), coins: 20, grants: 1 },
        ]);
        assert.deepEqual(
          (await standings.leaderboard(2, 2)).map((s) => s.userId),
          [member(2), member(4)],
        );
        assert.equal(await standings.recipientCount(), 4);
        assert.equal(await standings.historyCount(member(2)), 2);
      } finally {
        await proc.store.close();
        await dropBoard();
      }
    });
  });
}
