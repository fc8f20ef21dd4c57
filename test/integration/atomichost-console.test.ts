import { describe, test, type TestContext } from 'node:test';
import { WAIT_MS } from '../fakes/discord/fake-interaction.js';
import assert from 'node:assert/strict';
import { AtomicHostClient, type AtomicHostApi } from '../../src/atomichost/client.js';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { ConsoleStream, type ConsoleEvent } from '../../src/atomichost/console-stream.js';
import { AtomicHostError } from '../../src/atomichost/errors.js';
import { describeAtomicHostError } from '../../src/presenter/atomichost-text.js';
import { FakeAtomicHost, type FakeAccount, type FakeService } from '../fakes/atomichost/index.js';
import { formatEvent } from '../fakes/atomichost/sse.js';
import { eventsOf } from '../helpers/console-events.js';

interface Setup {
  fake: FakeAtomicHost;
  client: AtomicHostClient;
  owner: FakeAccount;
  service: FakeService;
  api: AtomicHostApi;
}

async function setup(
  t: TestContext,
  options: Parameters<typeof FakeAtomicHost.start>[0] = {},
): Promise<Setup> {
  const fake = await FakeAtomicHost.start({ maxStreamMs: 30_000, ...options });
  const client = new AtomicHostClient({ baseUrl: fake.url, timeoutMs: WAIT_MS });
  t.after(async () => {
    await client.close();
    await fake.close();
  });
  const owner = fake.addAccount({ username: 'steve' });
  const service = fake.addService({ name: 'Rust', ownerId: owner.id });
  return { fake, client, owner, service, api: client.forKey(owner.key) };
}

/** Reads events until `stop` says so (or the stream ends). */
async function collect(stream: ConsoleStream, stop: (e: ConsoleEvent) => boolean): Promise<ConsoleEvent[]> {
  const events: ConsoleEvent[] = [];
  for await (const event of eventsOf(stream)) {
    events.push(event);
    if (stop(event)) break;
  }
  return events;
}

async function nextEvent(iterator: AsyncIterator<ConsoleEvent>): Promise<ConsoleEvent> {
  const result = await iterator.next();
  assert.equal(result.done, false, 'the stream ended early');
  return result.value as ConsoleEvent;
}

