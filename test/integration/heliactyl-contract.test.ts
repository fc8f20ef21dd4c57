/**
 * The contract between the fake Heliactyl and the real dashboard: every
 * exchange recorded against a real install (test/fixtures/
 * heliactyl-recorded-exchanges.txt) is replayed, in order, against the fake,
 * which must give the same status, content type, JSON body (or kind of HTML
 * page), rate-limit headers and resulting records.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { FakeHeliactyl, type FakeHeliactylUser } from '../fakes/heliactyl.js';
import { assertMatchesPartial, parsePartialJson } from '../helpers/partial-json.js';
import {
  readRecording,
  type RecordedBurst,
  type RecordedExchange,
  type RecordedRequest,
} from '../helpers/recorded-exchanges.js';

const KEY = 'hl_contract_key_0f1e2d3c';
const U1 = '700000000000000001';

/** The dashboard as it was recorded: its example config's packages and a stub panel. */
async function startRecordedDashboard(): Promise<FakeHeliactyl> {
  const fake = await FakeHeliactyl.start({ apiKey: KEY, now: () => clock.now });
  fake.packages.clear();
  fake.packages.set('default', { ram: 2048, disk: 3072, cpu: 100, servers: 2 });
  fake.packages.set('2', { ram: 6144, disk: 30720, cpu: 150, servers: 8 });
  fake.addUser({
    id: U1,
    coins: 1500,
    panelId: 1,
    servers: [
      {
        id: 11,
        identifier: '00000011',
        uuid: '00000011-aaaa-4bbb-8ccc-dddddddddddd',
        name: 'Server 11 of user 1',
        description: 'stub',
        limits: { memory: 1024, disk: 2048, cpu: 100, swap: 0, io: 500 },
        featureLimits: { databases: 0, allocations: 1, backups: 0 },
        node: 1,
        allocation: 11,
        egg: 3,
      },
    ],
  });
  Object.assign(fake.user(U1)!.pterodactyl.attributes, {
    uuid: '00000001-1111-4222-8333-444444444444',
    username: 'ptero1',
    email: 'ptero1@example.test',
    first_name: 'User1',
    last_name: 'On Heliactyl',
  });
  fake.addUser({ id: '700000000000000002', panelId: 2 }); // no balance record
  fake.addUser({ id: '700000000000000003', coins: 0, panelId: 3 }); // a record holding 0
  fake.addUser({ id: '700000000000000404', panel: 'missing' });
  fake.addUser({ id: '700000000000000500', panel: 'error' });
  fake.addUser({ id: '700000000000000503', panel: 'hang' });
  return fake;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

interface Sent {
  answer: Promise<Answer>;
  abort(): void;
}

function send(fake: FakeHeliactyl, recorded: RecordedRequest): Sent {
  const headers = Object.fromEntries(
    Object.entries(recorded.headers).map(([name, value]) => [name, value.replace('<KEY>', KEY)]),
  );
  // The recording does not hold the file it sent as a body over 500 kB.
  const body = recorded.bodyFile
    ? JSON.stringify({ id: U1, coins: 1, pad: 'x'.repeat(520_000) })
    : recorded.body;
  const req = httpRequest(`${fake.url}${recorded.path}`, { method: recorded.method, headers });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
  });
  req.end(body);
  return { answer, abort: () => req.destroy() };
}

/** What an HTML answer is: Express's error page (headline, with or without a stack trace) or a bare text. */
function pageKind(html: string): { page: string; headline: string; stackTrace: boolean } {
  const pre = /<pre>([\s\S]*?)(?:<\/pre>|$)/.exec(html)?.[1];
  if (pre === undefined) return { page: 'text', headline: html, stackTrace: false };
  const [first = '', ...rest] = pre.split('<br>');
  const stackTrace = rest.some((line) => line.includes('at '));
  // Only the error's name: V8 words its JSON messages differently from one Node version to the next.
  return { page: 'express error', headline: stackTrace ? first.split(':')[0]! : first, stackTrace };
}

/** The `db:` notation of the recording for one account of the fake. */
function records(user: FakeHeliactylUser): Record<string, unknown> {
  const absent = (value: unknown) => (value === undefined ? '<absent>' : value);
  return {
    users: user.pterodactyl.attributes.id,
    coins: absent(user.coins),
    package: absent(user.package),
    extra: absent(user.extra),
    ban: absent(user.ban),
    renewbypass: user.renewalBypass ? true : '<absent>',
  };
}

/**
 * The dashboard's clock, driven by the recording: a recorded RateLimit-Reset
 * of R says the request came (600 − R) s after its client's window opened, so
 * the clock is moved there before the request is sent. The fake must then
 * answer the same Reset, which only a window fixed from the client's first
 * request does.
 */
