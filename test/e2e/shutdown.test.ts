import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answerEmbeds, startE2E, type E2E } from '../helpers/e2e.js';
import { auditPosts, field, invoke, opt, type Embed } from '../helpers/moderation.js';
import {
  answerOf,
  consoleEmbed,
  endedField,
  openConsole,
  waitForEnd,
  waitForLastLine,
} from '../helpers/console.js';
import { command, str, userWithKey } from '../helpers/user-side.js';
import type { FakeHeliactyl } from '../fakes/heliactyl.js';
import type { FakeAtomicHost } from '../fakes/atomichost/index.js';

const ALICE = '410000000000000007';
const RESTARTING = 'Bot restarting — reconnect when it is back.';

/** Holds the next matching request at the fake until `release()`; `reached` settles when it arrives. */
function hold(fake: FakeHeliactyl | FakeAtomicHost, method: string, path: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  fake.faults.add({ method, path, fault: { kind: 'hold', until: released, onHeld: arrived }, times: 1 });
  let timer: NodeJS.Timeout | undefined;
  const bounded = Promise.race([
    reached,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${method} ${path} never reached the fake`)), 15_000);
    }),
  ]).finally(() => clearTimeout(timer));
  return { reached: bounded, release };
}

async function liveConsole(e2e: E2E, name: string) {
  const { userId, account } = await userWithKey(e2e, name);
  const service = e2e.atomichost.addService({ name: `${name} server`, ownerId: account.id });
  const view = await openConsole(e2e, userId, service.id);
  e2e.atomichost.pushOutput(service.id, '[12:00:00] Server ready');
  await waitForLastLine(view, '[12:00:00] Server ready');
  return { userId, account, service, view };
}

async function stoppedCleanly(e2e: E2E): Promise<void> {
  assert.equal(await e2e.bot.waitForExit(12_000), 0, 'exits 0');
  const stopped = e2e.bot.logs.find((l) => l.msg === 'Hostlink stopped: store closed');
  assert.ok(stopped, 'the store was closed before the process ended');
  assert.equal(stopped.leftInFlight, 0, 'nothing was cut off');
}

describe('shutdown on a signal (issue 13 item 6)', () => {
  test('issue13 item 6: SIGTERM mid-command with a console open: reply, audit post, console final edit, exit 0', async () => {
    const e2e = await startE2E({
      env: ({ discord }) => ({ AUDIT_CHANNEL_ID: discord.channelId, CONSOLE_EDIT_INTERVAL_MS: '300' }),
    });
    try {
      const { view, account } = await liveConsole(e2e, 'stopper');
      e2e.heliactyl.addUser({ id: ALICE, coins: 1000 });
      const write = hold(e2e.heliactyl, 'POST', '/api/v3/addcoins');
      const adding = invoke(e2e, { path: 'coins add', options: [opt.int('amount', 500), opt.user(ALICE)] });
      await write.reached;

      e2e.bot.child.kill('SIGTERM');
      await e2e.bot.waitForLog((line) => line.msg === 'Shutting down');
      // The console gets its final edit while the command is still held at the dashboard.
      const ended = await waitForEnd(view);
      assert.match(endedField(ended), new RegExp(RESTARTING));
      assert.equal(e2e.atomichost.openStreams(account.id), 0, 'the stream was closed upstream');
      write.release();
      await stoppedCleanly(e2e);

      const reply = answerEmbeds(adding)[0] as Embed | undefined;
      assert.equal(reply?.title, 'Added 500 coins to @member007');
      const posts = auditPosts(e2e, e2e.discord.channelId);
      assert.equal(posts.length, 1, 'the write was audited in the channel');
      assert.equal(posts[0]!.title, 'Moderator action: /coins add');
      assert.match(field(posts[0]!, 'Result'), /^✅ Success/);
      assert.equal(e2e.heliactyl.user(ALICE)?.coins, 1500);
      assert.ok(
        consoleEmbed(view)?.description?.includes('[12:00:00] Server ready'),
        'the output stays shown',
      );
    } finally {
      await e2e.close();
    }
  });

  test('issue13 item 6: SIGINT mid-console while /console send is at AtomicHost: the command is answered, the console ends, exit 0', async () => {
    const e2e = await startE2E({ env: { CONSOLE_EDIT_INTERVAL_MS: '300' } });
    try {
      const { userId, service, view } = await liveConsole(e2e, 'sender');
      const sent = hold(e2e.atomichost, 'POST', `/servers/${service.id}/console/command`);
      const sending = command(e2e, userId, 'console', 'send', [
        str('server', String(service.id)),
        str('command', 'save-all'),
      ]);
      await sent.reached;

      e2e.bot.child.kill('SIGINT');
      await e2e.bot.waitForLog((line) => line.msg === 'Shutting down' && line.signal === 'SIGINT');
      const late = command(e2e, userId, 'console', 'send', [
        str('server', String(service.id)),
        str('command', 'stop'),
      ]);
      assert.match(String((await late.waitForCallback()).data.content), /Hostlink is restarting/);
      sent.release();
      assert.equal((await answerOf(sending)).title, 'Command sent');
      const ended = await waitForEnd(view);
      assert.match(endedField(ended), new RegExp(RESTARTING));
      await stoppedCleanly(e2e);
      assert.deepEqual(
        e2e.atomichost.service(service.id)!.commands,
        ['save-all'],
        'the late command never ran',
      );
    } finally {
      await e2e.close();
    }
  });
});
