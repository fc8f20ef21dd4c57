import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, type E2E } from '../helpers/e2e.js';
import { answerConfirmation, command, seen, userWithKey } from '../helpers/user-side.js';
import {
  blockLines,
  buttons,
  consoleEmbed,
  endedField,
  openConsole,
  press,
  waitForEnd,
  waitForLastLine,
  waitForStreams,
  type ConsoleEmbed,
} from '../helpers/console.js';
import type { FakeInteraction } from '../fakes/discord/index.js';

const NOTICE = (text: string) => `\u001b[1;33m[Hostlink] ${text}\u001b[0m`;

/** The console as the button interaction that reconnected it sees it (its own token edits the message). */
function latest(click: FakeInteraction): ConsoleEmbed | undefined {
  return click.edits.at(-1)?.body?.embeds?.[0] as ConsoleEmbed | undefined;
}

describe('console lifetime: token age, upstream closes, revoked keys, disconnects', () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E({
      env: {
        CONSOLE_EDIT_INTERVAL_MS: '300',
        CONSOLE_MESSAGE_LIFETIME_MS: '4000',
        CONSOLE_RETRY_DELAY_MS: '300',
      },
      discord: { rateLimit: { perRoute: { limit: 5, windowMs: 2000 } } },
    });
  });
  after(async () => {
    await e2e.close();
  });

  async function setup(name: string) {
    const { userId, account } = await userWithKey(e2e, name);
    const service = e2e.atomichost.addService({ name: `${name} server`, ownerId: account.id });
    return { userId, account, service };
  }

  test('near the token limit the message ends with Reconnect, which goes live on the button’s own token', async () => {
    const { userId, account, service } = await setup('longwatch');
    const view = await openConsole(e2e, userId, service.id);
    e2e.atomichost.pushOutput(service.id, 'before the limit');
    await waitForLastLine(view, 'before the limit');
    const ended = await waitForEnd(view);
    assert.match(endedField(ended), /Discord lets a bot update a message for 15 minutes only/);
    assert.match(endedField(ended), /Reconnect\*\* opens a new stream for 5 credits/);
    await waitForStreams(e2e, account.id, 0);
    const streams = e2e.atomichost.streamHistory.length;

    const click = press(e2e, view, 'reconnect', userId);
    assert.equal((await click.waitForCallback()).type, 6, 'the same message is updated');
    await click.waitFor(() => latest(click)?.footer?.text.startsWith('● Live') === true);
    assert.equal(e2e.atomichost.streamHistory.length, streams + 1, 'a fresh stream');
    e2e.atomichost.pushOutput(service.id, 'after reconnecting');
    await click.waitFor(() => blockLines(latest(click)).at(-1) === 'after reconnecting');
    assert.deepEqual(
      blockLines(latest(click)),
      ['before the limit', 'after reconnecting'],
      'the message keeps its lines',
    );
    assert.equal(click.original?.id, view.original?.id, 'one message throughout');
    assert.ok(buttons(click).some((b) => b.label === 'Stop stream'));
  });

  test('the stream’s closed event ends the console cleanly', async () => {
    const { userId, account, service } = await setup('closer');
    const view = await openConsole(e2e, userId, service.id);
    e2e.atomichost.closeStreams(service.id, 'server_closed');
    const ended = await waitForEnd(view);
    assert.match(endedField(ended), /AtomicHost closed the stream \(server\\_closed\)\./);
    assert.deepEqual(
      buttons(view)
        .slice(-2)
        .map((b) => b.label),
      ['Reconnect (5 credits)', 'Download log'],
    );
    assert.equal(e2e.atomichost.openStreams(account.id), 0);
  });

  test('a regenerated key ends the console and the dead key is removed', async () => {
    const { userId, account, service } = await setup('regen');
    const view = await openConsole(e2e, userId, service.id);
    e2e.atomichost.regenerateKey(account.id);
    const ended = await waitForEnd(view);
    assert.match(endedField(ended), /AtomicHost no longer accepts your API key/);
    const check = command(e2e, userId, 'server', 'list');
    assert.equal((await seen(check)).title, 'No API key', 'the stored key was deleted');
  });

  test('a ban ends the console and the key is removed', async () => {
    const { userId, account, service } = await setup('banned');
    const view = await openConsole(e2e, userId, service.id);
    e2e.atomichost.ban(account.id);
    const ended = await waitForEnd(view);
    assert.match(endedField(ended), /Your AtomicHost account is banned or suspended/);
    const check = command(e2e, userId, 'server', 'list');
    assert.equal((await seen(check)).title, 'No API key');
  });

  test("/apikey remove ends the user's open consoles and frees their streams", async () => {
    const { userId, account, service } = await setup('remover');
    const view = await openConsole(e2e, userId, service.id);
    assert.equal(e2e.atomichost.openStreams(account.id), 1);
    await answerConfirmation(e2e, command(e2e, userId, 'apikey', 'remove'), userId);
    const ended = await waitForEnd(view);
    assert.match(endedField(ended), /Your API key was removed from Hostlink, so this console ended\./);
    assert.ok(!buttons(view).some((b) => b.label.startsWith('Reconnect')), 'no Reconnect without a key');
    await waitForStreams(e2e, account.id, 0);
  });

  test('an unexpected disconnect is retried once and the console carries on', async () => {
    const { userId, account, service } = await setup('flaky');
    const view = await openConsole(e2e, userId, service.id);
    const streams = e2e.atomichost.streamHistory.length;
    assert.equal(e2e.atomichost.dropStreams(service.id), 1);
    await waitForLastLine(view, NOTICE('Reconnected.'));
    assert.ok(
      blockLines(consoleEmbed(view)).includes(
        NOTICE('Connection lost — reconnecting (a new stream costs 5 credits)…'),
      ),
    );
    assert.equal(e2e.atomichost.streamHistory.length, streams + 1);
    await waitForStreams(e2e, account.id, 1);
    e2e.atomichost.pushOutput(service.id, 'still here');
    await waitForLastLine(view, 'still here');
    assert.match(consoleEmbed(view)!.footer!.text, /^● Live/);
  });

  test('a failed retry shows the console as disconnected, with Reconnect', async () => {
    const { userId, account, service } = await setup('gone');
    const view = await openConsole(e2e, userId, service.id);
    e2e.atomichost.faults.add({
      fault: { kind: 'status', status: 502, body: '<html>bad gateway</html>', contentType: 'text/html' },
      path: `/servers/${service.id}/console/stream`,
      times: 1,
    });
    e2e.atomichost.dropStreams(service.id);
    const ended = await waitForEnd(view);
    assert.match(
      endedField(ended),
      /The connection was lost and reconnecting failed: AtomicHost had an internal error \(HTTP 502\)/,
    );
    assert.equal(e2e.atomichost.openStreams(account.id), 0);
    const click = press(e2e, view, 'reconnect', userId);
    await click.waitFor(() => latest(click)?.footer?.text.startsWith('● Live') === true);
    await waitForStreams(e2e, account.id, 1);
  });

  test('a dismissed message (Unknown Message on edit) ends its console and frees the stream', async () => {
    const { userId, account, service } = await setup('dismisser');
    const view = await openConsole(e2e, userId, service.id);
    // What Discord does when the user dismisses an ephemeral message: it is gone.
    const url = `${e2e.discord.apiUrl}/v10/webhooks/${e2e.discord.applicationId}/${view.token}/messages/@original`;
    assert.equal((await fetch(url, { method: 'DELETE' })).status, 204);
    const edits = view.edits.length;
    e2e.atomichost.pushOutput(service.id, 'nobody is watching');
    await waitForStreams(e2e, account.id, 0);
    assert.equal(view.edits.length, edits, 'no edit landed');
    assert.equal(
      e2e.atomichost.streamHistory.findLast((r) => r.serviceId === service.id)?.closedBy,
      'client',
    );
  });

  test('Reconnect from someone else is refused; a failed Reconnect answers privately and keeps the message', async () => {
    const { userId, account, service } = await setup('retryer');
    const view = await openConsole(e2e, userId, service.id);
    e2e.atomichost.closeStreams(service.id, 'server_closed');
    await waitForEnd(view);
    const stranger = await userWithKey(e2e, 'intruder');
    const foreign = press(e2e, view, 'reconnect', stranger.userId);
    assert.equal((await foreign.waitForCallback()).data.embeds[0].title, 'Not your console');

    const others = Array.from({ length: 3 }, (_, i) =>
      e2e.atomichost.addService({ name: `Other ${i}`, ownerId: account.id }),
    );
    for (const other of others) await openConsole(e2e, userId, other.id);
    const click = press(e2e, view, 'reconnect', userId);
    await click.waitFor(() => click.followUps.length > 0);
    assert.equal((click.followUps[0]!.embeds[0] as { title: string }).title, 'Too many console streams');
    assert.equal(click.followUps[0]!.flags & 64, 64, 'privately');
    assert.match(endedField(consoleEmbed(view)!), /server\\_closed/, 'the console message is left as it was');
  });
});

