import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, type E2E } from '../helpers/e2e.js';
import type { FakeInteraction } from '../fakes/discord/index.js';
import { command, ephemeral, seen, str, userWithKey } from '../helpers/user-side.js';

/**
 * Every error code the AtomicHost spec documents, produced against the fake
 * and read back as the user sees it. Most come from the fake's own rules;
 * `missing_token` and `too_many_streams` cannot be caused by any command of
 * this issue (the bot always sends a key; console streams come later), so
 * the fake is told to answer them — the reply path is the same.
 */

interface Row {
  code: string;
  /** Sets the scene and runs one command; returns the interaction. */
  run(e2e: E2E, user: Awaited<ReturnType<typeof userWithKey>>, serverId: number): FakeInteraction;
  expect: RegExp;
  title?: string;
}

const envelope = (code: string, message: string) =>
  JSON.stringify({ success: false, error: { code, message } });

const rows: Row[] = [
  {
    code: 'missing_token',
    run: (e2e, u) => {
      e2e.atomichost.faults.add({
        fault: { kind: 'status', status: 401, body: envelope('missing_token', 'No API key was provided.') },
        path: '/servers',
        times: 1,
      });
      return command(e2e, u.userId, 'server', 'list');
    },
    expect: /without your API key \(missing_token\).*not with your key, which is kept/,
  },
  {
    code: 'invalid_key',
    run: (e2e, u) => {
      e2e.atomichost.regenerateKey(u.account.id);
      return command(e2e, u.userId, 'server', 'list');
    },
    title: 'API key removed',
    expect: /no longer accepts your API key: it was regenerated or revoked/,
  },
  {
    code: 'account_banned',
    run: (e2e, u) => {
      e2e.atomichost.ban(u.account.id);
      return command(e2e, u.userId, 'server', 'list');
    },
    title: 'API key removed',
    expect: /banned or suspended, and AtomicHost revoked its API key/,
  },
  {
    code: 'insufficient_service_permission',
    run: (e2e, u, serverId) => {
      const other = e2e.atomichost.addAccount({ username: 'lender' });
      const shared = e2e.atomichost.addService({ name: 'Shared', ownerId: other.id });
      e2e.atomichost.share(shared.id, u.account.id, ['console']);
      void serverId;
      return command(e2e, u.userId, 'files', 'list', [str('server', String(shared.id))]);
    },
    expect: /^You don't have the files permission on this server — ask its owner\.$/,
  },
  {
    code: 'feature_unavailable',
    run: (e2e, u) => {
      const s = e2e.atomichost.addService({
        name: 'NoBackups',
        ownerId: u.account.id,
        features: { backups: false },
      });
      return command(e2e, u.userId, 'backups', 'list', [str('server', String(s.id))]);
    },
    expect: /^This server's package doesn't include backups\.$/,
  },
  {
    code: 'service_inactive',
    run: (e2e, u) => {
      const s = e2e.atomichost.addService({ name: 'Unpaid', ownerId: u.account.id, status: 'suspended' });
      return command(e2e, u.userId, 'files', 'list', [str('server', String(s.id))]);
    },
    expect: /isn't active \(it may be suspended or unpaid\)/,
  },
  {
    code: 'not_found',
    run: (e2e, u) => {
      const other = e2e.atomichost.addAccount({ username: 'someone-else' });
      const s = e2e.atomichost.addService({ name: 'Theirs', ownerId: other.id });
      return command(e2e, u.userId, 'server', 'info', [str('server', String(s.id))]);
    },
    expect: /^AtomicHost says: Service not found\.$/,
  },
  {
    code: 'validation_failed',
    run: (e2e, u) => {
      // The bot cannot know a package's backup limit: AtomicHost refuses with 422.
      const s = e2e.atomichost.addService({ name: 'Full', ownerId: u.account.id, backupLimit: 0 });
      return command(e2e, u.userId, 'backups', 'create', [str('server', String(s.id))]);
    },
    expect: /^AtomicHost refused the request as invalid \(This service can have at most 0 backups\.\)\.$/,
  },
  {
    code: 'rate_limited',
    run: (e2e, u, serverId) => {
      e2e.atomichost.faults.add({
        fault: { kind: 'rate_limit', retryAfterSeconds: 7 },
        path: `/servers/${serverId}`,
        times: 1,
      });
      return command(e2e, u.userId, 'server', 'status', [str('server', String(serverId))]);
    },
    expect: /too fast — try again in 7 seconds\. You have [\d,]+ of 2,?500 daily credits left\./,
  },
  {
    code: 'daily_credit_limit_reached',
    run: (e2e, u, serverId) => {
      const account = e2e.atomichost.account(u.account.id)!;
      account.creditsUsed = account.creditLimit;
      return command(e2e, u.userId, 'server', 'status', [str('server', String(serverId))]);
    },
    expect: /^You've used today's API credits; they reset <t:\d+:t> \(<t:\d+:R>\)\.$/,
  },
  {
    code: 'too_many_streams',
    run: (e2e, u) => {
      e2e.atomichost.faults.add({
        fault: {
          kind: 'status',
          status: 429,
          body: envelope('too_many_streams', 'You already have 3 console streams open.'),
        },
        path: '/servers',
        times: 1,
      });
      return command(e2e, u.userId, 'server', 'list');
    },
    expect: /already have 3 console streams open/,
  },
  {
    code: 'backend_unavailable',
    run: (e2e, u, serverId) => {
      e2e.atomichost.service(serverId)!.backendDown = true;
      return command(e2e, u.userId, 'server', 'status', [str('server', String(serverId))]);
    },
    expect: /^The server's backend is unreachable right now\. Try again shortly — the credit was refunded\.$/,
  },
];

