import { test, type TestContext } from 'node:test';
import { WAIT_MS } from '../fakes/discord/fake-interaction.js';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeHeliactyl, PANEL_ACCOUNT_MISSING_TEXT, type FakeHeliactylOptions } from '../fakes/heliactyl.js';
import type { RecordedRequest } from '../fakes/faults.js';
import { HeliactylClient, type HeliactylClientOptions } from '../../src/heliactyl/client.js';
import { HeliactylError, type HeliactylErrorKind } from '../../src/heliactyl/errors.js';
import { describeHeliactylError } from '../../src/presenter/heliactyl-text.js';

const KEY = 'hl_SECRET_4f1c9e7a2b8d6035';
const ALICE = '112233445566778899';
const BOB = '998877665544332211';

async function setup(
  t: TestContext,
  options: { fake?: FakeHeliactylOptions; client?: Partial<HeliactylClientOptions> } = {},
) {
  const fake = await FakeHeliactyl.start({ apiKey: KEY, ...options.fake });
  fake.addUser({
    id: ALICE,
    coins: 1500,
    username: 'alice',
    email: 'alice@example.com',
    servers: [
      { name: 'Survival', description: 'Vanilla 1.21', limits: { memory: 2048, disk: 10240, cpu: 150 } },
      { name: 'Creative', suspended: true, featureLimits: { backups: 3 } },
    ],
  });
  fake.addUser({ id: BOB, package: 'premium', extra: { ram: 1024 }, renewalBypass: true });
  const client = new HeliactylClient({
    baseUrl: fake.url,
    apiKey: KEY,
    timeoutMs: WAIT_MS,
    ...options.client,
  });
  t.after(async () => {
    await client.close();
    await fake.close();
  });
  return { fake, client };
}

function last(fake: FakeHeliactyl): RecordedRequest {
  const request = fake.requests.at(-1);
  assert.ok(request, 'the fake received no request');
  return request;
}

/** The secret must not be anywhere a log line, reply or audit entry could pick it up. */
function assertKeyAbsent(error: HeliactylError): void {
  const places = [
    error.message,
    error.stack ?? '',
    String(error),
    JSON.stringify(error),
    JSON.stringify(Object.entries(error)),
    describeHeliactylError(error),
  ];
  for (const text of places) assert.ok(!text.includes(KEY), `API key leaked into: ${text}`);
}