describe('console lifetime: idle timeout, maximum duration, shutdown', () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E({
      env: { CONSOLE_EDIT_INTERVAL_MS: '300', CONSOLE_IDLE_TIMEOUT_MS: '1500' },
      discord: { rateLimit: { perRoute: { limit: 5, windowMs: 2000 } } },
      atomichost: { maxStreamMs: 2500 },
    });
  });
  after(async () => {
    await e2e.close();
  });

  /** Output every 300 ms until stopped, so the idle timeout does not end the console. */
  function keepTalking(serviceId: number): () => void {
    let n = 0;
    const timer = setInterval(() => e2e.atomichost.pushOutput(serviceId, `tick ${n++}`), 300);
    return () => clearInterval(timer);
  }

  test('no output for the idle timeout closes the stream', async () => {
    const { userId, account } = await userWithKey(e2e, 'quiet');
    const service = e2e.atomichost.addService({ name: 'Quiet', ownerId: account.id });
    const view = await openConsole(e2e, userId, service.id);
    const ended = await waitForEnd(view);
    assert.match(endedField(ended), /No output for 2 s, so the stream was closed/);
    await waitForStreams(e2e, account.id, 0); // the fake sees the socket close a moment after the final edit
    assert.equal(
      e2e.atomichost.streamHistory.findLast((s) => s.serviceId === service.id)?.closedBy,
      'client',
    );
  });

  test('AtomicHost closing the stream at its maximum duration ends the console with Reconnect', async () => {
    const { userId, account } = await userWithKey(e2e, 'chatty');
    const service = e2e.atomichost.addService({ name: 'Chatty', ownerId: account.id });
    const stop = keepTalking(service.id);
    try {
      const view = await openConsole(e2e, userId, service.id);
      const ended = await waitForEnd(view);
      assert.match(endedField(ended), /AtomicHost closed the stream at its maximum duration\./);
      assert.equal(
        e2e.atomichost.streamHistory.findLast((s) => s.serviceId === service.id)?.reason,
        'max_duration',
      );
    } finally {
      stop();
    }
  });

  test('on SIGTERM every open console gets a final "bot restarting" edit before the bot exits', async () => {
    const a = await userWithKey(e2e, 'watcher-a');
    const b = await userWithKey(e2e, 'watcher-b');
    const sa = e2e.atomichost.addService({ name: 'A', ownerId: a.account.id });
    const sb = e2e.atomichost.addService({ name: 'B', ownerId: b.account.id });
    const stops = [keepTalking(sa.id), keepTalking(sb.id)];
    try {
      const views = [
        await openConsole(e2e, a.userId, sa.id),
        await openConsole(e2e, b.userId, sb.id, { public: true }),
      ];
      // Both show live output before the stop.
      for (const view of views)
        await view.waitFor(() => blockLines(consoleEmbed(view)).at(-1)?.startsWith('tick') === true);
      const code = await e2e.bot.stop();
      assert.equal(code, 0);
      for (const view of views) {
        const embed = consoleEmbed(view)!;
        assert.match(embed.footer!.text, /^■ Ended/);
        assert.match(endedField(embed), /Bot restarting — reconnect when it is back\./);
        assert.ok(buttons(view).some((btn) => btn.label === 'Reconnect (5 credits)'));
      }
      assert.equal(e2e.atomichost.openStreams(a.account.id) + e2e.atomichost.openStreams(b.account.id), 0);
    } finally {
      for (const stop of stops) stop();
    }
  });
});
