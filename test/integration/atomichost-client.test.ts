import { describe, test, type TestContext } from 'node:test';
import { WAIT_MS } from '../fakes/discord/fake-interaction.js';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';

import { AtomicHostClient, type AtomicHostApi } from '../../src/atomichost/client.js';
import { AtomicHostError, AtomicHostInputError, isKeyRevoked } from '../../src/atomichost/errors.js';
import { describeAtomicHostError } from '../../src/presenter/atomichost-text.js';
import { RemotePathError, normalizeRemotePath } from '../../src/atomichost/remote-path.js';
import type { PowerSignal } from '../../src/atomichost/schemas.js';
import { FakeAtomicHost, type FakeAccount, type FakeService } from '../fakes/atomichost/index.js';

interface Setup {
  fake: FakeAtomicHost;
  client: AtomicHostClient;
  owner: FakeAccount;
  service: FakeService;
  api: AtomicHostApi;
  last(): NonNullable<FakeAtomicHost['requests'][number]>;
}

async function setup(
  t: TestContext,
  options: Parameters<typeof FakeAtomicHost.start>[0] = {},
  timeoutMs = WAIT_MS,
): Promise<Setup> {
  const fake = await FakeAtomicHost.start(options);
  const client = new AtomicHostClient({ baseUrl: fake.url, timeoutMs });
  t.after(async () => {
    await client.close();
    await fake.close();
  });
  const owner = fake.addAccount({ username: 'steve', email: 's@example.com' });
  const service = fake.addService({
    name: 'My Rust Server',
    ownerId: owner.id,
    package: { id: 5, name: 'Rust 4GB' },
    files: { '/server.properties': 'motd=hi\n', '/plugins/a.jar': 'jar-bytes', '/world/level.dat': 'lvl' },
  });
  const last = (): NonNullable<FakeAtomicHost['requests'][number]> => {
    const request = fake.requests.at(-1);
    assert.ok(request, 'the fake received a request');
    return request;
  };
  return { fake, client, owner, service, api: client.forKey(owner.key), last };
}