async function expectError(
  promise: Promise<unknown>,
  kind: HeliactylErrorKind,
  fields: Partial<
    Pick<HeliactylError, 'status' | 'upstreamMessage' | 'mayHaveReachedServer' | 'method' | 'path'>
  > = {},
): Promise<HeliactylError> {
  const error = await promise.then(
    (value) => assert.fail(`expected a ${kind} error, got ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof HeliactylError, `expected HeliactylError, got ${String(error)}`);
  assert.equal(error.kind, kind, error.message);
  for (const [name, value] of Object.entries(fields)) {
    assert.deepEqual(error[name as keyof typeof fields], value, `error.${name}`);
  }
  assertKeyAbsent(error);
  return error;
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ── reads ──────────────────────────────────────────────────────────────────

test('status() reads GET /api and sends the key as a Bearer token', async (t) => {
  const { fake, client } = await setup(t);
  assert.deepEqual(await client.status(), { version: '3.2.1-beta.1', platformCodename: 'Avalanche 2' });
  const request = last(fake);
  assert.equal(request.method, 'GET');
  assert.equal(request.path, '/api');
  assert.equal(request.headers.authorization, `Bearer ${KEY}`);
  assert.equal(request.headers.accept, 'application/json');
  assert.equal(request.rawBody, '');
});

test('userInfo() on the default package: no package name, balance, panel account', async (t) => {
  const { fake, client } = await setup(t);
  const info = await client.userInfo(ALICE);
  assert.deepEqual(last(fake).query, { id: ALICE });
  assert.deepEqual(info, {
    id: ALICE,
    renewalBypass: false,
    package: { name: null, ram: 2048, disk: 10240, cpu: 100, servers: 2 },
    extra: { ram: 0, disk: 0, cpu: 0, servers: 0 },
    coins: 1500,
    panelAccount: {
      id: 1,
      username: 'alice',
      email: 'alice@example.com',
      firstName: 'alice',
      lastName: 'Example',
      rootAdmin: false,
      serverCount: 2,
    },
  });
});

test('userInfo() on a named package with extra resources and renewal bypass', async (t) => {
  const { client } = await setup(t);
  const info = await client.userInfo(BOB);
  assert.deepEqual(info.package, { name: 'premium', ram: 8192, disk: 40960, cpu: 400, servers: 6 });
  assert.deepEqual(info.extra, { ram: 1024, disk: 0, cpu: 0, servers: 0 });
  assert.equal(info.renewalBypass, true);
  assert.equal(info.coins, 0, 'no balance record reads as 0');
});

test('userInfo() reports coins as null when the dashboard has coins disabled', async (t) => {
  const { fake, client } = await setup(t);
  fake.addUser({ id: 'local-uuid-1', coins: null });
  assert.equal((await client.userInfo('local-uuid-1')).coins, null);
});

test('userInfo() of an unknown id is unknown_user (HTTP 200, status "invalid id")', async (t) => {
  const { client } = await setup(t);
  const error = await expectError(client.userInfo('404404'), 'unknown_user', {
    status: 200,
    upstreamMessage: 'invalid id',
    mayHaveReachedServer: false,
    method: 'GET',
    path: '/api/v3/userinfo?id=404404',
  });
  assert.equal(describeHeliactylError(error), 'The dashboard has no account with that id.');
});

test('userInfo() with an empty id is missing_id', async (t) => {
  const { fake, client } = await setup(t);
  await expectError(client.userInfo(''), 'missing_id', { upstreamMessage: 'missing id' });
  assert.deepEqual(last(fake).query, { id: '' });
});

test("issue11 item 5: userInfo() of a user whose panel account is missing → panel_unavailable quoting the dashboard's sentence", async (t) => {
  const { fake, client } = await setup(t);
  fake.addUser({ id: 'gone-1', coins: 5, panel: 'missing' });
  const error = await expectError(client.userInfo('gone-1'), 'panel_unavailable', {
    status: 200,
    upstreamMessage: PANEL_ACCOUNT_MISSING_TEXT,
    mayHaveReachedServer: false,
  });
  assert.equal(
    describeHeliactylError(error),
    `The dashboard could not load this user's panel account (Pterodactyl); it said: "${PANEL_ACCOUNT_MISSING_TEXT}"`,
  );
  // The server listings say the same thing in JSON.
  const listing = await expectError(client.userServers('gone-1'), 'upstream_error', {
    upstreamMessage: 'Failed to fetch user data',
  });
  assert.match(describeHeliactylError(listing), /could not fetch the user's panel account/);
});

test('userInfo() when the dashboard hangs on Pterodactyl ends in a timeout', async (t) => {
  const { fake, client } = await setup(t, { client: { timeoutMs: 300 } });
  fake.pterodactylFailure = 'hang';
  const error = await expectError(client.userInfo(ALICE), 'timeout', { mayHaveReachedServer: true });
  assert.equal(error.timeoutMs, 300);
  assert.equal(describeHeliactylError(error), 'The dashboard did not answer within 1 s.');
  fake.pterodactylFailure = 'none';
  assert.equal((await client.userInfo(ALICE)).coins, 1500, 'the client still works after a timeout');
});

test('userServers() lists id, 8-character identifier and name', async (t) => {
  const { fake, client } = await setup(t);
  const result = await client.userServers(ALICE);
  assert.deepEqual(last(fake).query, { id: ALICE });
  assert.equal(result.userId, ALICE);
  assert.deepEqual(
    result.servers.map((s) => s.name),
    ['Survival', 'Creative'],
  );
  for (const server of result.servers) {
    assert.match(server.identifier, /^[0-9a-f]{8}$/);
    assert.equal(typeof server.id, 'number');
  }
  assert.deepEqual((await client.userServers(BOB)).servers, []);
});

test('userServerDetails() maps limits, feature limits and the install status', async (t) => {
  const { client } = await setup(t);
  const [survival, creative] = (await client.userServerDetails(ALICE)).servers;
  assert.ok(survival && creative);
  assert.equal(survival.description, 'Vanilla 1.21');
  assert.equal(survival.installStatus, null, "Pterodactyl's install status, null once installed");
  assert.deepEqual(survival.limits, { memory: 2048, disk: 10240, cpu: 150, swap: 0, io: 500 });
  assert.match(survival.uuid, /^[0-9a-f-]{36}$/);
  assert.ok(survival.uuid.startsWith(survival.identifier));
  assert.equal(creative.suspended, true);
  assert.equal(creative.featureLimits.backups, 3);
});

test('server listings: unknown user and a Pterodactyl failure', async (t) => {
  const { fake, client } = await setup(t);
  await expectError(client.userServerDetails('nobody'), 'unknown_user');
  fake.pterodactylFailure = 'error';
  const error = await expectError(client.userServers(ALICE), 'upstream_error', {
    status: 200,
    upstreamMessage: 'Failed to fetch servers',
  });
  assert.equal(
    describeHeliactylError(error),
    "The dashboard could not fetch the user's servers from Pterodactyl.",
  );
});

test('userInteractions() sends the limit, lists newest first, keeps null timestamps, matches ids by substring', async (t) => {
  const { fake, client } = await setup(t);
  fake.log.push(
    { timestamp: '2025-12-31 12:44:15', action: `[AFK] User alice (${ALICE}) disconnected from cluster-a` },
    { timestamp: null, action: `    continued: ${ALICE} reconnect scheduled` },
    { timestamp: '2025-12-31 12:50:00', action: 'User carol (1122334455) logged in' },
    { timestamp: '2025-12-31 13:00:00', action: `[STORE] ${ALICE} bought 1 server slot` },
  );
  const result = await client.userInteractions(ALICE, 2);
  assert.deepEqual(last(fake).query, { id: ALICE, limit: '2' });
  assert.equal(result.limit, 2);
  assert.deepEqual(result.interactions, [
    { timestamp: '2025-12-31 13:00:00', action: `[STORE] ${ALICE} bought 1 server slot` },
    { timestamp: null, action: `    continued: ${ALICE} reconnect scheduled` },
  ]);

  fake.addUser({ id: '1122334455' });
  const byPrefix = await client.userInteractions('1122334455');
  assert.deepEqual(last(fake).query, { id: '1122334455' }, 'no limit sent when none given');
  assert.equal(byPrefix.limit, 15);
  assert.equal(byPrefix.interactions.length, 4, "a shorter id also matches the longer id's lines");
});

test('userInteractions() errors: limit out of range, missing log file', async (t) => {
  const { fake, client } = await setup(t);
  const error = await expectError(client.userInteractions(ALICE, 101), 'invalid_request', {
    upstreamMessage: 'limit must be between 1 and 100',
  });
  assert.equal(describeHeliactylError(error), 'The activity limit must be between 1 and 100.');
  fake.logFile = 'missing';
  await expectError(client.userInteractions(ALICE), 'upstream_error', {
    status: 200,
    upstreamMessage: 'Log file not found',
    mayHaveReachedServer: false,
  });
});

// ── writes ─────────────────────────────────────────────────────────────────

test('ban() sends reason and expiration as given; a second ban overwrites the first', async (t) => {
  const { fake, client } = await setup(t);
  await client.ban(ALICE, { reason: 'Spam', expiration: '2026-01-31T00:00:00.000Z' });
  assert.equal(last(fake).path, '/api/v3/ban');
  assert.equal(last(fake).method, 'POST');
  assert.equal(last(fake).headers['content-type'], 'application/json');
  assert.deepEqual(last(fake).body, { id: ALICE, reason: 'Spam', expiration: '2026-01-31T00:00:00.000Z' });
  assert.deepEqual(fake.user(ALICE)?.ban, { reason: 'Spam', expiration: '2026-01-31T00:00:00.000Z' });

  await client.ban(ALICE, { reason: 'Ban evasion', expiration: null });
  assert.equal(last(fake).rawBody, JSON.stringify({ id: ALICE, reason: 'Ban evasion', expiration: null }));
  assert.deepEqual(fake.user(ALICE)?.ban, { reason: 'Ban evasion', expiration: null });

  await client.ban(BOB);
  assert.deepEqual(last(fake).body, { id: BOB }, 'nothing but the id when no options are given');
  assert.equal((await client.userInfo(ALICE)).coins, 1500, 'banned users stay readable');
});

test('unban() clears the ban and is idempotent; unknown ids are refused', async (t) => {
  const { fake, client } = await setup(t);
  await client.ban(ALICE, { reason: 'x' });
  await client.unban(ALICE);
  assert.deepEqual(last(fake).body, { id: ALICE });
  assert.equal(fake.user(ALICE)?.ban, undefined);
  await client.unban(ALICE);
  await expectError(client.unban('nobody'), 'unknown_user', { method: 'POST', path: '/api/v3/unban' });
  await expectError(client.ban('nobody', { reason: 'x' }), 'unknown_user');
});

test('setCoins() sends a JSON number; 0 deletes the balance record', async (t) => {
  const { fake, client } = await setup(t);
  await client.setCoins(ALICE, 250);
  assert.equal(last(fake).rawBody, `{"id":"${ALICE}","coins":250}`);
  assert.equal(fake.user(ALICE)?.coins, 250);

  await client.setCoins(ALICE, 0);
  assert.equal(fake.user(ALICE)?.coins, undefined, 'the record is gone, not zero');
  assert.equal((await client.userInfo(ALICE)).coins, 0);
});

test('setCoins() out of range is invalid_request and changes nothing', async (t) => {
  const { fake, client } = await setup(t);
  const error = await expectError(client.setCoins(ALICE, -1), 'invalid_request', {
    status: 200,
    upstreamMessage: 'too small or big coins',
    mayHaveReachedServer: false,
  });
  assert.match(describeHeliactylError(error), /between 0 and 999999999999999/);
  await expectError(client.setCoins(ALICE, 1e15), 'invalid_request');
  assert.equal(fake.user(ALICE)?.coins, 1500);
});

test('addCoins() adds to an existing balance', async (t) => {
  const { fake, client } = await setup(t);
  await client.addCoins(ALICE, 100);
  assert.deepEqual(last(fake).body, { id: ALICE, coins: 100 });
  assert.equal((await client.userInfo(ALICE)).coins, 1600);
  await expectError(client.addCoins(ALICE, 0), 'invalid_request', {
    upstreamMessage: 'too small or big coins',
  });
});

test('addCoins() reproduces the lost-balance bug: the first grant on a missing record is lost, the next works', async (t) => {
  const { fake, client } = await setup(t);
  await client.addCoins(BOB, 500); // BOB has no balance record
  assert.equal(fake.requests.filter((r) => r.path === '/api/v3/addcoins').length, 1);
  assert.equal((await client.userInfo(BOB)).coins, 0, 'read back: this grant was lost');
  await client.addCoins(BOB, 500);
  assert.equal((await client.userInfo(BOB)).coins, 500, 'the next grant works');

  await client.setCoins(ALICE, 0);
  await client.addCoins(ALICE, 10);
  assert.equal((await client.userInfo(ALICE)).coins, 0, 'same after setcoins 0 deleted the record');
});

test('setPlan() sends the package as a string; null removes the plan by omitting it', async (t) => {
  const { fake, client } = await setup(t);
  await client.setPlan(ALICE, 'premium');
  assert.equal(last(fake).rawBody, `{"id":"${ALICE}","package":"premium"}`);
  assert.equal((await client.userInfo(ALICE)).package.name, 'premium');

  await client.setPlan(ALICE, null);
  assert.equal(last(fake).rawBody, `{"id":"${ALICE}"}`);
  assert.equal(fake.user(ALICE)?.package, undefined);
  assert.equal((await client.userInfo(ALICE)).package.name, null);
});

test('setPlan() with an unknown package is invalid_request', async (t) => {
  const { fake, client } = await setup(t);
  const error = await expectError(client.setPlan(BOB, 'gold'), 'invalid_request', {
    upstreamMessage: 'invalid package',
  });
  assert.equal(describeHeliactylError(error), 'The dashboard has no package with that name.');
  assert.equal(fake.user(BOB)?.package, 'premium');
});

test('setResources() sends only the given fields, which replace the old values', async (t) => {
  const { fake, client } = await setup(t);
  await client.setResources(BOB, { disk: 5120, servers: 1 });
  assert.equal(last(fake).rawBody, `{"id":"${BOB}","disk":5120,"servers":1}`);
  assert.deepEqual((await client.userInfo(BOB)).extra, { ram: 1024, disk: 5120, cpu: 0, servers: 1 });
  await client.setResources(BOB, { ram: 0 });
  assert.deepEqual(fake.user(BOB)?.extra, { ram: 0, disk: 5120, cpu: 0, servers: 1 });
});

test('setResources() refusals: nothing given, a value out of range', async (t) => {
  const { fake, client } = await setup(t);
  const none = await expectError(client.setResources(BOB, {}), 'invalid_request', {
    upstreamMessage: 'missing variables',
  });
  assert.deepEqual(last(fake).body, { id: BOB });
  assert.equal(describeHeliactylError(none), 'Give at least one of ram, disk, cpu or servers.');
  await expectError(client.setResources(BOB, { cpu: 10, ram: -5 }), 'invalid_request', {
    upstreamMessage: 'ram size',
  });
  assert.deepEqual(fake.user(BOB)?.extra, { ram: 1024, disk: 0, cpu: 0, servers: 0 }, 'nothing half-applied');
});

test('renewal bypass: give and remove are idempotent and reach the right paths', async (t) => {
  const { fake, client } = await setup(t);
  await client.giveRenewalBypass(ALICE);
  await client.giveRenewalBypass(ALICE);
  assert.deepEqual(last(fake).body, { id: ALICE });
  assert.equal(last(fake).path, '/api/v3/give_renewalbypass');
  assert.equal(fake.user(ALICE)?.renewalBypass, true);
  await client.removeRenewalBypass(ALICE);
  await client.removeRenewalBypass(ALICE);
  assert.equal(last(fake).path, '/api/v3/remove_renewalbypass');
  assert.equal(fake.user(ALICE)?.renewalBypass, false);
  await expectError(client.giveRenewalBypass('nobody'), 'unknown_user');
});

// ── auth and dashboard-level refusals ──────────────────────────────────────

test('API disabled → api_disabled (403) with the config hint', async (t) => {
  const { client } = await setup(t, { fake: { enabled: false } });
  const error = await expectError(client.userInfo(ALICE), 'api_disabled', {
    status: 403,
    upstreamMessage: 'API is disabled',
  });
  assert.equal(
    describeHeliactylError(error),
    "The dashboard's API is disabled (api.client.api.enabled in its config.toml).",
  );
});

test('a wrong key → unauthorized (403), and neither key appears in the error', async (t) => {
  const { fake } = await setup(t);
  const wrongKey = 'hl_WRONG_0000111122223333';
  const client = new HeliactylClient({ baseUrl: fake.url, apiKey: wrongKey, timeoutMs: WAIT_MS });
  t.after(() => client.close());
  const error = await expectError(client.addCoins(ALICE, 5), 'unauthorized', {
    status: 403,
    upstreamMessage: 'Invalid API key',
  });
  assert.equal(last(fake).headers.authorization, `Bearer ${wrongKey}`);
  assert.ok(!JSON.stringify(error).includes(wrongKey) && !error.message.includes(wrongKey));
  assert.equal(
    describeHeliactylError(error),
    "The dashboard rejected the bot's API key — the bot is misconfigured; ask the operator to check HELIACTYL_API_KEY.",
  );
  assert.equal(fake.user(ALICE)?.coins, 1500);
});

test('an HTML 404 from the wrong dashboard URL → upstream_error with the Express text', async (t) => {
  const { fake } = await setup(t);
  const client = new HeliactylClient({ baseUrl: `${fake.url}/panel`, apiKey: KEY, timeoutMs: WAIT_MS });
  t.after(() => client.close());
  await expectError(client.status(), 'upstream_error', {
    status: 404,
    upstreamMessage: 'Cannot GET /panel/api',
    mayHaveReachedServer: false,
  });
  assert.equal(last(fake).path, '/panel/api');
});

test('issue11 item 5: an HTML 400 or 413 → invalid_request with its headline only: no stack trace, no server paths', async (t) => {
  const { fake, client } = await setup(t);
  const page = (pre: string) =>
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><pre>${pre}</pre></body></html>`;
  const cases = [
    {
      status: 400,
      pre: 'SyntaxError: Unexpected end of JSON input<br> &nbsp; &nbsp;at JSON.parse (&lt;anonymous&gt;)<br> &nbsp; &nbsp;at parse (/home/dash/heliactyl/node_modules/body-parser/lib/types/json.js:92:19)',
      shown: 'SyntaxError: Unexpected end of JSON input',
    },
    {
      status: 413,
      pre: 'PayloadTooLargeError: request entity too large<br> &nbsp; &nbsp;at readStream (/srv/heliactyl/node_modules/raw-body/index.js:163:17)',
      shown: 'PayloadTooLargeError: request entity too large',
    },
    {
      status: 400,
      pre: 'Error: ENOENT: no such file, open &#39;/srv/heliactyl/config.toml&#39; at Object.openSync (node:fs:573:18)',
      shown: "Error: ENOENT: no such file, open '[path]'",
    },
  ];
  for (const item of cases) {
    fake.faults.add({
      fault: {
        kind: 'status',
        status: item.status,
        contentType: 'text/html; charset=utf-8',
        body: page(item.pre),
      },
      times: 1,
    });
    const error = await expectError(client.setCoins(ALICE, 1), 'invalid_request', {
      status: item.status,
      upstreamMessage: item.shown,
      mayHaveReachedServer: false,
    });
    const told = describeHeliactylError(error);
    assert.ok(!/node_modules|\/srv\/|\/home\/|\bat \w+ \(/.test(told), told);
  }
});

// ── rate limits and pacing ─────────────────────────────────────────────────

test("the dashboard's 429 → rate_limited from Retry-After, then nothing is sent until it passes", async (t) => {
  const { fake, client } = await setup(t);
  fake.faults.add({ fault: { kind: 'rate_limit', retryAfterSeconds: 180 }, times: 1 });
  const error = await expectError(client.addCoins(ALICE, 5), 'rate_limited', {
    status: 429,
    mayHaveReachedServer: false,
  });
  assert.equal(error.retryAfterMs, 180_000, 'Retry-After wins over the body’s fixed 900');
  assert.equal(describeHeliactylError(error), 'The dashboard is rate-limiting the bot; try again in 3 min.');
  assert.equal(client.budgetRemaining(), 0);

  const sent = fake.requests.length;
  const blocked = await expectError(client.userInfo(ALICE), 'rate_limited', { mayHaveReachedServer: false });
  assert.ok((blocked.retryAfterMs ?? 0) > 170_000);
  assert.equal(fake.requests.length, sent, 'fails fast without sending');
  assert.equal(fake.user(ALICE)?.coins, 1500);
});

test("the fake's own per-IP limiter: 429 counted across clients, Retry-After from the window", async (t) => {
  const { fake, client } = await setup(t, { fake: { rateLimit: { limit: 2, windowMs: 60_000 } } });
  await client.status();
  assert.equal(client.budgetRemaining(), 1, 'learned from RateLimit-Remaining');
  await client.status();
  assert.equal(client.budgetRemaining(), 0);

  // A second process on the same IP knows nothing and gets the real 429.
  const other = new HeliactylClient({ baseUrl: fake.url, apiKey: KEY, timeoutMs: WAIT_MS });
  t.after(() => other.close());
  const error = await expectError(other.status(), 'rate_limited', { status: 429 });
  assert.ok(
    (error.retryAfterMs ?? 0) > 50_000 && (error.retryAfterMs ?? 0) <= 60_000,
    String(error.retryAfterMs),
  );

  // The first client, having learned the count, does not even try.
  const sent = fake.requests.length;
  await expectError(client.status(), 'rate_limited', { mayHaveReachedServer: false });
  assert.equal(fake.requests.length, sent);
});

test('pacing: once the budget of the window is spent, calls fail fast without sending', async (t) => {
  const { fake, client } = await setup(t, {
    client: { budget: { limit: 2, windowMs: 60_000 }, maxWaitMs: 0 },
  });
  assert.equal(client.budgetRemaining(), 2);
  await client.userInfo(ALICE);
  await client.userInfo(BOB);
  assert.equal(client.budgetRemaining(), 0);
  const error = await expectError(client.addCoins(ALICE, 1), 'rate_limited', { mayHaveReachedServer: false });
  // The dashboard's window (600 s, from its RateLimit-Reset) and the margin: 600 s × 1.02 + 1 s.
  assert.ok(
    (error.retryAfterMs ?? 0) > 600_000 && (error.retryAfterMs ?? 0) <= 613_000,
    String(error.retryAfterMs),
  );
  assert.match(describeHeliactylError(error), /try again in 11 min\.$/);
  assert.equal(fake.requests.length, 2, 'the third call never left the bot');
  assert.equal(fake.user(ALICE)?.coins, 1500);
});

test("pacing: a call waits for the dashboard's window to end when that is within maxWaitMs", async (t) => {
  const { fake, client } = await setup(t, {
    fake: { rateLimit: { limit: 1, windowMs: 1_000 } },
    client: { margin: { share: 0, rate: 0, ms: 0 }, maxWaitMs: 3_000 },
  });
  await client.status();
  await client.status();
  assert.equal(fake.requests.length, 2);
  const [first, second] = fake.requests;
  assert.ok(second!.at - first!.at >= 1_000, 'the second request waited for the window to end');
});

// ── broken answers and connections ─────────────────────────────────────────

test('truncated JSON → malformed; the write may have happened', async (t) => {
  const { fake, client } = await setup(t);
  fake.faults.add({ fault: { kind: 'malformed' }, path: '/addcoins', times: 1 });
  const error = await expectError(client.addCoins(ALICE, 5), 'malformed', {
    status: 200,
    mayHaveReachedServer: true,
  });
  assert.match(describeHeliactylError(error), /may or may not have been applied/);
  assert.equal(fake.requests.length, 1, 'no retry');
});

test('a success body of the wrong shape → malformed', async (t) => {
  const { fake, client } = await setup(t);
  fake.faults.add({
    fault: {
      kind: 'status',
      status: 200,
      body: JSON.stringify({ status: 'success', id: ALICE, coins: 'lots' }),
    },
    times: 1,
  });
  await expectError(client.userInfo(ALICE), 'malformed', { status: 200 });
});

test('a 5xx → upstream_error; on a write the outcome is unknown', async (t) => {
  const { fake, client } = await setup(t);
  fake.faults.add({
    fault: {
      kind: 'status',
      status: 502,
      contentType: 'text/html',
      body: '<html><h1>502 Bad Gateway</h1></html>',
    },
    times: 2,
  });
  await expectError(client.status(), 'upstream_error', { status: 502, upstreamMessage: '502 Bad Gateway' });
  const error = await expectError(client.addCoins(ALICE, 5), 'upstream_error', {
    status: 502,
    mayHaveReachedServer: true,
  });
  assert.equal(
    describeHeliactylError(error),
    'The dashboard reported an error: "502 Bad Gateway". The change may or may not have been applied — check the account before trying again.',
  );
  assert.equal(fake.requests.length, 2, 'no retry');
});

test('a connection reset → network, may have reached the server, never retried', async (t) => {
  const { fake, client } = await setup(t);
  fake.faults.add({ fault: { kind: 'reset' }, path: '/addcoins', times: 1 });
  const error = await expectError(client.addCoins(ALICE, 5), 'network', { mayHaveReachedServer: true });
  assert.match(describeHeliactylError(error), /broke before it answered/);
  assert.equal(fake.requests.filter((r) => r.path === '/api/v3/addcoins').length, 1);
  await client.addCoins(ALICE, 5);
  assert.equal(fake.user(ALICE)?.coins, 1505, 'the next call uses a fresh connection');
});

test('a hang → timeout after timeoutMs', async (t) => {
  const { fake, client } = await setup(t, { client: { timeoutMs: 300 } });
  fake.faults.add({ fault: { kind: 'hang' }, times: 1 });
  const error = await expectError(client.setPlan(ALICE, 'premium'), 'timeout', {
    mayHaveReachedServer: true,
  });
  assert.equal(error.timeoutMs, 300);
  assert.match(
    describeHeliactylError(error),
    /^The dashboard did not answer within 1 s\. The change may or may not/,
  );
  assert.equal(fake.requests.length, 1, 'no retry');
});

test('a refused connection → network, nothing reached the server', async (t) => {
  const port = await unusedPort();
  const client = new HeliactylClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY, timeoutMs: 1_000 });
  t.after(() => client.close());
  const error = await expectError(client.addCoins(ALICE, 5), 'network', { mayHaveReachedServer: false });
  assert.equal(describeHeliactylError(error), 'The bot could not connect to the dashboard.');
});

test('the API key is redacted even when the dashboard echoes it back', async (t) => {
  const { fake, client } = await setup(t);
  fake.faults.add({
    fault: {
      kind: 'status',
      status: 500,
      body: JSON.stringify({ status: 'error', message: `bad header Bearer ${KEY}` }),
    },
    times: 1,
  });
  const error = await expectError(client.status(), 'upstream_error', { status: 500 });
  assert.equal(error.upstreamMessage, 'bad header Bearer [redacted]');
});
