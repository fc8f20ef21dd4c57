/**
 * The fake Heliactyl itself, over raw HTTP: it must answer as the real
 * dashboard does (notes/heliactyl-behaviour.md), including where that differs
 * from the published spec, or the client tests prove nothing.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { FakeHeliactyl, type FakeHeliactylOptions } from '../fakes/heliactyl.js';

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
  const noBody = await call(fake, 'POST', '/api/v3/setplan');
  assert.deepEqual(noBody.json, { status: 'missing body' });
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

test('userinfo answers an HTML 404, or nothing, when Pterodactyl is unreachable', async (t) => {
  const fake = await start(t);
  fake.pterodactylFailure = 'html404';
  const answer = await call(fake, 'GET', `/api/v3/userinfo?id=${ID}`);
  assert.equal(answer.status, 404);
  assert.match(answer.type, /^text\/html/);

  fake.pterodactylFailure = 'hang';
  const hung = await Promise.race([
    call(fake, 'GET', `/api/v3/userinfo?id=${ID}`).then(() => 'answered'),
    new Promise((resolve) => setTimeout(resolve, 200, 'hung')),
  ]);
  assert.equal(hung, 'hung');
});

test('userinteractions parses limit loosely', async (t) => {
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
    [`User (${ID}) 18`, `User (${ID}) 19`],
  );
});
