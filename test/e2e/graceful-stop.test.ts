import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answerEmbeds, startE2E } from '../helpers/e2e.js';
import { auditPosts, field, invoke, opt, type Embed } from '../helpers/moderation.js';

const ALICE = '410000000000000001';

describe('graceful stop', () => {
  test('issue8 item 14: SIGTERM during /coins add still delivers the reply and the audit post, then exits 0', async () => {
    const e2e = await startE2E({ env: ({ discord }) => ({ AUDIT_CHANNEL_ID: discord.channelId }) });
    try {
      const audit = e2e.discord.channelId;
      e2e.heliactyl.addUser({ id: ALICE, coins: 1000 });
      // The dashboard holds the write until the test lets it go: SIGTERM lands mid-command.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let reached!: () => void;
      const atDashboard = new Promise<void>((resolve) => (reached = resolve));
      e2e.heliactyl.faults.add({
        method: 'POST',
        path: '/api/v3/addcoins',
        fault: { kind: 'hold', until: released, onHeld: reached },
        times: 1,
      });

      const adding = invoke(e2e, { path: 'coins add', options: [opt.int('amount', 500), opt.user(ALICE)] });
      await atDashboard;
      e2e.bot.child.kill('SIGTERM');
      await e2e.bot.waitForLog((line) => line.msg === 'Shutting down');

      // While it drains, new work is turned away with a clear answer.
      const late = invoke(e2e, { path: 'coins balance', options: [opt.user(ALICE)] });
      const turnedAway = await late.waitForCallback();
      assert.equal(turnedAway.type, 4);
      assert.match(String(turnedAway.data.content), /Hostlink is restarting — try again in a minute/);
      assert.equal((Number(turnedAway.data.flags ?? 0) & 64) === 64, true, 'privately');

      release();
      assert.equal(await e2e.bot.waitForExit(15_000), 0, 'exits 0');

      const reply = answerEmbeds(adding)[0] as Embed | undefined;
      assert.equal(reply?.title, 'Added 500 coins to @member001', 'the moderator got the reply');
      assert.equal(reply?.description, 'Balance: **1,500 coins** (read back from the dashboard)');
      const posts = auditPosts(e2e, audit);
      assert.equal(posts.length, 1, 'the write was audited in the channel');
      assert.equal(posts[0]!.title, 'Moderator action: /coins add');
      assert.match(field(posts[0]!, 'Result'), /^✅ Success\nBalance now 1,500 coins$/);
      assert.equal(e2e.heliactyl.user(ALICE)?.coins, 1500);
    } finally {
      await e2e.close();
    }
  });
});
