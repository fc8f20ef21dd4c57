/* eslint-disable no-control-regex -- console output is full of escape sequences */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, isEphemeral, type E2E } from '../helpers/e2e.js';
import { command, str, userWithKey } from '../helpers/user-side.js';
import {
  assertNoPings,
  blockLines,
  buttons,
  consoleEmbed,
  editLines,
  endedField,
  openConsole,
  press,
  waitForEnd,
  waitForLastLine,
  waitForStreams,
} from '../helpers/console.js';
import type { FakeInteraction } from '../fakes/discord/index.js';

const INTERVAL = 300;
const WINDOW = 2000;
const E = '\u001b';

/**
 * The console message itself: rendering, edit scheduling under the fake
 * Discord's per-route limiter (5 edits per 2 s per message), stream sharing
 * and the 3-stream limit. One bot for the file.
 */
describe('/console stream: the live message', () => {
  let e2e: E2E;

  before(async () => {
    e2e = await startE2E({
      env: { CONSOLE_EDIT_INTERVAL_MS: String(INTERVAL) },
      discord: { rateLimit: { perRoute: { limit: 5, windowMs: WINDOW } } },
    });
  });
  after(async () => {
    await e2e.close();
  });

  async function owner(name: string) {
    const { userId, account } = await userWithKey(e2e, name);
    const service = e2e.atomichost.addService({ name: `${name}'s server`, ownerId: account.id });
    return { userId, account, service };
  }

  test('opens privately by default (publicly with public:true), with the controls and the credits', async () => {
    const { userId, account, service } = await owner('ada');
    const mine = await openConsole(e2e, userId, service.id);
    assert.ok(isEphemeral(mine), 'private by default');
    assert.deepEqual(
      buttons(mine).map((b) => b.label),
      ['Send command', 'Start', 'Restart', 'Stop', 'Kill', 'Stop stream'],
    );
    const embed = consoleEmbed(mine)!;
    assert.equal(embed.title, `Console · server #${service.id}`);
    assert.match(
      embed.footer!.text,
      /^(● Live|○ Connecting…) · 0 lines · [\d,]+ of 2,500 credits left today/,
    );
    e2e.atomichost.pushOutput(service.id, 'hello');
    await waitForLastLine(mine, 'hello');
    assert.match(consoleEmbed(mine)!.footer!.text, /^● Live · 1 line · /);

    const shown = await openConsole(e2e, userId, service.id, { public: true });
    assert.ok(!isEphemeral(shown), 'public:true answers in the channel');
    assert.equal(e2e.atomichost.openStreams(account.id), 1, 'the second message shares the stream');
    assertNoPings(mine);
  });

  // Edit spacing, freshness and back-off in milliseconds are rules of the scheduler, tested on a manual
  // clock (test/unit/console-scheduler.test.ts), and measured live in `npm run bench -- console`.
  test('a burst is coalesced into few edits; the last lines are all visible; no edit without a change; no 429', async () => {
    const { userId, service } = await owner('burst');
    const view = await openConsole(e2e, userId, service.id);
    const hits = e2e.discord.rateLimitHits;
    const before = view.edits.length;
    const lines = Array.from(
      { length: 2100 },
      (_, i) => `burst ${String(i).padStart(4, '0')} ${'.'.repeat(30)}`,
    );
    await e2e.atomichost.pushLines(service.id, lines, 700); // 3 s
    await waitForLastLine(view, lines.at(-1)!);
    const edits = editLines(view).slice(before);

    // Coalescing: 2100 lines in a few edits (the fake allows 5 per 2 s per message).
    assert.ok(edits.length < 100, `${edits.length} edits for 2100 lines`);
    assert.ok(edits.length >= 3, 'but the message keeps moving');
    // The scheduler waited for the bucket resets instead of being refused.
    assert.equal(e2e.discord.rateLimitHits, hits, 'no 429');
    // Latest wins, nothing in the visible tail lost: a contiguous run ending with the last line, as long as fits.
    const visible = blockLines(consoleEmbed(view));
    assert.deepEqual(visible, lines.slice(-visible.length));
    const oneMore = lines.slice(-(visible.length + 1)).join('\n').length + 12;
    assert.ok(oneMore > 4096, 'as many whole lines as fit');
    // Every edit shows a contiguous tail too, built when it was sent.
    for (const edit of edits) {
      const first = lines.indexOf(edit.lines[0]!);
      assert.deepEqual(edit.lines, lines.slice(first, first + edit.lines.length));
    }
    // Nothing changes → nothing is sent: the next edit the message gets is the one for the next line.
    const settled = view.edits.length;
    e2e.atomichost.pushOutput(service.id, 'after the burst');
    await waitForLastLine(view, 'after the burst');
    assert.equal(view.edits.length, settled + 1, 'no edit without a change');
  });

  test('a 429 slows the message down instead of queueing a backlog, and the latest output still arrives', async () => {
    const { userId, service } = await owner('limited');
    const view = await openConsole(e2e, userId, service.id);
    const hits = e2e.discord.rateLimitHits;
    const faultAt = performance.now();
    e2e.discord.faults.add({
      fault: { kind: 'rate_limit', retryAfterSeconds: 1.5 },
      method: 'PATCH',
      path: view.token,
      times: 1,
    });
    const lines = Array.from({ length: 200 }, (_, i) => `slow ${i}`);
    await e2e.atomichost.pushLines(service.id, lines, 50); // 4 s
    await waitForLastLine(view, 'slow 199');
    assert.equal(e2e.discord.rateLimitHits, hits + 1, 'exactly the one injected 429');
    // The fault answers the first edit after it was added.
    const refused = e2e.discord.requests.find(
      (r) => r.method === 'PATCH' && r.path.includes(view.token) && r.at > faultAt,
    );
    assert.ok(refused, 'the refused edit was recorded');
    // No backlog: far fewer edits than lines, and the message still shows the latest output.
    const after429 = editLines(view).filter((e) => e.at > refused.at);
    assert.ok(after429.length >= 1 && after429.length < 50, `${after429.length} edits after the 429`);
    assert.equal(blockLines(consoleEmbed(view)).at(-1), 'slow 199');
  });

  test('ANSI is reduced to what Discord renders and backticks cannot close the block', async () => {
    const { userId, service } = await owner('ansi');
    const view = await openConsole(e2e, userId, service.id);
    const raw = [
      `${E}[38;5;196mred256${E}[0m ${E}[38;2;0;200;0mgreen24${E}[0m ${E}[1;4;94mbright${E}[0m`,
      `${E}[2K${E}[1G${E}]0;window title\u0007progress ${E}[?25l50%\r${E}[Kdone`,
      '```',
      'before ``` after ```js',
      `\`${E}[31m\`\`${E}[0m`,
      'tab\there\u0000\u0007',
    ];
    for (const line of raw) e2e.atomichost.pushOutput(service.id, line);
    e2e.atomichost.pushOutput(service.id, 'end of ansi');
    await waitForLastLine(view, 'end of ansi');
    const description = consoleEmbed(view)!.description!;
    assert.equal(description.match(/```/g)?.length, 2, 'only the two fences');
    const shown = blockLines(consoleEmbed(view));
    assert.deepEqual(shown, [
      `${E}[31mred256${E}[0m ${E}[32mgreen24${E}[0m ${E}[1;4;34mbright${E}[0m`,
      // SSE cannot carry a bare CR: it arrives as a line break.
      'progress 50%',
      'done',
      '`\u200b`\u200b`',
      'before `\u200b`\u200b` after `\u200b`\u200b`js',
      `\`${E}[31m\`\u200b\`${E}[0m`,
      'tab\there',
      'end of ansi',
    ]);
    // Nothing but Discord's subset of SGR remains.
    for (const line of shown) {
      for (const [code] of line.matchAll(/\u001b\[[^m]*m/g))
        assert.match(code, /^\u001b\[(0|1|4|3[0-7]|4[0-7])(;(1|4|3[0-7]|4[0-7]))*m$/);
      assert.doesNotMatch(line.replace(/\u001b\[[0-9;]*m/g, ''), /[\u0000-\u0008\u000a-\u001f\u007f]/);
    }
  });

  test('@everyone and other mentions in the output never ping, in any edit', async () => {
    const { userId, service } = await owner('pinger');
    const view = await openConsole(e2e, userId, service.id, { public: true });
    e2e.atomichost.pushOutput(service.id, '@everyone the server is restarting');
    e2e.atomichost.pushOutput(service.id, '<@123456789012345678> and <@&223456789012345678> and @here');
    e2e.atomichost.pushOutput(service.id, 'after mentions');
    await waitForLastLine(view, 'after mentions');
    const shown = blockLines(consoleEmbed(view));
    assert.equal(shown[0], '@\u200beveryone the server is restarting');
    assert.equal(shown[1], '<\u200b@123456789012345678> and <\u200b@&223456789012345678> and @\u200bhere');
    assertNoPings(view);
  });

  test('status events colour the embed; stats show CPU, memory and disk', async () => {
    const { userId, service } = await owner('status');
    const view = await openConsole(e2e, userId, service.id);
    const colours: Record<string, number> = {
      starting: 0xf1c40f,
      running: 0x2ecc71,
      stopping: 0xe67e22,
      offline: 0xe74c3c,
    };
    for (const [state, colour] of Object.entries(colours)) {
      e2e.atomichost.pushStatus(service.id, state as 'running');
      await view.waitFor(() => consoleEmbed(view)?.color === colour);
      assert.match(consoleEmbed(view)!.fields!.find((f) => f.name === 'State')!.value, new RegExp(state));
    }
    e2e.atomichost.pushStats(service.id, {
      cpu_absolute: 42.5,
      memory_bytes: 1536 * 1024 * 1024,
      memory_limit_bytes: 4 * 1024 ** 3,
      disk_bytes: 3 * 1024 ** 3,
    });
    await view.waitFor(() => consoleEmbed(view)?.fields?.some((f) => f.name === 'CPU') === true);
    const fields = Object.fromEntries(consoleEmbed(view)!.fields!.map((f) => [f.name, f.value]));
    assert.equal(fields.CPU, '42.5 %');
    assert.equal(fields.Memory, '1.50 GiB / 4.00 GiB');
    assert.equal(fields.Disk, '3.00 GiB / 10.0 GiB');
  });

  test("one stream per (user, server), shared by that user's messages and never with another user", async () => {
    const a = await owner('sharer');
    const member = await userWithKey(e2e, 'member');
    e2e.atomichost.share(a.service.id, member.account.id, ['console']);
    const streamsBefore = e2e.atomichost.streamHistory.length;
    const first = await openConsole(e2e, a.userId, a.service.id);
    const second = await openConsole(e2e, a.userId, a.service.id, { public: true });
    assert.equal(e2e.atomichost.openStreams(a.account.id), 1);
    const theirs = await openConsole(e2e, member.userId, a.service.id);
    assert.equal(e2e.atomichost.openStreams(member.account.id), 1, 'the other user gets their own stream');
    assert.equal(e2e.atomichost.streamHistory.length - streamsBefore, 2);
    e2e.atomichost.pushOutput(a.service.id, 'to everyone watching');
    await Promise.all([first, second, theirs].map((v) => waitForLastLine(v, 'to everyone watching')));
    // A message opened later on the same stream starts with what the stream already showed.
    const third = await openConsole(e2e, a.userId, a.service.id);
    await waitForLastLine(third, 'to everyone watching');
    assert.equal(e2e.atomichost.openStreams(a.account.id), 1, 'no new stream for the third message');
    press(e2e, third, 'close', a.userId);
    await waitForEnd(third);

    // Stopping one message keeps the stream for the other.
    const stop = e2e.discord.button({
      customId: buttons(first).find((b) => b.label === 'Stop stream')!.custom_id,
      messageId: first.original?.id,
      userId: a.userId,
    });
    await waitForEnd(first);
    await stop.waitForCallback();
    assert.equal(e2e.atomichost.openStreams(a.account.id), 1, 'still open for the second message');
    e2e.atomichost.pushOutput(a.service.id, 'only the second');
    await waitForLastLine(second, 'only the second');
    assert.notEqual(blockLines(consoleEmbed(first)).at(-1), 'only the second');
  });

  test('at the 3-stream limit the reply lists the open streams with buttons that stop them', async () => {
    const { userId, account } = await userWithKey(e2e, 'hoarder');
    const services = Array.from({ length: 4 }, (_, i) =>
      e2e.atomichost.addService({ name: `Box ${i}`, ownerId: account.id }),
    );
    const open: FakeInteraction[] = [];
    for (const s of services.slice(0, 3)) open.push(await openConsole(e2e, userId, s.id));
    const refused = command(e2e, userId, 'console', 'stream', [str('server', String(services[3]!.id))]);
    await refused.waitFor(
      () =>
        (refused.original?.embeds[0] as { title?: string } | undefined)?.title === 'Too many console streams',
    );
    const embed = refused.original!.embeds[0] as { description: string };
    for (const s of services.slice(0, 3)) assert.match(embed.description, new RegExp(`server #${s.id}`));
    const stopButtons = buttons(refused);
    assert.deepEqual(
      stopButtons.map((b) => b.label),
      services.slice(0, 3).map((s) => `Stop #${s.id}`),
    );

    // Someone else cannot use them.
    const foreign = e2e.discord.button({
      customId: stopButtons[0]!.custom_id,
      messageId: refused.original?.id,
    });
    const answer = await foreign.waitForCallback();
    assert.equal(answer.type, 4);
    assert.equal(answer.data.embeds[0].title, 'Not your console');
    assert.equal(e2e.atomichost.openStreams(account.id), 3);

    const press = e2e.discord.button({
      customId: stopButtons[0]!.custom_id,
      messageId: refused.original?.id,
      userId,
    });
    const updated = await press.waitForCallback();
    assert.equal(updated.type, 7, 'the list is updated in place');
    assert.match(
      updated.data.embeds[0].description,
      new RegExp(`Stopped the stream of server #${services[0]!.id}`),
    );
    assert.equal(updated.data.components[0].components.length, 2);
    const ended = await waitForEnd(open[0]!);
    assert.match(endedField(ended), /Stopped from the list of open streams/);
    await waitForStreams(e2e, account.id, 2);
    const fourth = await openConsole(e2e, userId, services[3]!.id);
    assert.equal(e2e.atomichost.openStreams(account.id), 3);
    assert.ok(fourth.original);
  });
});
