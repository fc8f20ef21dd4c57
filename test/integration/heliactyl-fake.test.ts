/**
 * The fake Heliactyl itself, over raw HTTP: it must answer as the real
 * dashboard does (notes/heliactyl-behaviour.md), including where that differs
 * from the published spec, or the client tests prove nothing.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { FakeHeliactyl, PANEL_ACCOUNT_MISSING_TEXT, type FakeHeliactylOptions } from '../fakes/heliactyl.js';

const KEY = 'hl_fake_key_5a6b7c8d';
const ID = '123456789';

async function start(t: TestContext, options: FakeHeliactylOptions = {}): Promise<FakeHeliactyl> {
  const fake = await FakeHeliactyl.start({ apiKey: KEY, ...options });
  fake.addUser({ id: ID, coins: 100 });
  t.after(() => fake.close());
  return fake;
}

interface Answer {
  status: number;
  type: string;
  headers: Headers;
  text: string;
  json: unknown;
}

async function call(
  fake: FakeHeliactyl,
  method: string,
  path: string,
  options: { body?: string; auth?: string | null; type?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.auth !== null) headers.authorization = options.auth ?? `Bearer ${KEY}`;
  if (options.body !== undefined) headers['content-type'] = options.type ?? 'application/json';
  const res = await fetch(`${fake.url}${path}`, { method, headers, body: options.body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    headers: res.headers,
    text,
    json,
  };
}

const post = (fake: FakeHeliactyl, path: string, body: unknown) =>
  call(fake, 'POST', path, { body: JSON.stringify(body) });

test('auth order: disabled, then missing header, then exact Bearer key', async (t) => {
  const fake = await start(t, { enabled: false });
  let answer = await call(fake, 'GET', '/api', { auth: null });
  assert.equal(answer.status, 403);
  assert.deepEqual(answer.json, { status: 'error', message: 'API is disabled' });

  fake.enabled = true;
  answer = await call(fake, 'GET', '/api', { auth: null });
  assert.equal(answer.status, 401);
  assert.deepEqual(answer.json, { status: 'error', message: 'Missing authorization header' });

  for (const auth of [`bearer ${KEY}`, `Bearer  ${KEY}`, KEY, `Bearer ${KEY.toUpperCase()}`]) {
    answer = await call(fake, 'GET', '/api', { auth });
    assert.equal(answer.status, 403, auth);
    assert.deepEqual(answer.json, { status: 'error', message: 'Invalid API key' });
  }
  answer = await call(fake, 'GET', '/api');
  assert.deepEqual(answer.json, { status: true, version: '3.2.1-beta.1', platform_codename: 'Avalanche 2' });
});

test('Express-level answers are HTML: 400 bad JSON, 413 over 500 kB, 404 unknown route', async (t) => {
  const fake = await start(t);
  let answer = await call(fake, 'POST', '/api/v3/setcoins', { body: '{"id":' });
  assert.equal(answer.status, 400);
  assert.match(answer.type, /^text\/html/);
  assert.match(answer.text, /<pre>SyntaxError: /);

  answer = await call(fake, 'POST', '/api/v3/setcoins', {
    body: JSON.stringify({ id: ID, pad: 'x'.repeat(520_000) }),
  });
  assert.equal(answer.status, 413);
  assert.match(answer.type, /^text\/html/);

  answer = await call(fake, 'GET', '/api/v3/nope?id=1', { auth: null });
  assert.equal(answer.status, 404, 'routing comes before auth');
  assert.match(answer.type, /^text\/html/);
  assert.match(answer.text, /<pre>Cannot GET \/api\/v3\/nope<\/pre>/);

  answer = await call(fake, 'POST', '/api');
  assert.match(answer.text, /Cannot POST \/api/);
  assert.equal(fake.user(ID)?.coins, 100);
});

test('rate limit: headers on every response, counted before auth, 429 with Retry-After', async (t) => {
  const fake = await start(t, { rateLimit: { limit: 3, windowMs: 120_000 } });
  const first = await call(fake, 'GET', '/api/v3/unknown', { auth: null });
  assert.equal(first.status, 404);
  assert.equal(first.headers.get('ratelimit-policy'), '3;w=120');
  assert.equal(first.headers.get('ratelimit-limit'), '3');
  assert.equal(first.headers.get('ratelimit-remaining'), '2');
  assert.equal(first.headers.get('ratelimit-reset'), '120');

  const second = await call(fake, 'GET', '/api', { auth: null });
  assert.equal(second.status, 401);
  assert.equal(second.headers.get('ratelimit-remaining'), '1');
  await call(fake, 'GET', '/api');

  const limited = await call(fake, 'GET', '/api');
  assert.equal(limited.status, 429);
  assert.deepEqual(limited.json, {
    error: 'Too many requests from this IP, please try again later.',
    retryAfter: 900,
  });
  assert.equal(limited.headers.get('ratelimit-remaining'), '0');
  const retryAfter = Number(limited.headers.get('retry-after'));
  assert.ok(retryAfter > 100 && retryAfter <= 120, String(retryAfter));

  fake.resetRateLimit();
  assert.equal((await call(fake, 'GET', '/api')).status, 200);
});

test('default policy is 250 per 600 s', async (t) => {
  const fake = await start(t);
  const answer = await call(fake, 'GET', '/api');
  assert.equal(answer.headers.get('ratelimit-policy'), '250;w=600');
  assert.equal(answer.headers.get('ratelimit-remaining'), '249');
});

test('faults run before the rate limiter and the routes', async (t) => {
  const fake = await start(t, { rateLimit: { limit: 1, windowMs: 60_000 } });
  fake.faults.add({ fault: { kind: 'status', status: 503 }, times: 1 });
  assert.equal((await call(fake, 'GET', '/api')).status, 503);
  const answer = await call(fake, 'GET', '/api');
  assert.equal(answer.status, 200, 'the faulted request did not count');
  fake.faults.add({ fault: { kind: 'rate_limit', retryAfterSeconds: 42 }, times: 1 });
  const limited = await call(fake, 'GET', '/api');
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '42');
  assert.equal(fake.requests.length, 3, 'every request is recorded, faulted or not');
});

test('post-auth errors are HTTP 200 with a status text', async (t) => {
  const fake = await start(t);
  const cases: Array<[string, string, unknown, unknown]> = [
    ['POST', '/api/v3/setcoins', { coins: 5 }, { status: 'id must be a string' }],
    ['POST', '/api/v3/setcoins', [ID], { status: 'body cannot be an array' }],
    ['POST', '/api/v3/setcoins', { id: ID, coins: '5' }, { status: 'coins must be number' }],
    ['POST', '/api/v3/setcoins', { id: ID, coins: 1e15 }, { status: 'too small or big coins' }],
    ['POST', '/api/v3/addcoins', { id: 'nobody', coins: 5 }, { status: 'invalid id' }],
    ['POST', '/api/v3/ban', { reason: 'x' }, { status: 'id must be a string' }],
    ['POST', '/api/v3/setplan', { package: 'premium' }, { status: 'missing id' }],
    ['POST', '/api/v3/setresources', { id: ID, ram: '5' }, { status: 'missing variables' }],
    ['POST', '/api/v3/setresources', { id: ID, disk: 1e15 }, { status: 'disk size' }],
    ['POST', '/api/v3/setresources', { id: ID, cpu: -1 }, { status: 'cpu size' }],
    ['POST', '/api/v3/setresources', { id: ID, servers: -1 }, { status: 'server size' }],
    ['POST', '/api/v3/give_renewalbypass', {}, { status: 'missing id' }],
  ];
  for (const [method, path, body, expected] of cases) {
    const answer = await call(fake, method, path, { body: JSON.stringify(body) });
    assert.equal(answer.status, 200, `${path} ${JSON.stringify(body)}`);
    assert.deepEqual(answer.json, expected, `${path} ${JSON.stringify(body)}`);
  }
  const textBody = await call(fake, 'POST', '/api/v3/unban', { body: ID, type: 'text/plain' });
  assert.deepEqual(textBody.json, { status: 'body must be an object' });
  assert.deepEqual((await call(fake, 'GET', '/api/v3/userinfo')).json, { status: 'missing id' });
  assert.equal(fake.user(ID)?.coins, 100);
});

test('setcoins accepts fractions; setplan with a non-string package removes the plan', async (t) => {
  const fake = await start(t);
  assert.deepEqual((await post(fake, '/api/v3/setcoins', { id: ID, coins: 2.5 })).json, {
    status: 'success',
  });
  assert.equal(fake.user(ID)?.coins, 2.5);

  await post(fake, '/api/v3/setplan', { id: ID, package: 'premium' });
  assert.equal(fake.user(ID)?.package, 'premium');
  for (const pkg of [5, null]) {
    await post(fake, '/api/v3/setplan', { id: ID, package: 'premium' });
    assert.deepEqual((await post(fake, '/api/v3/setplan', { id: ID, package: pkg })).json, {
      status: 'success',
    });
    assert.equal(fake.user(ID)?.package, undefined, `package ${String(pkg)} removes the plan`);
  }
  const answer = await post(fake, '/api/v3/setplan', { id: ID, package: 'gold' });
  assert.deepEqual(answer.json, { status: 'invalid package' });
});

test('userinfo: full Pterodactyl object, no package name on the default package', async (t) => {
  const fake = await start(t);
  fake.addUser({ id: 'g-1', coins: null, servers: [{ name: 'A' }] });
  const answer = await call(fake, 'GET', '/api/v3/userinfo?id=g-1');
  const body = answer.json as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(body.status, 'success');
  assert.equal(body.coins, null);
  assert.equal('name' in body.package, false);
  assert.equal(body.userinfo.object, 'user');
  assert.equal(body.userinfo.attributes.relationships.servers.data[0].attributes.name, 'A');
  assert.equal(body.userinfo.attributes.relationships.servers.data[0].attributes.identifier.length, 8);
});

test('issue11 item 2: body-less POSTs get `id must be a string` or `missing id`; `missing body` only for empty text', async (t) => {
  const fake = await start(t);
  for (const path of ['addcoins', 'setcoins', 'ban', 'unban']) {
    assert.deepEqual(
      (await call(fake, 'POST', `/api/v3/${path}`)).json,
      { status: 'id must be a string' },
      path,
    );
  }
  for (const path of ['setplan', 'setresources', 'give_renewalbypass', 'remove_renewalbypass']) {
    assert.deepEqual((await call(fake, 'POST', `/api/v3/${path}`)).json, { status: 'missing id' }, path);
  }
  const emptyText = await call(fake, 'POST', '/api/v3/setplan', { body: '', type: 'text/plain' });
  assert.deepEqual(emptyText.json, { status: 'missing body' });
  assert.equal(fake.user(ID)?.coins, 100);
});

test('issue11 item 2: a missing panel account: userinfo answers a bare sentence, the listings an error; a failing panel: no answer', async (t) => {
  const fake = await start(t);
  fake.addUser({ id: 'gone', panel: 'missing' });
  const answer = await call(fake, 'GET', '/api/v3/userinfo?id=gone');
  assert.equal(answer.status, 200);
  assert.equal(answer.type, 'text/html; charset=utf-8');
  assert.equal(answer.text, PANEL_ACCOUNT_MISSING_TEXT);
  for (const path of ['userservers', 'userserverdetails']) {
    const listing = await call(fake, 'GET', `/api/v3/${path}?id=gone`);
    assert.deepEqual(listing.json, { status: 'error', message: 'Failed to fetch user data' }, path);
  }

  fake.pterodactylFailure = 'error';
  assert.deepEqual((await call(fake, 'GET', `/api/v3/userservers?id=${ID}`)).json, {
    status: 'error',
    message: 'Failed to fetch servers',
  });
  const parked = fake.nextHanging();
  let answered = false;
  const controller = new AbortController();
  const hung = fetch(`${fake.url}/api/v3/userinfo?id=${ID}`, {
    headers: { authorization: `Bearer ${KEY}` },
    signal: controller.signal,
  }).then(
    () => (answered = true),
    () => undefined,
  );
  await parked;
  assert.equal(answered, false);
  controller.abort();
  await hung;
});

test('issue11 item 2: 400 and 413 pages are not counted, carry no RateLimit headers, and show a stack trace', async (t) => {
  const fake = await start(t);
  const bad = await call(fake, 'POST', '/api/v3/addcoins', { body: '{', auth: null });
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get('ratelimit-remaining'), null);
  assert.match(bad.text, /<pre>SyntaxError: [^<]*<br> &nbsp; &nbsp;at JSON\.parse/);
  assert.match(bad.text, /\/node_modules\/body-parser\//, 'server paths, as on the real dashboard');
  const big = await call(fake, 'POST', '/api/v3/addcoins', {
    body: JSON.stringify({ pad: 'x'.repeat(520_000) }),
  });
  assert.equal(big.status, 413);
  assert.equal(big.headers.get('ratelimit-remaining'), null);
  assert.equal((await call(fake, 'GET', '/api')).headers.get('ratelimit-remaining'), '249');
});

test('issue11 item 2: X-Forwarded-For is trusted: each forwarded address has its own window', async (t) => {
  const fake = await start(t, { rateLimit: { limit: 1, windowMs: 60_000 } });
  const forwarded = (address: string) =>
    fetch(`${fake.url}/api`, { headers: { authorization: `Bearer ${KEY}`, 'x-forwarded-for': address } });
  assert.equal((await forwarded('10.0.0.1, 10.9.9.9')).status, 200);
  assert.equal((await forwarded('10.0.0.1')).status, 429, 'the left-most address is the client');
  assert.equal((await forwarded('10.0.0.2')).status, 200);
  assert.equal((await call(fake, 'GET', '/api')).status, 200, 'the socket address has its own window');
});

test('issue11 item 2: addcoins on a missing balance record stores null (this grant is lost); the next one works', async (t) => {
  const fake = await start(t);
  fake.addUser({ id: 'new' });
  assert.deepEqual((await post(fake, '/api/v3/addcoins', { id: 'new', coins: 500 })).json, {
    status: 'success',
  });
  assert.equal(fake.user('new')?.coins, null);
  assert.equal(((await call(fake, 'GET', '/api/v3/userinfo?id=new')).json as { coins: number }).coins, 0);
  await post(fake, '/api/v3/addcoins', { id: 'new', coins: 500 });
  assert.equal(((await call(fake, 'GET', '/api/v3/userinfo?id=new')).json as { coins: number }).coins, 500);
});

test('userinteractions parses limit loosely, lists the newest lines first, refuses unknown ids', async (t) => {
  const fake = await start(t);
  for (let i = 0; i < 20; i += 1)
    fake.log.push({ timestamp: `2025-01-01 00:00:${i}`, action: `User (${ID}) ${i}` });
  const expectations: Array<[string, unknown]> = [
    ['0', 15],
    ['abc', 15],
    ['2.9', 2],
    ['100', 100],
    ['-3', 'limit must be between 1 and 100'],
    ['101', 'limit must be between 1 and 100'],
  ];
  for (const [limit, expected] of expectations) {
    const body = (await call(fake, 'GET', `/api/v3/userinteractions?id=${ID}&limit=${limit}`)).json as {
      status: string;
      limit?: number;
    };
    assert.equal(typeof expected === 'number' ? body.limit : body.status, expected, `limit=${limit}`);
  }
  const two = (await call(fake, 'GET', `/api/v3/userinteractions?id=${ID}&limit=2`)).json as {
    count: number;
    interactions: Array<{ action: string }>;
  };
  assert.equal(two.count, 2);
  assert.deepEqual(
    two.interactions.map((i) => i.action),
    [`User (${ID}) 19`, `User (${ID}) 18`],
    'the newest lines, newest first',
  );
  const unknown = await call(fake, 'GET', '/api/v3/userinteractions?id=nobody');
  assert.deepEqual(unknown.json, { status: 'invalid id' });
});
