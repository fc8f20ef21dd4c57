import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, type E2E } from '../helpers/e2e.js';
import {
  answer,
  buttons,
  immediateReply,
  invoke,
  opt,
  press,
  question,
  writesSince,
  type Embed,
} from '../helpers/moderation.js';

const ALICE = '410000000000000001';

describe('confirmations that expire, and an audit channel the bot cannot write to', () => {
  let e2e: E2E;
  let audit: string;
  before(async () => {
    e2e = await startE2E({
      env: ({ discord }) => {
        audit = discord.addTextChannel('mod-audit').id;
        return { AUDIT_CHANNEL_ID: audit, CONFIRMATION_TIMEOUT_MS: '1500' };
      },
    });
    e2e.heliactyl.addUser({ id: ALICE, coins: 1000, package: 'premium' });
    e2e.discord.faults.add({
      fault: {
        kind: 'status',
        status: 403,
        body: JSON.stringify({ message: 'Missing Permissions', code: 50013 }),
      },
      method: 'POST',
      path: `/channels/${audit}/messages`,
    });
  });
  after(async () => {
    await e2e.close();
  });

  test('unanswered questions (/ban, /coins set, /plan remove, /renewal remove) expire with buttons disabled; a late click changes nothing', async () => {
    const cases = [
      ['ban', [opt.user(ALICE)], 'Ban'],
      ['coins set', [opt.int('amount', 5), opt.user(ALICE)], 'Set balance'],
      ['plan remove', [opt.user(ALICE)], 'Remove package'],
      ['renewal remove', [opt.user(ALICE)], 'Remove bypass'],
    ] as const;
    const asked = cases.map(([path, options, label]) => ({
      path,
      label,
      interaction: invoke(e2e, { path, options: [...options] }),
    }));
    for (const { interaction } of asked) await question(interaction);
    const since = e2e.heliactyl.requests.length;
    for (const { path, label, interaction } of asked) {
      await interaction.waitFor(
        () => buttons(interaction).length === 2 && buttons(interaction).every((b) => b.disabled === true),
      );
      const embed = interaction.original?.embeds[0] as Embed;
      assert.equal(embed.footer?.text, 'Expired after 2 s — nothing was changed.', path);
      const late = press(e2e, interaction, label);
      await late.waitFor(() => late.followUps.length > 0);
      assert.match(
        String((late.followUps[0]?.embeds[0] as Embed).description),
        /This confirmation has expired — nothing was changed/,
      );
    }
    assert.equal(writesSince(e2e, since).length, 0);
  });

  test('writes still complete when the audit channel refuses the post, and one warning is logged', async () => {
    const first = await answer(invoke(e2e, { path: 'renewal give', options: [opt.user(ALICE)] }));
    assert.equal(first.title, 'Renewal bypass granted to @member001');
    const second = await answer(
      invoke(e2e, { path: 'coins add', options: [opt.int('amount', 7), opt.user(ALICE)] }),
    );
    assert.equal(second.description, 'Balance: **1,007 coins** (read back from the dashboard)');
    // Each failed post leaves a line (a warning, then debug traces): both failures are in once there are two.
    await e2e.bot.waitForLog(() => e2e.bot.logs.filter((l) => l.auditChannel === true).length >= 2);
    const warnings = e2e.bot.logs.filter((l) => l.level === 40 && l.auditChannel === true);
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(String(warnings[0]?.msg), /Cannot post to the audit channel \(AUDIT_CHANNEL_ID\)/);
    assert.equal(
      e2e.bot.logs.filter((l) => l.audit === true).length,
      2,
      'both writes are still in the audit log lines',
    );
    assert.equal(e2e.discord.channelMessages(audit).length, 0);
  });

  test('a click on a question that was never ours (unknown id) is answered, not crashed', async () => {
    const click = e2e.discord.button({ customId: 'ban-confirm:nope:yes', roles: [] });
    const refusal = await immediateReply(click);
    assert.equal(refusal.title, 'Not allowed');
  });
});