async function failure(promise: Promise<unknown>): Promise<AtomicHostError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AtomicHostError, `expected AtomicHostError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

async function expectCode(
  promise: Promise<unknown>,
  code: string,
  status?: number,
): Promise<AtomicHostError> {
  const error = await failure(promise);
  assert.equal(error.code, code);
  assert.equal(error.status, status);
  return error;
}

describe('AtomicHost client: account and services', () => {
  test('me() sends the key and Accept header and parses data and limits', async (t) => {
    const { api, owner, last } = await setup(t);
    const { data, limits } = await api.me();
    assert.deepEqual(data.user, { id: owner.id, username: 'steve', email: 's@example.com' });
    assert.equal(data.api_key.prefix, owner.key.slice(0, 11));
    assert.equal(data.credits.limit, 2500);
    assert.equal(data.credits.used, 1);
    assert.equal(data.credits.reset_timezone, 'UTC');
    assert.deepEqual(limits.rateLimit, { limit: 120, remaining: 119 });
    assert.equal(limits.credits?.used, 1);
    assert.equal(limits.credits?.remaining, 2499);
    assert.ok(limits.credits?.resetAt instanceof Date && limits.credits.resetAt.getTime() > Date.now());
    const request = last();
    assert.equal(request.method, 'GET');
    assert.equal(request.path, '/me');
    assert.equal(request.headers.authorization, `Bearer ${owner.key}`);
    assert.equal(request.headers.accept, 'application/json');
  });

  test('listServers() lists owned and shared services only, with roles', async (t) => {
    const { fake, client, owner, service } = await setup(t);
    const member = fake.addAccount({ username: 'alex' });
    const stranger = fake.addAccount({ username: 'eve' });
    const shared = fake.addService({ name: 'Shared', ownerId: stranger.id });
    fake.addService({ name: 'Private', ownerId: stranger.id });
    fake.share(shared.id, member.id, ['files']);
    fake.share(service.id, member.id, ['console']);

    const mine = await client.forKey(owner.key).listServers();
    assert.deepEqual(
      mine.data.map((s) => [s.id, s.role]),
      [[service.id, 'owner']],
    );
    assert.deepEqual(mine.data[0]?.package, { id: 5, name: 'Rust 4GB' });
    const theirs = await client.forKey(member.key).listServers();
    assert.deepEqual(theirs.data.map((s) => [s.name, s.role]).sort(), [
      ['My Rust Server', 'member'],
      ['Shared', 'member'],
    ]);
  });

  test('getServer() and getStatus() return the service and its live state', async (t) => {
    const { api, service, last } = await setup(t);
    const info = await api.getServer(service.id);
    assert.equal(info.data.name, 'My Rust Server');
    assert.deepEqual(info.data.permissions, ['console', 'files', 'backups']);
    assert.equal(last().path, `/servers/${service.id}`);
    const status = await api.getStatus(String(service.id));
    assert.equal(status.data.state, 'running');
    assert.equal(status.data.is_suspended, false);
    assert.equal(status.data.resources.memory_bytes, 1_073_741_824);
    assert.equal(last().path, `/servers/${service.id}/status`);
  });

  test('power() sends the signal and the fake applies it; an invalid signal is 422', async (t) => {
    const { api, service, last } = await setup(t);
    const { data } = await api.power(service.id, 'stop');
    assert.deepEqual(data, { signal: 'stop', accepted: true });
    assert.equal(last().method, 'POST');
    assert.equal(last().path, `/servers/${service.id}/power`);
    assert.deepEqual(last().body, { signal: 'stop' });
    assert.deepEqual(service.powerHistory, ['stop']);
    assert.equal(service.state, 'offline');

    const error = await expectCode(api.power(service.id, 'explode' as PowerSignal), 'validation_failed', 422);
    assert.match(error.upstreamMessage ?? '', /signal/);
    assert.deepEqual(service.powerHistory, ['stop']);
  });

  test('sendCommand() posts the command', async (t) => {
    const { api, service, last } = await setup(t);
    const { data } = await api.sendCommand(service.id, 'say hello');
    assert.deepEqual(data, { sent: true });
    assert.deepEqual(last().body, { command: 'say hello' });
    assert.equal(last().path, `/servers/${service.id}/console/command`);
    assert.deepEqual(service.commands, ['say hello']);
    await expectCode(api.sendCommand(service.id, '   '), 'validation_failed', 422);
  });

  test('ids that could change the URL are refused locally', async (t) => {
    const { api, fake } = await setup(t);
    const before = fake.requests.length;
    await assert.rejects(api.getServer('../me'), AtomicHostInputError);
    await assert.rejects(api.getBackup(1, 'a/b'), AtomicHostInputError);
    assert.equal(fake.requests.length, before);
  });
});

describe('AtomicHost client: files', () => {
  test('listFiles() and readFile() send the path as a query', async (t) => {
    const { api, service, last } = await setup(t);
    const root = await api.listFiles(service.id, '/');
    assert.equal(root.data.path, '/');
    assert.deepEqual(
      root.data.files.map((f) => [f.name, f.is_file]),
      [
        ['plugins', false],
        ['world', false],
        ['server.properties', true],
      ],
    );
    assert.equal(root.data.files.find((f) => f.name === 'server.properties')?.size, 8);
    assert.deepEqual(last().query, { path: '/' });
    assert.equal(last().path, `/servers/${service.id}/files`);

    const file = await api.readFile(service.id, '/server.properties');
    assert.deepEqual(file.data, { path: '/server.properties', content: 'motd=hi\n' });
    assert.equal(last().path, `/servers/${service.id}/files/contents`);
    assert.deepEqual(last().query, { path: '/server.properties' });
    await expectCode(api.readFile(service.id, '/missing.txt'), 'not_found', 404);
  });

  test('writeFile(), createFolder(), rename() and deleteFiles() send their bodies and change the files', async (t) => {
    const { api, service, last } = await setup(t);
    await api.writeFile(service.id, '/ops.json', '[]');
    assert.equal(last().method, 'POST');
    assert.deepEqual(last().body, { path: '/ops.json', content: '[]' });
    assert.equal(service.files.read('/ops.json'), '[]');

    const folder = await api.createFolder(service.id, '/', 'configs');
    assert.equal(folder.data.path, '/configs');
    assert.deepEqual(last().body, { root: '/', name: 'configs' });
    assert.ok(service.files.isDir('/configs'));

    await api.rename(service.id, '/', 'ops.json', 'ops.old.json');
    assert.equal(last().method, 'PUT');
    assert.equal(last().path, `/servers/${service.id}/files/rename`);
    assert.deepEqual(last().body, { root: '/', from: 'ops.json', to: 'ops.old.json' });
    assert.equal(service.files.read('/ops.old.json'), '[]');
    assert.equal(service.files.read('/ops.json'), undefined);

    const deleted = await api.deleteFiles(service.id, '/', ['ops.old.json', 'plugins']);
    assert.deepEqual(deleted.data.deleted, ['ops.old.json', 'plugins']);
    assert.deepEqual(last().body, { root: '/', files: ['ops.old.json', 'plugins'] });
    assert.equal(service.files.exists('/plugins/a.jar'), false);
  });

  test('downloadUrl() gives a one-time URL serving the bytes', async (t) => {
    const { api, service, last } = await setup(t);
    const { data } = await api.downloadUrl(service.id, '/plugins/a.jar');
    assert.deepEqual(last().query, { path: '/plugins/a.jar' });
    const first = await fetch(data.url);
    assert.equal(first.status, 200);
    assert.equal(await first.text(), 'jar-bytes');
    const second = await fetch(data.url);
    assert.equal(second.status, 404);
    await second.body?.cancel();
    await expectCode(api.downloadUrl(service.id, '/nope.zip'), 'not_found', 404);
  });

  test('uploadUrl() gives a one-time URL that stores raw or multipart uploads', async (t) => {
    const { api, service, last } = await setup(t);
    const raw = await api.uploadUrl(service.id, '/plugins');
    assert.deepEqual(last().query, { path: '/plugins' });
    const put = await fetch(`${raw.data.url}?name=b.jar`, {
      method: 'PUT',
      body: Buffer.from([0, 1, 2, 255]),
    });
    assert.equal(put.status, 201);
    await put.body?.cancel();
    assert.deepEqual([...(service.files.files.get('/plugins/b.jar') ?? [])], [0, 1, 2, 255]);
    const reused = await fetch(`${raw.data.url}?name=c.jar`, { method: 'PUT', body: 'x' });
    assert.equal(reused.status, 404);
    await reused.body?.cancel();

    const multipart = await api.uploadUrl(service.id, '/');
    const form = new FormData();
    form.append('files', new Blob(['hello']), 'notes.txt');
    const post = await fetch(multipart.data.url, { method: 'POST', body: form });
    assert.equal(post.status, 201);
    await post.body?.cancel();
    assert.equal(service.files.read('/notes.txt'), 'hello');
  });

  test('`..` is refused locally and, if sent anyway, with 422 at the fake before the backend', async (t) => {
    const { api, service, fake } = await setup(t);
    assert.throws(() => normalizeRemotePath('/plugins/../../etc'), RemotePathError);
    service.backendDown = true; // proves the 422 comes before any backend contact
    for (const call of [
      api.listFiles(service.id, '/plugins/../..'),
      api.readFile(service.id, '../secret'),
      api.writeFile(service.id, '/a/../b.txt', 'x'),
      api.deleteFiles(service.id, '/', ['../x']),
      api.createFolder(service.id, '/', '..'),
      api.rename(service.id, '/', 'a.txt', '../a.txt'),
      api.downloadUrl(service.id, '/..'),
    ]) {
      await expectCode(call, 'validation_failed', 422);
    }
    assert.equal(fake.requests.filter((r) => r.path.includes('/files')).length, 7);
  });
});

describe('AtomicHost client: backups', () => {
  test('create, list, info and delete', async (t) => {
    const { api, service, last } = await setup(t);
    const created = await api.createBackup(service.id, { name: 'pre-update', ignored: '*.log\ncache/' });
    assert.equal(last().method, 'POST');
    assert.equal(last().path, `/servers/${service.id}/backups`);
    assert.deepEqual(last().body, { name: 'pre-update', ignored: '*.log\ncache/' });
    assert.equal(created.data.name, 'pre-update');
    assert.deepEqual(created.data.ignored_files, ['*.log', 'cache/']);
    assert.equal(created.data.is_locked, false);
    assert.ok(created.data.completed_at);

    await api.createBackup(service.id);
    assert.deepEqual(last().body, {});
    const list = await api.listBackups(service.id);
    assert.equal(list.data.length, 2);
    assert.match(list.data[1]?.name ?? '', /^Backup at /);

    const info = await api.getBackup(service.id, created.data.uuid);
    assert.equal(info.data.uuid, created.data.uuid);
    assert.equal(last().path, `/servers/${service.id}/backups/${created.data.uuid}`);

    await api.deleteBackup(service.id, created.data.uuid);
    assert.equal(last().method, 'DELETE');
    assert.deepEqual(
      service.backups.map((b) => b.uuid),
      [list.data[1]?.uuid],
    );
    await expectCode(api.getBackup(service.id, created.data.uuid), 'not_found', 404);
  });

  test('the backup limit and locked backups are refused with 422', async (t) => {
    const { fake, client, owner } = await setup(t);
    const small = fake.addService({ name: 'Small', ownerId: owner.id, backupLimit: 1 });
    const api = client.forKey(owner.key);
    const first = await api.createBackup(small.id, { name: 'one' });
    await expectCode(api.createBackup(small.id, { name: 'two' }), 'validation_failed', 422);
    const stored = small.backups[0];
    assert.ok(stored);
    stored.is_locked = true;
    await expectCode(api.deleteBackup(small.id, first.data.uuid), 'validation_failed', 422);
  });
});

describe('AtomicHost client: keys and permissions', () => {
  test('missing and unknown keys are 401; regenerated keys stop working', async (t) => {
    const { fake, client, owner } = await setup(t);
    const missing = await expectCode(client.forKey('').me(), 'missing_token', 401);
    assert.equal(isKeyRevoked(missing), false);
    const unknown = await expectCode(client.forKey(`ah_${'x'.repeat(52)}`).me(), 'invalid_key', 401);
    assert.equal(isKeyRevoked(unknown), true);
    await expectCode(client.forKey('not-a-key').me(), 'invalid_key', 401);

    const oldKey = owner.key;
    const newKey = fake.regenerateKey(owner.id);
    assert.match(newKey, /^ah_[A-Za-z0-9]{52}$/);
    const revoked = await expectCode(client.forKey(oldKey).me(), 'invalid_key', 401);
    assert.equal(isKeyRevoked(revoked), true);
    assert.match(describeAtomicHostError(revoked), /\/apikey set/);
    assert.equal((await client.forKey(newKey).me()).data.user.id, owner.id);
  });

  test('a banned account gets 403 account_banned, even after regenerating', async (t) => {
    const { fake, client, owner, api } = await setup(t);
    const key = owner.key;
    fake.ban(owner.id);
    const error = await expectCode(api.me(), 'account_banned', 403);
    assert.equal(isKeyRevoked(error), true);
    assert.match(describeAtomicHostError(error), /banned/);
    await expectCode(client.forKey(fake.regenerateKey(owner.id)).me(), 'account_banned', 403);
    fake.unban(owner.id);
    await expectCode(client.forKey(key).me(), 'invalid_key', 401);
    const born = fake.addAccount({ username: 'bad', banned: true });
    await expectCode(client.forKey(born.key).listServers(), 'account_banned', 403);
  });

  test('members get exactly the permissions their owner granted', async (t) => {
    const { fake, client, service } = await setup(t);
    const member = fake.addAccount({ username: 'alex' });
    fake.share(service.id, member.id, ['files']);
    const api = client.forKey(member.key);

    assert.equal((await api.listFiles(service.id, '/')).data.path, '/');
    assert.equal((await api.getStatus(service.id)).data.id, service.id);
    assert.deepEqual((await api.getServer(service.id)).data.permissions, ['files']);

    const power = await expectCode(api.power(service.id, 'start'), 'insufficient_service_permission', 403);
    assert.equal(
      describeAtomicHostError(power),
      "You don't have the console permission on this server — ask its owner.",
    );
    await expectCode(api.sendCommand(service.id, 'op me'), 'insufficient_service_permission', 403);
    const backups = await expectCode(api.listBackups(service.id), 'insufficient_service_permission', 403);
    assert.match(describeAtomicHostError(backups), /backups permission/);
    assert.deepEqual(service.powerHistory, []);
    assert.deepEqual(service.commands, []);

    fake.share(service.id, member.id, ['console', 'backups']);
    assert.equal((await api.power(service.id, 'restart')).data.accepted, true);
    assert.equal((await api.listBackups(service.id)).data.length, 0);
    const files = await expectCode(api.listFiles(service.id, '/'), 'insufficient_service_permission', 403);
    assert.equal(
      describeAtomicHostError(files),
      "You don't have the files permission on this server — ask its owner.",
    );
  });

  test("another account's service is 404, exactly like a service that does not exist", async (t) => {
    const { fake, api } = await setup(t);
    const other = fake.addAccount({ username: 'eve' });
    const theirs = fake.addService({ name: 'Theirs', ownerId: other.id });
    const hidden = await expectCode(api.getServer(theirs.id), 'not_found', 404);
    const absent = await expectCode(api.getServer(99_999), 'not_found', 404);
    assert.equal(hidden.upstreamMessage, absent.upstreamMessage);
    await expectCode(api.listFiles(theirs.id, '/'), 'not_found', 404);
    await expectCode(api.power(theirs.id, 'kill'), 'not_found', 404);
    assert.deepEqual(theirs.powerHistory, []);
    assert.equal(describeAtomicHostError(hidden), 'AtomicHost says: Service not found.');
  });

  test('inactive services and missing package features are refused with 403', async (t) => {
    const { fake, api, owner } = await setup(t);
    const suspended = fake.addService({ name: 'Late', ownerId: owner.id, status: 'suspended' });
    const inactive = await expectCode(api.power(suspended.id, 'start'), 'service_inactive', 403);
    assert.match(describeAtomicHostError(inactive), /isn't active/);
    const status = await api.getStatus(suspended.id);
    assert.equal(status.data.is_suspended, true);

    const bare = fake.addService({ name: 'Bare', ownerId: owner.id, features: { backups: false } });
    const feature = await expectCode(api.listBackups(bare.id), 'feature_unavailable', 403);
    assert.equal(describeAtomicHostError(feature), "This server's package doesn't include backups.");
    assert.equal((await api.listFiles(bare.id, '/')).data.files.length, 0);
  });
});

describe('AtomicHost client: limits and credits', () => {
  test('each request costs one credit; a 5xx is refunded; 4xx is not', async (t) => {
    const { api, service, owner } = await setup(t);
    await api.me();
    await api.listServers();
    assert.equal(owner.creditsUsed, 2);
    await expectCode(api.getServer(12345), 'not_found', 404);
    assert.equal(owner.creditsUsed, 3);

    service.backendDown = true;
    const down = await expectCode(api.getStatus(service.id), 'backend_unavailable', 502);
    assert.equal(owner.creditsUsed, 3);
    assert.equal(down.limits?.credits?.used, 3);
    assert.equal(down.limits?.credits?.remaining, 2497);
    assert.equal(down.limits?.rateLimit?.remaining, 116);
    assert.equal(
      describeAtomicHostError(down),
      "The server's backend is unreachable right now. Try again shortly — the credit was refunded.",
    );
    for (const call of [
      api.power(service.id, 'start'),
      api.listFiles(service.id, '/'),
      api.listBackups(service.id),
    ]) {
      await expectCode(call, 'backend_unavailable', 502);
    }
    assert.equal(owner.creditsUsed, 3);
  });

  test('the daily allowance runs out with 429 daily_credit_limit_reached and a reset time', async (t) => {
    const { api, owner, fake } = await setup(t, { dailyCredits: 3 });
    assert.equal(owner.creditLimit, 3);
    await api.me();
    await api.me();
    const last = await api.me();
    assert.equal(last.limits.credits?.remaining, 0);
    const error = await expectCode(api.me(), 'daily_credit_limit_reached', 429);
    assert.equal(owner.creditsUsed, 3);
    assert.equal(error.limits?.credits?.remaining, 0);
    assert.ok(error.resetAt instanceof Date);
    assert.equal(error.resetAt.toISOString(), owner.creditsResetAt.toISOString());
    assert.ok((error.retryAfterMs ?? 0) > 0);
    const unix = Math.floor(owner.creditsResetAt.getTime() / 1000);
    assert.equal(
      describeAtomicHostError(error),
      `You've used today's API credits; they reset <t:${unix}:t> (<t:${unix}:R>).`,
    );
    assert.equal(fake.requests.length, 4);
  });

  test('the per-key rate limit is 120 a minute, then 429 rate_limited with Retry-After', async (t) => {
    const { api, client, fake, owner } = await setup(t);
    const results = await Promise.all(Array.from({ length: 120 }, () => api.me()));
    assert.equal(Math.min(...results.map((r) => r.limits.rateLimit?.remaining ?? -1)), 0);
    const error = await expectCode(api.me(), 'rate_limited', 429);
    assert.ok(error.retryAfterMs !== undefined && error.retryAfterMs > 0 && error.retryAfterMs <= 60_000);
    assert.ok(error.resetAt instanceof Date);
    assert.deepEqual(error.limits?.rateLimit, { limit: 120, remaining: 0 });
    assert.equal(owner.creditsUsed, 120, 'a rate-limited request costs no credit');
    assert.match(
      describeAtomicHostError(error),
      /too fast — try again in \d+ seconds?\. You have 2380 of 2500 daily credits left\./,
    );
    // The limit is per key: another account's key is unaffected.
    const other = fake.addAccount({ username: 'alex' });
    assert.equal((await client.forKey(other.key).me()).limits.rateLimit?.remaining, 119);
  });
});

describe('AtomicHost client: faults', () => {
  test('an injected 5xx without an envelope is http_error with its status', async (t) => {
    const { api, fake } = await setup(t);
    fake.faults.add({
      fault: { kind: 'status', status: 503, body: '<html>down</html>', contentType: 'text/html' },
      times: 1,
    });
    const error = await expectCode(api.listServers(), 'http_error', 503);
    assert.match(describeAtomicHostError(error), /internal error \(HTTP 503\)\. The credit was refunded/);
    assert.equal((await api.listServers()).data.length, 1);
  });

  test('a malformed body is malformed_response', async (t) => {
    const { api, fake, service } = await setup(t);
    fake.faults.add({ fault: { kind: 'malformed' }, times: 1 });
    await expectCode(api.me(), 'malformed_response', 200);
    // Valid JSON of the wrong shape is malformed too.
    fake.faults.add({
      fault: { kind: 'status', status: 200, body: JSON.stringify({ success: true, data: { id: 'x' } }) },
      times: 1,
    });
    const error = await expectCode(api.getStatus(service.id), 'malformed_response', 200);
    assert.match(describeAtomicHostError(error), /couldn't read/);
  });

  test('a reset connection is network; a hang is timeout', async (t) => {
    const { fake, owner } = await setup(t);
    const client = new AtomicHostClient({ baseUrl: fake.url, timeoutMs: 300 });
    t.after(() => client.close());
    const api = client.forKey(owner.key);
    fake.faults.add({ fault: { kind: 'reset' }, times: 1 });
    const reset = await expectCode(api.me(), 'network');
    assert.match(describeAtomicHostError(reset), /couldn't reach AtomicHost/);
    fake.faults.add({ fault: { kind: 'hang' }, times: 1 });
    const started = Date.now();
    const hang = await expectCode(api.me(), 'timeout');
    assert.ok(Date.now() - started >= 250);
    assert.match(describeAtomicHostError(hang), /didn't answer in time/);
  });

  test('the rate_limit fault answers the documented 429 envelope and headers', async (t) => {
    const { api, fake } = await setup(t);
    fake.faults.add({ fault: { kind: 'rate_limit', retryAfterSeconds: 7 }, path: '/servers', times: 1 });
    const error = await expectCode(api.listServers(), 'rate_limited', 429);
    assert.equal(error.retryAfterMs, 7000);
    assert.equal(error.limits?.rateLimit?.remaining, 0);
    assert.equal(error.limits?.credits?.limit, 2500);
    assert.match(describeAtomicHostError(error), /try again in 7 seconds/);
  });

  test('an unreachable AtomicHost is network', async (t) => {
    const fake = await FakeAtomicHost.start();
    const url = fake.url;
    await fake.close();
    const client = new AtomicHostClient({ baseUrl: url, timeoutMs: 1000 });
    t.after(() => client.close());
    await expectCode(client.forKey(`ah_${'a'.repeat(52)}`).me(), 'network');
  });
});

describe('AtomicHost client: secrets', () => {
  test('the key appears in no error, message, stack, JSON or inspect output', async (t) => {
    const { fake, client, owner, service, api } = await setup(t);
    const key = owner.key;
    assert.ok(!inspect(api, { showHidden: true, depth: 5 }).includes(key));
    assert.ok(!inspect(client, { showHidden: true, depth: 5 }).includes(key));

    const errors: AtomicHostError[] = [];
    errors.push(await failure(api.getServer(777)));
    errors.push(await failure(api.power(service.id, 'bad' as PowerSignal)));
    fake.faults.add({
      fault: {
        kind: 'status',
        status: 400,
        body: JSON.stringify({ success: false, error: { code: 'weird', message: `key ${key} is odd` } }),
      },
      times: 1,
    });
    errors.push(await failure(api.me()));
    fake.faults.add({ fault: { kind: 'malformed' }, times: 1 });
    errors.push(await failure(api.me()));
    fake.faults.add({ fault: { kind: 'reset' }, times: 1 });
    errors.push(await failure(api.me()));
    fake.ban(owner.id);
    errors.push(await failure(api.me()));

    for (const error of errors) {
      for (const text of [
        error.message,
        error.stack ?? '',
        JSON.stringify(error),
        inspect(error, { showHidden: true, depth: 10 }),
        describeAtomicHostError(error),
      ]) {
        assert.ok(!text.includes(key), `key leaked via ${error.code}: ${text}`);
        assert.ok(!text.includes(key.slice(3)), `key body leaked via ${error.code}`);
      }
    }
    const echoed = errors[2];
    assert.equal(echoed?.upstreamMessage, 'key ah_[redacted] is odd');
    assert.equal(
      describeAtomicHostError(echoed as AtomicHostError),
      // Shown as text in Discord: markdown escaped (renders "key ah_[redacted] is odd").
      'AtomicHost refused the request: weird (key ah\\_\\[redacted\\] is odd).',
    );
  });
});