const clock = { now: 1_800_000_000_000 };
const windowOpenedAt = new Map<string, number>();

function advanceClockFor(client: string, recordedReset: string | undefined): void {
  if (recordedReset === undefined) return;
  const opened = windowOpenedAt.get(client);
  if (opened === undefined) windowOpenedAt.set(client, clock.now);
  else clock.now = Math.max(clock.now, opened + (600 - Number(recordedReset)) * 1000);
}

async function replayExchange(fake: FakeHeliactyl, exchange: RecordedExchange): Promise<void> {
  const label = `[${exchange.number}] ${exchange.title}`;
  const recorded = exchange.response;
  if (recorded.kind === 'no answer') {
    const parked = fake.nextHanging();
    const sent = send(fake, exchange.request);
    let settled = false;
    sent.answer.then(
      () => (settled = true),
      () => undefined,
    );
    await parked;
    assert.equal(settled, false, `${label}: the dashboard never answers`);
    sent.abort();
    return;
  }

  advanceClockFor(
    exchange.request.headers['x-forwarded-for'] ?? 'socket',
    recorded.rateLimit['RateLimit-Reset'],
  );
  const answer = await send(fake, exchange.request).answer;
  assert.equal(answer.status, recorded.status, `${label}: status`);
  assert.equal(answer.headers['content-type'], recorded.contentType, `${label}: content type`);

  const remaining = answer.headers['ratelimit-remaining'];
  assert.equal(remaining, recorded.rateLimit['RateLimit-Remaining'], `${label}: RateLimit-Remaining`);
  const reset = answer.headers['ratelimit-reset'];
  assert.equal(reset, recorded.rateLimit['RateLimit-Reset'], `${label}: RateLimit-Reset`);
  assert.equal(answer.headers['retry-after'], recorded.rateLimit['Retry-After'], `${label}: Retry-After`);

  if (recorded.body !== '') {
    if (recorded.contentType.startsWith('application/json')) {
      assertMatchesPartial(JSON.parse(answer.text), parsePartialJson(recorded.body), `${label}: body`);
    } else {
      assert.deepEqual(pageKind(answer.text), pageKind(recorded.body), `${label}: kind of page`);
    }
  }
  const json = recorded.contentType.startsWith('application/json') ? (JSON.parse(answer.text) as object) : {};
  if (exchange.coinsField !== undefined) {
    assert.equal((json as { coins?: unknown }).coins, exchange.coinsField, `${label}: coins`);
  }
  if (exchange.keys) assert.deepEqual(Object.keys(json), exchange.keys, `${label}: keys in order`);
  for (const db of exchange.db) {
    for (const [id, expected] of Object.entries(db)) {
      assert.deepEqual(records(fake.user(id)!), expected, `${label}: records of ${id}`);
    }
  }
  for (const [name, value] of Object.entries(exchange.allHeaders ?? {})) {
    assert.equal(answer.headers[name.toLowerCase()], value, `${label}: ${name}`);
  }
}

async function replayBurst(fake: FakeHeliactyl, burst: RecordedBurst): Promise<void> {
  const statuses = new Map<number, number>();
  // Its first request opens the forwarded address's window.
  windowOpenedAt.set(burst.forwardedFor ?? 'socket', clock.now);
  for (let i = 0; i < burst.count; i += 1) {
    const headers: Record<string, string> = burst.forwardedFor
      ? { 'x-forwarded-for': burst.forwardedFor }
      : {};
    const { status } = await send(fake, { method: burst.method, path: burst.path, headers }).answer;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  assert.deepEqual(statuses, burst.statuses, `${burst.count} x ${burst.method} ${burst.path}`);
}

test('the recording is read whole: 91 exchanges and one burst', () => {
  const items = readRecording();
  const exchanges = items.filter((item) => item.kind === 'exchange');
  assert.deepEqual(
    exchanges.map((e) => e.number),
    Array.from({ length: 91 }, (_, i) => i + 1),
  );
  for (const exchange of exchanges)
    assert.ok(exchange.request.path.startsWith('/api'), `[${exchange.number}]`);
  assert.equal(items.filter((item) => item.kind === 'burst').length, 1);
});

test('issue11 item 1: the fake Heliactyl answers every recorded request as the real dashboard did', async (t) => {
  const fake = await startRecordedDashboard();
  t.after(() => fake.close());
  for (const item of readRecording()) {
    if (item.kind === 'burst') await replayBurst(fake, item);
    else await replayExchange(fake, item);
  }
});
