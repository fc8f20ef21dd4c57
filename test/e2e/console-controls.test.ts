/* eslint-disable no-control-regex -- console output is full of escape sequences */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, type E2E } from '../helpers/e2e.js';
import { answerConfirmation, command, CREDITS_FOOTER, str, userWithKey } from '../helpers/user-side.js';
import {
  answerOf,
  assertNoPings,
  buttons,
  consoleEmbed,
  endedField,
  openConsole,
  press,
  waitForEnd,
  waitForLastLine,
  waitForStreams,
} from '../helpers/console.js';
import type { FakeInteraction } from '../fakes/discord/index.js';

/**
 * The console's controls: Send command (modal), Start, Restart, Stop and
 * Kill (confirmed), Stop stream, Download log; only the invoker may use
 * them, and AtomicHost's console permission is checked at every press.
 */
describe('/console controls', () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E({
      env: { CONSOLE_EDIT_INTERVAL_MS: '300' },
      discord: { rateLimit: { perRoute: { limit: 5, windowMs: 2000 } } },
    });
  });
  after(async () => {
    await e2e.close();
  });

  async function setup(name: string) {
    const { userId, account } = await userWithKey(e2e, name);
    const service = e2e.atomichost.addService({ name: `${name} SMP`, ownerId: account.id });
    const view = await openConsole(e2e, userId, service.id);
    return { userId, account, service, view };
  }

  /** Submits the Send command modal the button opened. */
  async function submitCommand(e2e: E2E, opener: FakeInteraction, userId: string, text: string) {
    const modal = await opener.waitForCallback();
    assert.equal(modal.type, 9, 'a modal opens');
    return e2e.discord.modalSubmit({
      customId: String(modal.data.custom_id),
      fields: { command: text },
      userId,
    });
  }

  test('Send command opens a modal, sends the command to AtomicHost and echoes it in the console', async () => {
    const { userId, service, view } = await setup('cmd');
    const opener = press(e2e, view, 'cmd', userId);
    const submit = await submitCommand(e2e, opener, userId, 'say hello');
    const answer = await answerOf(submit);
    assert.equal(answer.title, 'Command sent');
    assert.match(answer.description!, /`say hello` was sent to server #\d+/);
    assert.match(answer.footer!.text, CREDITS_FOOTER);
    assert.deepEqual(e2e.atomichost.service(service.id)!.commands, ['say hello']);
    await waitForLastLine(view, '\u001b[1;33m[Hostlink] > say hello\u001b[0m');
  });

  test('Start and Restart act at once; Stop and Kill ask first; all answer privately', async () => {
    const { userId, service, view } = await setup('power');
    const history = () => e2e.atomichost.service(service.id)!.powerHistory;
    for (const signal of ['start', 'restart'] as const) {
      const click = press(e2e, view, signal, userId);
      const answer = await answerOf(click);
      assert.equal(answer.title, `${signal[0]!.toUpperCase()}${signal.slice(1)} signal sent`);
      assert.equal(((click.callbacks[0]!.data?.flags ?? 0) & 64) === 64, true, 'private');
      assert.equal(history().at(-1), signal);
    }
    for (const signal of ['stop', 'kill'] as const) {
      const before = history().length;
      const click = press(e2e, view, signal, userId);
      const question = await answerOf(click);
      assert.match(question.title!, new RegExp(`^${signal === 'stop' ? 'Stop' : 'Kill'} `));
      assert.equal(history().length, before, 'nothing sent before confirming');
      const { embed } = await answerConfirmation(e2e, click, userId);
      assert.equal(embed.title, `${signal === 'stop' ? 'Stop' : 'Kill'} signal sent`);
      assert.equal(history().at(-1), signal);
    }
    // The fake reports power changes on the stream: the embed follows them.
    await view.waitFor(() => consoleEmbed(view)?.color === 0xe74c3c);
  });

  test('buttons refuse anyone but the invoker, and nothing reaches AtomicHost', async () => {
    const { service, view } = await setup('owner');
    const stranger = await userWithKey(e2e, 'stranger');
    e2e.atomichost.share(service.id, stranger.account.id, ['console']);
    const requests = e2e.atomichost.requests.length;
    for (const action of ['cmd', 'start', 'restart', 'stop', 'kill', 'close']) {
      const click = press(e2e, view, action, stranger.userId);
      const answer = await click.waitForCallback();
      assert.equal(answer.type, 4, `${action}: answered with a message, no modal`);
      assert.equal(answer.data.flags & 64, 64, 'privately');
      assert.equal(answer.data.embeds[0].title, 'Not your console');
      assert.match(answer.data.embeds[0].description, /Only <@\d+>, who opened this console/);
      assert.deepEqual(answer.data.allowed_mentions, { parse: [] });
    }
    assert.equal(e2e.atomichost.requests.length, requests, 'no upstream call for a stranger');
    assert.equal(consoleEmbed(view)!.footer!.text.startsWith('■'), false, 'still live');
    assert.deepEqual(e2e.atomichost.service(service.id)!.powerHistory, []);
  });

  test('every press is checked against the console permission upstream, with clear answers', async () => {
    const owner = await userWithKey(e2e, 'lender');
    const member = await userWithKey(e2e, 'borrower');
    const service = e2e.atomichost.addService({ name: 'Shared', ownerId: owner.account.id });
    e2e.atomichost.share(service.id, member.account.id, ['console', 'files']);
    const view = await openConsole(e2e, member.userId, service.id);
    e2e.atomichost.pushOutput(service.id, 'shared output');
    await waitForLastLine(view, 'shared output');

    // The owner takes console access away: the fake closes the member's stream (access_revoked).
    e2e.atomichost.share(service.id, member.account.id, ['files']);
    const ended = await waitForEnd(view);
    assert.match(endedField(ended), /no longer have console access/);

    const start = press(e2e, view, 'start', member.userId);
    assert.equal(
      (await answerOf(start)).description,
      "You don't have the console permission on this server — ask its owner.",
    );
    const opener = press(e2e, view, 'cmd', member.userId);
    const submit = await submitCommand(e2e, opener, member.userId, 'op me');
    assert.equal(
      (await answerOf(submit)).description,
      "You don't have the console permission on this server — ask its owner.",
    );
    const log = press(e2e, view, 'log', member.userId);
    assert.match(
      (await answerOf(log)).description!,
      /don't have the console permission on this server any more/,
    );
    assert.deepEqual(e2e.atomichost.service(service.id)!.commands, []);
    assert.deepEqual(e2e.atomichost.service(service.id)!.powerHistory, []);
  });

  test('Stop stream ends the message and closes the stream; Download log attaches the whole output', async () => {
    const { userId, account, service, view } = await setup('logger');
    const lines = Array.from({ length: 300 }, (_, i) => `log line ${i} \u001b[32mgreen\u001b[0m @everyone`);
    for (const line of lines) e2e.atomichost.pushOutput(service.id, line);
    await view.waitFor(() => consoleEmbed(view)?.footer?.text.includes('300 lines') === true);
    const stop = press(e2e, view, 'close', userId);
    assert.equal((await stop.waitForCallback()).type, 6, 'acknowledged without a new message');
    const ended = await waitForEnd(view);
    assert.match(endedField(ended), /You stopped the stream\./);
    assert.match(endedField(ended), /Reconnect\*\* opens a new stream for 5 credits/);
    assert.match(endedField(ended), /the last 20,000 lines or 2 MB at most/);
    assert.equal(ended.color, 0x95a5a6);
    assert.deepEqual(
      buttons(view).map((b) => b.label),
      ['Send command', 'Start', 'Restart', 'Stop', 'Kill', 'Reconnect (5 credits)', 'Download log'],
    );
    await waitForStreams(e2e, account.id, 0);
    assert.equal(
      e2e.atomichost.streamHistory.findLast((s) => s.serviceId === service.id)?.closedBy,
      'client',
    );

    const download = press(e2e, view, 'log', userId);
    await download.waitFor(() => (download.original?.attachments.length ?? 0) > 0);
    const [file] = download.original!.attachments;
    assert.match(file!.filename, new RegExp(`^console-${service.id}-.*\\.log$`));
    const text = await (await fetch(file!.url)).text();
    const [header, body] = text.split(`${'-'.repeat(60)}\n`);
    assert.match(
      header!,
      /Lines received: 300\. Kept: 300 \(bound: the last 20,000 lines or 2 MB; 0 older lines dropped\)/,
    );
    assert.match(header!, /Why it ended: You stopped the stream\./);
    assert.equal(body, `${lines.map((l) => l.replace(/\u001b\[\d+m/g, '')).join('\n')}\n`);
    assert.equal(
      (download.original!.embeds[0] as { description: string }).description,
      'All 300 lines (logs keep the last 20,000 lines or 2 MB).',
    );
    assertNoPings(view);

    // Stop stream on an ended console, and Download log from a stranger, are refused.
    const stranger = await userWithKey(e2e, 'peeker');
    const peek = press(e2e, view, 'log', stranger.userId);
    assert.equal((await peek.waitForCallback()).data.embeds[0].title, 'Not your console');
  });

  test('/console send sends one command without opening a stream', async () => {
    const { userId, account } = await userWithKey(e2e, 'sender');
    const service = e2e.atomichost.addService({ name: 'Quiet', ownerId: account.id });
    const streams = e2e.atomichost.streamHistory.length;
    const interaction = command(e2e, userId, 'console', 'send', [
      str('server', String(service.id)),
      str('command', 'whitelist add Steve'),
    ]);
    const answer = await answerOf(interaction);
    assert.equal(answer.title, 'Command sent');
    assert.deepEqual(e2e.atomichost.service(service.id)!.commands, ['whitelist add Steve']);
    assert.equal(e2e.atomichost.streamHistory.length, streams, 'no stream opened');
  });
});
