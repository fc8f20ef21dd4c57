import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { pino } from 'pino';
import type { APIEmbed } from 'discord.js';
import { FakeHeliactyl } from '../fakes/heliactyl.js';
import { sqliteEngine } from '../helpers/stores.js';
import { coinWrites } from '../helpers/rewards-rig.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { openStore, type RelationalStore } from '../../src/store/database.js';
import { Rewards } from '../../src/rewards/rewards.js';
import { HeliactylClient } from '../../src/heliactyl/client.js';
import { RequestPacer } from '../../src/heliactyl/pacer.js';
import { Metrics } from '../../src/server/metrics.js';
import { Readiness } from '../../src/bot/readiness.js';
import { startHttpServer, type RunningHttpServer } from '../../src/server/http-server.js';
import { dashboardAccountExists } from '../../src/rewards/accounts.js';
import type { Grant } from '../../src/rewards/ledger.js';

const TOPGG_SECRET = 'whs_test_secret_0123456789';
const DBL_SECRET = 'dbl-secret-0123456789';
const TOKEN = 'api-token-for-tests-0123456789';
const OTHER_TOKEN = 'another-api-token-0123456789';
const VOTER = '400000000000000001';
const MEMBER = '400000000000000002';

describe('HTTP server: health, votes and the grant API', () => {
  let fake: FakeHeliactyl;
  let store: RelationalStore;
  let cleanup: () => Promise<void>;
  let rewards: Rewards;
  let heliactyl: HeliactylClient;
  let server: RunningHttpServer;
  const readiness = new Readiness();
  const clock = new FakeClock(Date.now());
  const thanked: string[] = [];
  const audits: APIEmbed[] = [];
  const auditWaiters: Array<() => void> = [];
  const settled: Grant[] = [];
  const settledWaiters: Array<() => void> = [];
  const settledCount = (count: number): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (settled.length >= count) resolve();
        else settledWaiters.push(check);
      };
      check();
    });

  before(async () => {
    fake = await FakeHeliactyl.start();
    fake.addUser({ id: VOTER, coins: 10 });
    fake.addUser({ id: MEMBER, coins: 0 });
    let url: string;
    ({ url, cleanup } = await sqliteEngine.create());
    store = await openStore(url);
    heliactyl = new HeliactylClient({
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      timeoutMs: 5_000,
      pacer: new RequestPacer({ clock }),
    });
    const metrics = new Metrics();
    rewards = new Rewards({
      store,
      heliactyl,
      logger: pino({ level: 'silent' }),
      audit: {
        postEmbed: async (embed) => {
          audits.push(embed);
          for (const waiter of auditWaiters.splice(0)) waiter();
        },
      },
      thanks: { thank: async (userId) => void thanked.push(userId) },
      metrics,
      clock,
      httpTimeoutMs: 5_000,
    });
    rewards.onSettled((grant) => {
      settled.push(grant);
      for (const waiter of settledWaiters.splice(0)) waiter();
    });
    await rewards.settings.setVoteCoins(25);
    rewards.start();
    server = await startHttpServer({
      config: {
        HTTP_PORT: 0,
        HTTP_HOST: '127.0.0.1',
        REWARDS_API_TOKENS: [TOKEN, OTHER_TOKEN],
        TOPGG_WEBHOOK_SECRET: TOPGG_SECRET,
        DBL_WEBHOOK_SECRET: DBL_SECRET,
      },
      logger: pino({ level: 'silent' }),
      readiness,
      store,
      metrics,
      rewards,
      accountExists: (userId) => dashboardAccountExists(heliactyl, userId),
      now: () => clock.now(),
    });
  });
  after(async () => {
    await server.close();
    await rewards.stop();
    await heliactyl.close();
    await store.close();
    await fake.close();
    await cleanup();
  });

  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const signV1 = (raw: string, t = Math.floor(clock.now() / 1000)): string =>
    `t=${t},v1=${createHmac('sha256', TOPGG_SECRET).update(`${t}.${raw}`).digest('hex')}`;
  const grantCount = async (): Promise<number> =>
    Number(
      (
        await store.db
          .selectFrom('grants')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('/healthz answers 200; /readyz is 503 until every shard is connected', async () => {
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const notReady = await fetch(`${server.url}/readyz`);
    assert.equal(notReady.status, 503);
    assert.deepEqual(await notReady.json(), { status: 'not ready', discord: false, store: true });
    readiness.connected(0);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    readiness.disconnected(0, 4000);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 503);
  });

  test('a top.gg v1 vote delivered 3 times is answered 200 each time and paid once, with one DM thanks', async () => {
    const raw = JSON.stringify({ type: 'vote.create', data: { id: 'vote-1', user: { platform_id: VOTER } } });
    const answers = [];
    for (let i = 0; i < 3; i += 1)
      answers.push(await post('/webhooks/topgg', raw, { 'x-topgg-signature': signV1(raw) }));
    assert.deepEqual(
      answers.map((r) => r.status),
      [200, 200, 200],
    );
    assert.deepEqual(await Promise.all(answers.map((r) => r.json())), [
      { status: 'queued' },
      { status: 'duplicate' },
      { status: 'duplicate' },
    ]);
    await settledCount(1);
    assert.deepEqual(coinWrites(fake, VOTER), ['addcoins 25']);
    assert.equal(fake.user(VOTER)?.coins, 35);
    assert.deepEqual(thanked, [VOTER]);
  });

  test('wrong, replayed, unsigned, malformed and oversized webhooks get JSON 401/400/413 and store nothing', async () => {
    const before = await grantCount();
    const raw = JSON.stringify({ type: 'vote.create', data: { id: 'vote-2', user: { platform_id: VOTER } } });
    const wrong = await post('/webhooks/topgg', raw, {
      // One hex digit changed (to another digit whatever it was), so the signature is wrong every run.
      'x-topgg-signature': signV1(raw).replace(
        /v1=(.)/,
        (_, digit: string) => `v1=${digit === '0' ? '1' : '0'}`,
      ),
    });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { error: string }).error, 'unauthorized');
    const old = await post('/webhooks/topgg', raw, {
      'x-topgg-signature': signV1(raw, Math.floor(clock.now() / 1000) - 6 * 60),
    });
    assert.equal(old.status, 401);
    assert.match(((await old.json()) as { message: string }).message, /more than 5 minutes old/);
    assert.equal((await post('/webhooks/topgg', raw, {})).status, 401);
    const notJson = 'not json';
    const malformed = await post('/webhooks/topgg', notJson, { 'x-topgg-signature': signV1(notJson) });
    assert.equal(malformed.status, 400);
    const huge = JSON.stringify({ type: 'vote.create', pad: 'x'.repeat(20_000) });
    const tooLarge = await post('/webhooks/topgg', huge, { 'x-topgg-signature': signV1(huge) });
    assert.equal(tooLarge.status, 413);
    assert.equal(((await tooLarge.json()) as { error: string }).error, 'payload_too_large');
    assert.equal(
      (await post('/webhooks/dbl', JSON.stringify({ id: VOTER }), { authorization: 'nope' })).status,
      401,
    );
    assert.equal(await grantCount(), before);
  });

  test('legacy top.gg v0 and dbl votes: one grant per user per 12 h window', async () => {
    const start = settled.length;
    const v0 = JSON.stringify({ bot: '1', user: MEMBER, type: 'upvote' });
    assert.equal((await post('/webhooks/topgg', v0, { authorization: TOPGG_SECRET })).status, 200);
    assert.equal((await post('/webhooks/topgg', v0, { authorization: TOPGG_SECRET })).status, 200);
    const dbl = JSON.stringify({ id: MEMBER, username: 'member' });
    assert.equal((await post('/webhooks/dbl', dbl, { authorization: DBL_SECRET })).status, 200);
    assert.equal((await post('/webhooks/dbl', dbl, { authorization: DBL_SECRET })).status, 200);
    await settledCount(start + 2);
    assert.deepEqual(coinWrites(fake, MEMBER), ['addcoins 25', 'addcoins 25']);
  });

  test('the grant API: bearer token, Idempotency-Key, retries answer the same grant, another body gets 409', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const body = JSON.stringify({ user_id: MEMBER, coins: 40, reason: 'giveaway' });
    assert.equal((await post('/api/v1/grants', body, { 'idempotency-key': 'k1' })).status, 401);
    assert.equal(
      (await post('/api/v1/grants', body, { authorization: 'Bearer wrong', 'idempotency-key': 'k1' })).status,
      401,
    );
    const noKey = await post('/api/v1/grants', body, auth);
    assert.equal(noKey.status, 400);
    assert.match(((await noKey.json()) as { message: string }).message, /Idempotency-Key/);
    for (const coins of [0, 1_000_001, 2.5, '5']) {
      const bad = await post('/api/v1/grants', JSON.stringify({ user_id: MEMBER, coins }), {
        ...auth,
        'idempotency-key': 'bad',
      });
      assert.equal(bad.status, 400, String(coins));
    }
    assert.equal(
      (await post('/api/v1/grants', '{"user_id":', { ...auth, 'idempotency-key': 'bad' })).status,
      400,
    );
    const unknown = await post(
      '/api/v1/grants',
      JSON.stringify({ user_id: '400000000000000099', coins: 5 }),
      {
        ...auth,
        'idempotency-key': 'who',
      },
    );
    assert.equal(unknown.status, 422);
    assert.equal(((await unknown.json()) as { error: string }).error, 'unknown_user');
    assert.deepEqual(coinWrites(fake, '400000000000000099'), []);

    const start = settled.length;
    const first = await post('/api/v1/grants', body, { ...auth, 'idempotency-key': 'k1' });
    assert.equal(first.status, 202);
    const created = (await first.json()) as { id: string; status: string; coins: number };
    assert.equal(created.coins, 40);
    const retry = await post('/api/v1/grants', body, { ...auth, 'idempotency-key': 'k1' });
    assert.equal(retry.status, 200);
    assert.equal(((await retry.json()) as { id: string }).id, created.id);
    const conflict = await post('/api/v1/grants', JSON.stringify({ user_id: MEMBER, coins: 41 }), {
      ...auth,
      'idempotency-key': 'k1',
    });
    assert.equal(conflict.status, 409);
    await settledCount(start + 1);
    const state = await fetch(`${server.url}/api/v1/grants/${created.id}`, { headers: auth });
    assert.equal(state.status, 200);
    const shown = (await state.json()) as { status: string; user_id: string; reason: string };
    assert.equal(shown.status, 'granted');
    assert.equal(shown.user_id, MEMBER);
    assert.equal(shown.reason, 'giveaway');
    const otherToken = await fetch(`${server.url}/api/v1/grants/${created.id}`, {
      headers: { authorization: `Bearer ${OTHER_TOKEN}` },
    });
    assert.equal(otherToken.status, 404);
    assert.equal(coinWrites(fake, MEMBER).filter((w) => w === 'addcoins 40').length, 1);
  });

  test('/metrics shows grants by source and state, queue depth and the dashboard budget', async () => {
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /hostlink_grants_total\{source="vote",state="granted"\} 3/);
    assert.match(text, /hostlink_grants_total\{source="api",state="granted"\} 1/);
    assert.match(text, /hostlink_grant_queue_depth\{state="queued"\} 0/);
    assert.match(text, /hostlink_heliactyl_budget_remaining \d+/);
    assert.doesNotMatch(text, new RegExp(VOTER));
  });

  test('automatic grants are audited in one batched embed per minute at most', async () => {
    // The first vote was posted at once; the 4 grants settled within the minute after it wait.
    assert.equal(audits.length, 1, JSON.stringify(audits.map((a) => a.title)));
    assert.match(audits[0]?.title ?? '', /Automatic grants: 1 granted/);
    const next = new Promise<void>((resolve) => auditWaiters.push(resolve));
    clock.advance(61_000);
    await next;
    assert.equal(audits.length, 2);
    assert.match(audits[1]?.title ?? '', /Automatic grants: 3 granted/);
    assert.match(audits[1]?.description ?? '', new RegExp(`<@${MEMBER}> \\+40 · api`));
  });
});
