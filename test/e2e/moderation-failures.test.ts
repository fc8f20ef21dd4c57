import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, startE2E, type E2E } from '../helpers/e2e.js';
import {
  answer,
  answerTitled,
  field,
  invoke,
  nextAudit,
  opt,
  press,
  question,
  writesSince,
} from '../helpers/moderation.js';

const ALICE = '410000000000000001';

describe('moderator commands when the dashboard fails', () => {
  let e2e: E2E;
  let audit: string;
  let audits = 0;
  before(async () => {
    e2e = await startE2E({
      env: ({ discord }) => ({ AUDIT_CHANNEL_ID: discord.channelId, HELIACTYL_MAX_WAIT_MS: '10000' }),
    });
    audit = e2e.discord.channelId;
    e2e.heliactyl.addUser({ id: ALICE, coins: 1000 });
  });
  after(async () => {
    await e2e.close();
  });

  async function auditResult(): Promise<string> {
    audits += 1;
    return field(await nextAudit(e2e, audit, audits), 'Result');
  }

  test('addcoins timing out: outcome unknown, never retried, suggests /coins balance, audited as unknown', async () => {
    e2e.heliactyl.faults.add({ fault: { kind: 'hang' }, path: '/api/v3/addcoins', times: 1 });
    const since = e2e.heliactyl.requests.length;
    const embed = await answer(
      invoke(e2e, { path: 'coins add', options: [opt.int('amount', 5), opt.user(ALICE)] }),
    );
    assert.equal(embed.title, 'Outcome unknown');
    assert.match(
      embed.description ?? '',
      /^The dashboard did not answer within 2 s\. The change may or may not have been applied — check the account before trying again\. Check the balance with `\/coins balance` before doing anything else — the bot does not retry coin writes by itself\.$/,
    );
    // The audit post follows the outcome, so a resend would already have reached the dashboard.
    assert.match(await auditResult(), /^⚠️ Outcome unknown\nThe dashboard did not answer within 2 s/);
    const posts = writesSince(e2e, since);
    assert.equal(posts.length, 1, 'addcoins sent exactly once');
    assert.equal(posts[0]?.rawBody, JSON.stringify({ id: ALICE, coins: 5 }));
    const line = e2e.bot.logs.filter((l) => l.audit === true).at(-1);
    assert.equal(line?.result, 'unknown');
  });

  test('the API disabled: on a read and on a write (audited)', async () => {
    e2e.heliactyl.enabled = false;
    try {
      const read = await answer(
        invoke(e2e, { path: 'user info', options: [opt.user(ALICE)], roles: [ROLES.moderator] }),
      );
      assert.equal(read.title, 'Dashboard error');
      assert.match(read.description ?? '', /The dashboard's API is disabled/);
      const write = await answer(
        invoke(e2e, { path: 'unban', options: [opt.user(ALICE)], roles: [ROLES.moderator] }),
      );
      assert.match(write.description ?? '', /The dashboard's API is disabled/);
      assert.match(await auditResult(), /^❌ Failed — nothing changed\nThe dashboard's API is disabled/);
    } finally {
      e2e.heliactyl.enabled = true;
    }
  });

  test('a 5xx on a read is a dashboard error; on a write the outcome is unknown', async () => {
    e2e.heliactyl.faults.add({ fault: { kind: 'status', status: 500 }, path: '/api/v3/userinfo', times: 1 });
    const read = await answer(invoke(e2e, { path: 'coins balance', options: [opt.user(ALICE)] }));
    assert.equal(read.title, 'Dashboard error');
    assert.match(read.description ?? '', /The dashboard reported an error: "Injected failure"\.$/);
    e2e.heliactyl.faults.add({
      fault: { kind: 'status', status: 503, body: '<h1>down</h1>', contentType: 'text/html' },
      path: '/api/v3/give_renewalbypass',
      times: 1,
    });
    const write = await answer(invoke(e2e, { path: 'renewal give', options: [opt.user(ALICE)] }));
    assert.equal(write.title, 'Outcome unknown');
    assert.match(
      write.description ?? '',
      /The dashboard reported an error: "down"\. The change may or may not have been applied/,
    );
    assert.match(await auditResult(), /^⚠️ Outcome unknown/);
  });

  test('a malformed answer: unreadable on a read, outcome unknown on a write', async () => {
    e2e.heliactyl.faults.add({ fault: { kind: 'malformed' }, path: '/api/v3/userservers', times: 1 });
    const read = await answer(invoke(e2e, { path: 'user servers', options: [opt.user(ALICE)] }));
    assert.equal(read.description, 'The dashboard sent an answer the bot could not read.');
    e2e.heliactyl.faults.add({ fault: { kind: 'malformed' }, path: '/api/v3/setresources', times: 1 });
    const write = await answer(
      invoke(e2e, { path: 'resources set', options: [opt.user(ALICE), opt.int('ram', 1)] }),
    );
    assert.equal(write.title, 'Outcome unknown');
    assert.match(write.description ?? '', /could not read\. The change may or may not have been applied/);
    assert.match(await auditResult(), /^⚠️ Outcome unknown/);
  });

  test('the dashboard reporting a missing id is flagged as a bot bug', async () => {
    e2e.heliactyl.faults.add({
      fault: { kind: 'status', status: 200, body: JSON.stringify({ status: 'missing id' }) },
      path: '/api/v3/remove_renewalbypass',
      times: 1,
    });
    const interaction = invoke(e2e, { path: 'renewal remove', options: [opt.user(ALICE)] });
    await question(interaction);
    const done = await answerTitled(press(e2e, interaction, 'Remove bypass'), /Dashboard error/);
    assert.match(done.description ?? '', /did not receive a user id — this is a bug in the bot/);
    assert.match(await auditResult(), /^❌ Failed/);
  });

  test('a 429 says when to retry (and the confirmed write is audited as failed)', async () => {
    e2e.heliactyl.faults.add({
      fault: { kind: 'rate_limit', retryAfterSeconds: 1 },
      path: '/api/v3/ban',
      times: 1,
    });
    const interaction = invoke(e2e, { path: 'ban', options: [opt.user(ALICE)], roles: [ROLES.moderator] });
    await question(interaction);
    const done = await answerTitled(
      press(e2e, interaction, 'Ban', { roles: [ROLES.moderator] }),
      /Dashboard error/,
    );
    assert.match(done.description ?? '', /rate-limiting the bot; try again in 1 s/);
    assert.match(await auditResult(), /^❌ Failed — nothing changed\nThe dashboard is rate-limiting the bot/);
    assert.equal(e2e.heliactyl.user(ALICE)?.ban, undefined);
    // No wait here: the bot holds the next call until the 429's window has passed (HELIACTYL_MAX_WAIT_MS).
    const balance = await answer(invoke(e2e, { path: 'coins balance', options: [opt.user(ALICE)] }));
    assert.match(balance.description ?? '', /has \*\*1,00\d coins\*\*/, 'answers again after the wait');
  });
});

describe('moderator commands with a key the dashboard rejects', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ env: { HELIACTYL_API_KEY: 'hl_wrong_key_for_this_dashboard' } });
    e2e.heliactyl.addUser({ id: ALICE, coins: 1000 });
  });
  after(async () => {
    await e2e.close();
  });

  test('the invoker hears the bot is misconfigured; the operator gets an error log line; nothing is written', async () => {
    for (const [path, options] of [
      ['user info', [opt.user(ALICE)]],
      ['coins add', [opt.int('amount', 1), opt.user(ALICE)]],
      ['unban', [opt.user(ALICE)]],
    ] as const) {
      const embed = await answer(invoke(e2e, { path, options: [...options] }));
      assert.match(
        embed.description ?? '',
        /rejected the bot's API key — the bot is misconfigured; ask the operator to check HELIACTYL_API_KEY/,
        path,
      );
    }
    const line = await e2e.bot.waitForLog((l) => l.level === 50 && l.command === 'user info');
    assert.match(String(line.msg), /Dashboard error/);
    assert.equal(e2e.heliactyl.user(ALICE)?.coins, 1000);
    assert.ok(!e2e.bot.stdout().includes('hl_wrong_key_for_this_dashboard'), 'the key never appears in logs');
  });
});
