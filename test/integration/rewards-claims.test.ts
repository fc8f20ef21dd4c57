import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { storeEngines } from '../helpers/stores.js';
import { openStore, type RelationalStore } from '../../src/store/database.js';
import { Rewards } from '../../src/rewards/rewards.js';
import { ClaimService, type ClaimRequest } from '../../src/rewards/claims.js';
import { ClaimState } from '../../src/rewards/claim-state.js';
import { RoleRewards } from '../../src/rewards/role-rewards.js';

const DAY = 86_400_000;
const GUILD = '330000000000000001';
const ROLE = '330000000000000002';
const AT = Date.UTC(2026, 10, 30, 12);

/** The rewards core without a dashboard: grants are recorded and wait (nothing here pays). */
function rewardsOn(store: RelationalStore): Rewards {
  return new Rewards({
    store,
    heliactyl: null,
    logger: pino({ level: 'silent' }),
    audit: { postEmbed: async () => undefined },
    thanks: { thank: async () => undefined },
    httpTimeoutMs: 1_000,
  });
}

/** The claim tables' exactly-once properties, on SQLite and on a real Postgres. */
for (const engine of storeEngines) {
  describe(`/claim storage on ${engine.name}`, { skip: engine.skip }, () => {
    let url: string;
    let cleanup: () => Promise<void>;
    let first: RelationalStore;
    let second: RelationalStore;
    let serial = 0;
    const newUser = (): string => `91000000000000${String((serial += 1)).padStart(4, '0')}`;
    const request = (userId: string, at = AT, roles: string[] = []): ClaimRequest => ({
      userId,
      guildId: GUILD,
      roles,
      joinedAt: null,
      at,
    });

    before(async () => {
      ({ url, cleanup } = await engine.create());
      // Two connections to one database: two bot processes sharing the store.
      first = await openStore(url);
      second = await openStore(url);
      const rewards = rewardsOn(first);
      await rewards.settings.setDaily({ coins: 100, streakBonus: 10, streakMax: 5 });
      await new RoleRewards(first.db).set({ roleId: ROLE, guildId: GUILD, coins: 30, everyMs: 7 * DAY });
    });
    after(async () => {
      await first.close();
      await second.close();
      await cleanup();
    });

    test('the store refuses a second claim row for one member and reward, and a second rule for one role', async () => {
      const user = newUser();
      const row = {
        user_id: user,
        reward: 'daily',
        last_claim_at: AT,
        streak: 1,
        last_key: `daily:${user}:2026-11-30`,
        last_coins: 100,
      };
      await first.db.insertInto('reward_claims').values(row).execute();
      await assert.rejects(
        second.db
          .insertInto('reward_claims')
          .values({ ...row, streak: 2 })
          .execute(),
      );
      const rule = { role_id: ROLE, guild_id: GUILD, coins: 1, every_ms: DAY, updated_at: AT };
      await assert.rejects(second.db.insertInto('role_rewards').values(rule).execute());
      await assert.rejects(
        second.db
          .insertInto('role_rewards')
          .values({ ...rule, role_id: '330000000000000009', coins: 0 })
          .execute(),
        'a rule paying nothing is refused by the store',
      );
    });

    test('of concurrent conditional writes from two connections, exactly one records the claim', async () => {
      const user = newUser();
      const states = [new ClaimState(first.db), new ClaimState(second.db)];
      const next = (streak: number) => ({ at: AT + streak, streak, key: `k${streak}`, coins: 5 });
      const firstClaims = await Promise.all(
        Array.from({ length: 10 }, (_, i) => states[i % 2]!.record(user, 'daily', undefined, next(1))),
      );
      assert.equal(firstClaims.filter(Boolean).length, 1);
      const previous = (await states[0]!.all(user)).get('daily');
      assert.deepEqual(previous, next(1));
      const laterClaims = await Promise.all(
        Array.from({ length: 10 }, (_, i) => states[i % 2]!.record(user, 'daily', previous, next(2))),
      );
      assert.equal(laterClaims.filter(Boolean).length, 1);
      assert.deepEqual((await states[1]!.all(user)).get('daily'), next(2));
    });

    test('twenty simultaneous /claim clicks over two processes enqueue one daily and one role grant', async () => {
      const user = newUser();
      const services = [first, second].map((store) => new ClaimService(rewardsOn(store), store.db));
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => services[i % 2]!.claim(request(user, AT, [ROLE]))),
      );
      const paid = outcomes.flatMap((o) => (o.kind === 'claimed' ? o.paid : []));
      assert.deepEqual(paid.map((p) => `${p.reward} ${p.coins}`).sort(), [`daily 100`, `role:${ROLE} 30`]);
      const grants = await first.db
        .selectFrom('grants')
        .select(['key', 'coins'])
        .where('user_id', '=', user)
        .execute();
      assert.deepEqual(grants.map((g) => `${g.key} ${Number(g.coins)}`).sort(), [
        `daily:${user}:2026-11-30 100`,
        `role:${ROLE}:${user}:2026-11-26T00:00:00Z/7d 30`,
      ]);
    });

    test('a claim recorded without its grant (the process stopped between the two writes) is paid at the next /claim', async () => {
      const user = newUser();
      const key = `daily:${user}:2026-11-29`;
      await new ClaimState(first.db).record(user, 'daily', undefined, {
        at: AT - DAY,
        streak: 1,
        key,
        coins: 100,
      });
      const service = new ClaimService(rewardsOn(second), second.db);
      const outcome = await service.claim(request(user, AT - DAY + 3_600_000));
      assert.equal(outcome.kind, 'claimed');
      assert.equal(outcome.kind === 'claimed' && outcome.paid.length, 0, 'still too early for a new claim');
      const grants = await first.db
        .selectFrom('grants')
        .select(['key', 'coins'])
        .where('user_id', '=', user)
        .execute();
      assert.deepEqual(
        grants.map((g) => `${g.key} ${Number(g.coins)}`),
        [`${key} 100`],
      );
      // The next day continues the streak from the recorded claim.
      const next = await service.claim(request(user, AT));
      assert.equal(next.kind === 'claimed' && next.paid[0]?.coins, 110);
    });
  });
}