async function expectCode(promise: Promise<unknown>, code: string, status: number): Promise<AtomicHostError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AtomicHostError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('AtomicHost console stream', () => {
  test('ready, then output in order, status and stats; opening costs 5 credits', async (t) => {
    const { fake, api, owner, service } = await setup(t);
    await api.me();
    const stream = await api.openConsole(service.id);
    const request = fake.requests.at(-1);
    assert.equal(request?.path, `/servers/${service.id}/console/stream`);
    assert.equal(request?.headers.accept, 'text/event-stream');
    assert.equal(request?.headers.authorization, `Bearer ${owner.key}`);
    assert.equal(stream.limits.credits?.used, 6);
    assert.equal(owner.creditsUsed, 6);

    const iterator = eventsOf(stream);
    const ready = await nextEvent(iterator);
    assert.equal(ready.type, 'ready');
    assert.ok(ready.type === 'ready' && ready.expiresAt && ready.expiresAt.getTime() > Date.now());

    fake.pushOutput(service.id, 'first');
    fake.pushOutput(service.id, 'second: with "quotes" and ünïcödé');
    fake.pushOutput(service.id, '');
    fake.pushStatus(service.id, 'stopping');
    fake.pushStats(service.id, { memory_bytes: 2048, cpu_absolute: 12.5 });
    fake.pushError(service.id, 'daemon hiccup');
    const events = [
      await nextEvent(iterator),
      await nextEvent(iterator),
      await nextEvent(iterator),
      await nextEvent(iterator),
      await nextEvent(iterator),
      await nextEvent(iterator),
    ];
    assert.deepEqual(events.slice(0, 5), [
      { type: 'output', line: 'first' },
      { type: 'output', line: 'second: with "quotes" and ünïcödé' },
      { type: 'output', line: '' },
      { type: 'status', state: 'stopping' },
      {
        type: 'stats',
        stats: {
          memory_bytes: 2048,
          cpu_absolute: 12.5,
          disk_bytes: 5_368_709_120,
          memory_limit_bytes: 2_147_483_648,
          disk_limit_bytes: 10_737_418_240,
          network_rx_bytes: 0,
          network_tx_bytes: 0,
          uptime: 0,
          state: 'stopping',
        },
      },
    ]);
    assert.deepEqual(events[5], { type: 'error', message: 'daemon hiccup' });

    // Reading and sending commands while the stream is open cost nothing extra beyond the command itself.
    await api.sendCommand(service.id, 'say hi');
    assert.equal(owner.creditsUsed, 7);
    stream.close();
  });

  test('power changes reach the stream as status events', async (t) => {
    const { api, service } = await setup(t);
    const stream = await api.openConsole(service.id);
    const iterator = eventsOf(stream);
    assert.equal((await nextEvent(iterator)).type, 'ready');
    await api.power(service.id, 'stop');
    assert.deepEqual(await nextEvent(iterator), { type: 'status', state: 'offline' });
    stream.close();
  });

  test('the stream closes itself at the maximum duration', async (t) => {
    const { fake, api, service } = await setup(t, { maxStreamMs: 250 });
    const stream = await api.openConsole(service.id);
    const started = Date.now();
    const events = await collect(stream, () => false);
    assert.ok(Date.now() - started >= 200);
    assert.deepEqual(events.at(-1), { type: 'closed', reason: 'max_duration' });
    assert.equal(events.filter((e) => e.type === 'closed').length, 1);
    assert.equal(stream.closed, true);
    assert.equal(fake.openStreams(), 0);
    assert.equal(fake.streamHistory[0]?.closedBy, 'server');
  });

  test('pushLines paces lines and they arrive in order', async (t) => {
    const { fake, api, service } = await setup(t);
    const stream = await api.openConsole(service.id);
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const received: { line: string; at: number }[] = [];
    const reading = (async () => {
      for await (const event of eventsOf(stream)) {
        if (event.type === 'output') received.push({ line: event.line, at: Date.now() });
        if (received.length === lines.length) break;
      }
    })();
    const started = Date.now();
    await fake.pushLines(service.id, lines, 100);
    const pushTook = Date.now() - started;
    await reading;
    assert.deepEqual(
      received.map((r) => r.line),
      lines,
    );
    // 30 lines at 100/s: the last is due 290 ms after the first.
    assert.ok(pushTook >= 280, `pushLines took ${pushTook} ms`);
    const spread = (received.at(-1)?.at ?? 0) - (received[0]?.at ?? 0);
    assert.ok(spread >= 240, `lines arrived over ${spread} ms`);
  });

  test('aborting the signal hangs up the upstream connection', async (t) => {
    const { fake, api, client, service, owner } = await setup(t);
    const controller = new AbortController();
    const stream = await api.openConsole(service.id, { signal: controller.signal });
    await fake.waitFor(() => fake.openStreams(owner.id) === 1, undefined, 'the fake to see the stream');
    assert.equal(client.openStreams, 1);
    const iterator = eventsOf(stream);
    assert.equal((await nextEvent(iterator)).type, 'ready');
    controller.abort();
    assert.deepEqual(await nextEvent(iterator), { type: 'closed', reason: 'client_closed' });
    assert.equal((await iterator.next()).done, true);
    await fake.waitFor(() => fake.openStreams() === 0, undefined, 'the fake to see the stream closed');
    assert.equal(fake.streamHistory[0]?.closedBy, 'client');
    assert.equal(client.openStreams, 0);
    assert.equal(fake.pushOutput(service.id, 'nobody listens'), 0);
  });

  test('close() and breaking out of the loop hang up too', async (t) => {
    const { fake, api, service } = await setup(t);
    const first = await api.openConsole(service.id);
    const second = await api.openConsole(service.id);
    await fake.waitFor(() => fake.openStreams() === 2, undefined, 'two streams');
    first.close();
    await fake.waitFor(() => fake.openStreams() === 1, undefined, 'close() to reach the fake');
    const events = await collect(second, (e) => e.type === 'ready');
    assert.equal(events.length, 1);
    await fake.waitFor(() => fake.openStreams() === 0, undefined, 'break to reach the fake');
    assert.deepEqual(
      fake.streamHistory.map((r) => r.closedBy),
      ['client', 'client'],
    );
  });

  test('a 4th concurrent stream is 429 too_many_streams; closing one frees a slot', async (t) => {
    const { fake, api, owner, service } = await setup(t);
    const streams = [
      await api.openConsole(service.id),
      await api.openConsole(service.id),
      await api.openConsole(service.id),
    ];
    assert.equal(owner.creditsUsed, 15);
    const error = await expectCode(api.openConsole(service.id), 'too_many_streams', 429);
    assert.equal(error.limits?.credits?.used, 16, 'a refused open costs one credit, not five');
    assert.equal(
      describeAtomicHostError(error),
      'You already have 3 console streams open. Close one before opening another.',
    );
    // The limit is per account, not per key or service.
    const other = fake.addService({ name: 'Second', ownerId: owner.id });
    await expectCode(api.openConsole(other.id), 'too_many_streams', 429);

    streams[0]?.close();
    await fake.waitFor(() => fake.openStreams(owner.id) === 2, undefined, 'the slot to free');
    const fourth = await api.openConsole(other.id);
    assert.equal(fake.openStreams(owner.id), 3);
    fourth.close();
  });

  test('a ban closes open streams at once and later opens are 403', async (t) => {
    const { fake, api, owner, service } = await setup(t);
    const stream = await api.openConsole(service.id);
    const reading = collect(stream, () => false);
    await fake.waitFor(() => fake.openStreams() === 1, undefined, 'the stream');
    fake.ban(owner.id);
    const events = await reading;
    assert.deepEqual(events.at(-1), { type: 'closed', reason: 'account_banned' });
    await expectCode(api.openConsole(service.id), 'account_banned', 403);
  });

  test('losing console access closes a member stream; the owner keeps theirs', async (t) => {
    const { fake, api, client, service } = await setup(t);
    const member = fake.addAccount({ username: 'alex' });
    fake.share(service.id, member.id, ['console']);
    const theirs = await client.forKey(member.key).openConsole(service.id);
    const mine = await api.openConsole(service.id);
    const reading = collect(theirs, () => false);
    fake.share(service.id, member.id, ['files']);
    assert.deepEqual((await reading).at(-1), { type: 'closed', reason: 'access_revoked' });
    assert.equal(fake.openStreams(), 1);
    await expectCode(
      client.forKey(member.key).openConsole(service.id),
      'insufficient_service_permission',
      403,
    );
    mine.close();
  });

  test('closeStreams() ends streams with the given reason; a dropped connection is connection_lost', async (t) => {
    const { fake, api, service } = await setup(t);
    const stream = await api.openConsole(service.id);
    const reading = collect(stream, () => false);
    fake.closeStreams(service.id, 'server_restarting');
    assert.deepEqual((await reading).at(-1), { type: 'closed', reason: 'server_restarting' });

    const dropped = await api.openConsole(service.id);
    const draining = collect(dropped, () => false);
    await fake.waitFor(() => fake.openStreams() === 1, undefined, 'the second stream');
    await fake.close();
    const events = await draining;
    // Closing the fake sends `closed` first; either way exactly one closed event ends the stream.
    assert.equal(events.filter((e) => e.type === 'closed').length, 1);
    assert.equal(events.at(-1)?.type, 'closed');
  });

  test('stream opens respect credits, backend and timeouts', async (t) => {
    const { fake, api, owner, service } = await setup(t);
    owner.creditsUsed = owner.creditLimit - 4;
    const credits = await expectCode(api.openConsole(service.id), 'daily_credit_limit_reached', 429);
    assert.ok(credits.resetAt instanceof Date);
    assert.equal(owner.creditsUsed, owner.creditLimit - 4);
    owner.creditsUsed = 0;

    service.backendDown = true;
    await expectCode(api.openConsole(service.id), 'backend_unavailable', 502);
    assert.equal(owner.creditsUsed, 0, 'the 5xx open was refunded');
    service.backendDown = false;

    fake.faults.add({ fault: { kind: 'malformed' }, path: '/console/stream', times: 1 });
    await expectCode(api.openConsole(service.id), 'malformed_response', 200);

    const client = new AtomicHostClient({ baseUrl: fake.url, timeoutMs: 300 });
    t.after(() => client.close());
    fake.faults.add({ fault: { kind: 'hang' }, path: '/console/stream', times: 1 });
    await assert.rejects(client.forKey(owner.key).openConsole(service.id), { code: 'timeout' });
  });

  test('client.close() hangs up open streams so the process can exit', async (t) => {
    const fake = await FakeAtomicHost.start();
    t.after(() => fake.close());
    const owner = fake.addAccount({ username: 'steve' });
    const service = fake.addService({ name: 'Rust', ownerId: owner.id });
    const client = new AtomicHostClient({ baseUrl: fake.url, timeoutMs: WAIT_MS });
    const stream = await client.forKey(owner.key).openConsole(service.id);
    const reading = collect(stream, () => false);
    await client.close();
    assert.deepEqual((await reading).at(-1), { type: 'closed', reason: 'client_closed' });
    await fake.waitFor(() => fake.openStreams() === 0, undefined, 'the fake to see the hang-up');
  });
  /**
   * Hands `stream` to a listener while a ticker runs on every turn of the
   * event loop; resolves with the lines handed out between two turns.
   */
  function linesPerTurn(stream: ConsoleStream): Promise<{ lines: string[]; perTurn: number[] }> {
    return new Promise((resolve) => {
      const lines: string[] = [];
      const perTurn: number[] = [];
      let sinceTurn = 0;
      let done = false;
      const tick = (): void => {
        perTurn.push(sinceTurn);
        sinceTurn = 0;
        if (done) resolve({ lines, perTurn });
        else setImmediate(tick);
      };
      setImmediate(tick);
      stream.listen((event) => {
        if (event.type === 'output') {
          const pieces = event.line.split('\n');
          lines.push(...pieces);
          sinceTurn += pieces.length;
        }
        if (event.type === 'closed') done = true;
      });
    });
  }

  const burst = (count: number): string =>
    Array.from({ length: count }, (_, i) => formatEvent('output', `line ${i}`)).join('');

  test('issue8 item 1: a burst is handed out in slices of at most 64 events, other work running in between', async () => {
    // Queued before anyone listens (1000 events in one piece, as undici may hand them over).
    const early = new PassThrough();
    const queued = new ConsoleStream(early, {});
    early.end(burst(1000));
    await once(early, 'end');
    // And arriving while the listener is there: the first slice is handed over at once.
    const late = new PassThrough();
    const live = new ConsoleStream(late, {});
    const reading = linesPerTurn(live);
    late.end(burst(1000));
    for (const { lines, perTurn } of [await linesPerTurn(queued), await reading]) {
      assert.deepEqual(
        lines,
        Array.from({ length: 1000 }, (_, i) => `line ${i}`),
        'every event, in order',
      );
      assert.ok(Math.max(...perTurn) <= 64, `at most 64 events between two turns: ${perTurn.join(' ')}`);
    }
  });

  test('issue8 item 1: one output event of many lines is handed out in pieces, with turns in between', async () => {
    const body = new PassThrough();
    const stream = new ConsoleStream(body, {});
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
    const reading = linesPerTurn(stream);
    body.end(formatEvent('output', lines.join('\n')));
    const { lines: handed, perTurn } = await reading;
    assert.deepEqual(handed, lines, 'every line, in order');
    assert.ok(
      Math.max(...perTurn) < lines.length,
      `the event loop got turns in between (lines per turn: ${perTurn.filter(Boolean).join(' ')})`,
    );
  });
});
