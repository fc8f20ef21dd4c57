import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, type E2E } from '../helpers/e2e.js';
import { command, seen, str, userWithKey } from '../helpers/user-side.js';
import {
  answerOf,
  blockLines,
  buttonFor,
  consoleEmbed,
  endedField,
  openConsole,
  press,
  waitForEnd,
  waitForLastLine,
  waitForStreams,
} from '../helpers/console.js';
import type { FakeInteraction } from '../fakes/discord/index.js';

const NOTICE = (text: string) => `\u001b[1;33m[Hostlink] ${text}\u001b[0m`;
/** The hostile line of issue 8: 8 KB of `ESC[48;5;48;5;…m`. */
const HOSTILE_LINE = `\u001b[${'48;5;'.repeat(1600)}m`;

/**
 * Issue 8 (hardening) for the live console: one user cannot slow the bot
 * for others, grow its memory without bound, see their secrets echoed in
 * public, or act on another user's console. One bot for the file.
 */
describe('console hardening (issue 8)', () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E({
      env: { CONSOLE_EDIT_INTERVAL_MS: '300', CONSOLE_RETRY_DELAY_MS: '300' },
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

  test("issue8 item 1: one owner flooding 3 consoles with 8 KB SGR lines does not keep another user's /server list from its answer", async () => {
    const other = await setup('bystander');
    const { userId, account } = await userWithKey(e2e, 'flooder');
    const services = Array.from({ length: 3 }, (_, i) =>
      e2e.atomichost.addService({ name: `Flood ${i}`, ownerId: account.id }),
    );
    const views: FakeInteraction[] = [];
    for (const s of services) views.push(await openConsole(e2e, userId, s.id));

    // 250 hostile lines/s into each console (6 MB/s in all) for up to 4 s; the bystander asks after 0.5 s.
    let ticks = 0;
    let list: FakeInteraction | undefined;
    let ask: (interaction: FakeInteraction) => void = () => undefined;
    const asked = new Promise<FakeInteraction>((resolve) => (ask = resolve));
    const flood = setInterval(() => {
      ticks += 1;
      for (let i = 0; i < 5; i++) for (const s of services) e2e.atomichost.pushOutput(s.id, HOSTILE_LINE);
      if (ticks === 25) ask((list = command(e2e, other.userId, 'server', 'list')));
      if (ticks >= 200 || list?.firstCallbackAt !== undefined) clearInterval(flood);
    }, 20);
    try {
      // Discord gives 3 s for the first answer (the fake enforces it): the bystander must get theirs.
      assert.equal((await seen(await asked)).title, 'Your servers');
    } finally {
      clearInterval(flood);
    }
    // The flood leaves a background colour set; a reset makes the last line plain again.
    for (const s of services) e2e.atomichost.pushOutput(s.id, '\u001b[0mafter the flood');
    await Promise.all(views.map((v) => waitForLastLine(v, 'after the flood', 15_000)));
    assert.match(consoleEmbed(views[0]!)!.footer!.text, /^● Live · [\d,]+ lines/);
  });

  test('issue8 item 2: an event that never ends closes the stream at 1 MiB with a clear message, and the bot carries on', async () => {
    const { userId, account, service } = await setup('endless');
    const view = await openConsole(e2e, userId, service.id);
    e2e.atomichost.pushOutput(service.id, 'before the endless line');
    await waitForLastLine(view, 'before the endless line');
    // `data:` that never ends, arriving in pieces as a network delivers it: 1.25 MiB and counting.
    e2e.atomichost.pushRaw(service.id, 'event: output\ndata: ');
    for (let i = 0; i < 20; i++) e2e.atomichost.pushRaw(service.id, 'x'.repeat(64 * 1024));
    const ended = await waitForEnd(view);
    assert.match(endedField(ended), /^The console sent a line too long to show \(over 1 MiB\)/);
    assert.deepEqual(blockLines(ended), ['before the endless line'], 'no part of the line is shown');
    await waitForStreams(e2e, account.id, 0);
    const record = e2e.atomichost.streamHistory.findLast((s) => s.serviceId === service.id);
    assert.equal(record?.closedBy, 'client', 'Hostlink hung up');
    assert.equal(
      e2e.atomichost.streamHistory.filter((s) => s.serviceId === service.id).length,
      1,
      'not reconnected automatically: the same line would come again',
    );
    // The bot is alive and answers the next command.
    assert.equal((await seen(command(e2e, userId, 'server', 'list'))).title, 'Your servers');
  });

  test('issue8 item 3: a 4th live message on one stream ends the oldest with a note; the other three carry on', async () => {
    const { userId, account, service } = await setup('opener');
    const first = await openConsole(e2e, userId, service.id);
    e2e.atomichost.pushOutput(service.id, 'seen by the first');
    await waitForLastLine(first, 'seen by the first');
    const rest: FakeInteraction[] = [];
    for (let i = 0; i < 3; i++) rest.push(await openConsole(e2e, userId, service.id, { public: i === 1 }));
    const ended = await waitForEnd(first);
    assert.match(
      endedField(ended),
      /^You opened this console in a newer message, and Hostlink keeps at most 3 live messages per server for you, so this one, the oldest, stopped\./,
    );
    assert.equal(e2e.atomichost.openStreams(account.id), 1, 'the stream stays for the other three');
    e2e.atomichost.pushOutput(service.id, 'to the three');
    await Promise.all(rest.map((v) => waitForLastLine(v, 'to the three')));
    assert.notEqual(blockLines(consoleEmbed(first)).at(-1), 'to the three');

    // The oldest keeps its log: what it showed, and nothing after it ended.
    const download = press(e2e, first, 'log', userId);
    await download.waitFor(() => (download.original?.attachments.length ?? 0) > 0);
    const text = await (await fetch(download.original!.attachments[0]!.url)).text();
    assert.equal(text.split(`${'-'.repeat(60)}\n`)[1], 'seen by the first\n');
  });

  test('issue8 item 7: a command sent privately is echoed into private console messages only, never a public one', async () => {
    const { userId, service } = await setup('secretive');
    const shown = await openConsole(e2e, userId, service.id, { public: true });
    const mine = await openConsole(e2e, userId, service.id);

    const send = command(e2e, userId, 'console', 'send', [
      str('server', String(service.id)),
      str('command', 'authme register hunter2 hunter2'),
    ]);
    assert.equal((await answerOf(send)).title, 'Command sent');
    await waitForLastLine(mine, NOTICE('> authme register hunter2 hunter2'));

    // The public message's own Send command form is not echoed there either.
    const opener = press(e2e, shown, 'cmd', userId);
    const modal = await opener.waitForCallback();
    const submit = e2e.discord.modalSubmit({
      customId: String(modal.data.custom_id),
      fields: { command: 'login swordfish' },
      userId,
    });
    assert.equal((await answerOf(submit)).title, 'Command sent');
    await waitForLastLine(mine, NOTICE('> login swordfish'));

    e2e.atomichost.pushOutput(service.id, 'after the commands');
    await waitForLastLine(shown, 'after the commands');
    assert.deepEqual(e2e.atomichost.service(service.id)!.commands, [
      'authme register hunter2 hunter2',
      'login swordfish',
    ]);
    for (const edit of shown.edits) {
      assert.doesNotMatch(
        JSON.stringify(edit.body ?? {}),
        /hunter2|swordfish/,
        'never in the public message',
      );
    }
  });

  test("issue8 item 12: Stop stream and Download log check the console's stored owner, not the id in the button", async () => {
    const victim = await setup('victim');
    const view = await openConsole(e2e, victim.userId, victim.service.id, { public: true });
    e2e.atomichost.pushOutput(victim.service.id, 'rcon password is hunter2');
    await waitForLastLine(view, 'rcon password is hunter2');
    // Everyone in the channel sees the public message's custom ids; an attacker forges theirs into one.
    const attacker = await setup('attacker');
    const forged = (action: string): string => {
      const [, , viewId] = buttonFor(view, 'cmd').custom_id.split(':');
      return `console:${action}:${viewId}:${attacker.service.id}:${attacker.userId}:1`;
    };
    const stop = e2e.discord.button({
      customId: forged('close'),
      messageId: view.original?.id,
      userId: attacker.userId,
    });
    assert.equal((await stop.waitForCallback()).data.embeds[0].title, 'Not your console');
    e2e.atomichost.pushOutput(victim.service.id, 'still live');
    await waitForLastLine(view, 'still live');
    assert.match(consoleEmbed(view)!.footer!.text, /^● Live/);

    press(e2e, view, 'close', victim.userId);
    await waitForEnd(view);
    const requests = e2e.atomichost.requests.length;
    const log = e2e.discord.button({
      customId: forged('log'),
      messageId: view.original?.id,
      userId: attacker.userId,
    });
    const answer = await log.waitForCallback();
    assert.equal(answer.data.embeds[0].title, 'Not your console');
    assert.equal(log.original?.attachments.length ?? 0, 0, 'no log file');
    assert.equal(e2e.atomichost.requests.length, requests, 'no upstream call');
  });

  test('issue8 item 15: a dropped connection is reconnected once, as the README says; a second drop ends the console', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.match(readme, /A dropped connection is reconnected once\s+automatically\./);
    const { userId, account, service } = await setup('unlucky');
    const view = await openConsole(e2e, userId, service.id);
    const streams = e2e.atomichost.streamHistory.length;
    assert.equal(e2e.atomichost.dropStreams(service.id), 1);
    await waitForLastLine(view, NOTICE('Reconnected.'));
    await waitForStreams(e2e, account.id, 1);
    assert.equal(e2e.atomichost.dropStreams(service.id), 1);
    const ended = await waitForEnd(view);
    assert.match(endedField(ended), /^The connection to AtomicHost was lost\./);
    assert.equal(
      e2e.atomichost.streamHistory.length,
      streams + 1,
      'one automatic reconnect (5 credits), no more',
    );
    assert.equal(e2e.atomichost.openStreams(account.id), 0);
  });
});