describe('every documented AtomicHost error code reads clearly', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E();
  });
  after(async () => {
    await e2e.close();
  });

  for (const row of rows) {
    test(row.code, async () => {
      const user = await userWithKey(e2e, `u-${row.code}`);
      const server = e2e.atomichost.addService({ name: `S-${row.code}`, ownerId: user.account.id });
      const key = user.account.key; // regenerateKey/ban change the account's key
      const interaction = row.run(e2e, user, server.id);
      const embed = await seen(interaction);
      e2e.atomichost.faults.clear();
      assert.ok(ephemeral(interaction), 'errors are private');
      assert.equal(embed.title, row.title ?? 'AtomicHost error');
      assert.match(embed.description!, row.expect);
      const sent = e2e.atomichost.requests.filter((r) => r.headers.authorization === `Bearer ${key}`);
      assert.ok(sent.length >= 2, "GET /me, then the command, with this user's own key");
    });
  }

  test('the table covers every code the spec documents', () => {
    assert.deepEqual(rows.map((r) => r.code).sort(), [
      'account_banned',
      'backend_unavailable',
      'daily_credit_limit_reached',
      'feature_unavailable',
      'insufficient_service_permission',
      'invalid_key',
      'missing_token',
      'not_found',
      'rate_limited',
      'service_inactive',
      'too_many_streams',
      'validation_failed',
    ]);
  });

  test('5xx answers say the credit was refunded, and the fake indeed charged nothing', async () => {
    const user = await userWithKey(e2e, 'five-hundred');
    const server = e2e.atomichost.addService({ name: 'Flaky', ownerId: user.account.id });
    const account = e2e.atomichost.account(user.account.id)!;
    for (const fault of [
      { status: 500, body: envelope('internal_error', 'Boom'), contentType: 'application/json' },
      { status: 503, body: '<html>Service Unavailable</html>', contentType: 'text/html' },
    ]) {
      e2e.atomichost.faults.add({
        fault: { kind: 'status', ...fault },
        path: `/servers/${server.id}`,
        times: 1,
      });
      const embed = await seen(
        command(e2e, user.userId, 'server', 'status', [str('server', String(server.id))]),
      );
      assert.match(
        embed.description!,
        new RegExp(`internal error \\(HTTP ${fault.status}\\)\\. The credit was refunded`),
      );
    }
    const used = account.creditsUsed;
    server.backendDown = true;
    await seen(command(e2e, user.userId, 'server', 'status', [str('server', String(server.id))]));
    assert.equal(account.creditsUsed, used, 'a 502 backend_unavailable costs no credit');
  });

  test('timeouts, dropped connections and malformed answers are messages, not crashes', async () => {
    const user = await userWithKey(e2e, 'unlucky');
    const cases: Array<[Parameters<E2E['atomichost']['faults']['add']>[0]['fault'], RegExp]> = [
      [{ kind: 'hang' }, /didn't answer in time/],
      [{ kind: 'reset' }, /couldn't reach AtomicHost/],
      [{ kind: 'malformed' }, /answer Hostlink couldn't read/],
    ];
    for (const [fault, expect] of cases) {
      e2e.atomichost.faults.add({ fault, path: '/servers', times: 1 });
      const embed = await seen(command(e2e, user.userId, 'server', 'list'));
      assert.match(embed.description!, expect);
    }
    const ok = await seen(command(e2e, user.userId, 'server', 'list'));
    assert.equal(ok.title, 'Your servers', 'the bot is still up');
    assert.ok(!e2e.bot.logs.some((l) => l.msg === 'Unhandled error in interaction'), 'no unhandled errors');
  });
});
