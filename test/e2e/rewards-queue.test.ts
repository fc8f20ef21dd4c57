import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, startE2E, type E2E } from '../helpers/e2e.js';
import { coinWrites } from '../helpers/rewards-rig.js';
import {
  answer,
  answerTitled,
  auditPosts,
  button,
  buttons,
  field,
  immediateReply,
  invoke,
  opt,
  press,
  question,
  type Embed,
} from '../helpers/moderation.js';

const ADMIN = '190000000000000001';
const OTHER_ADMIN = '190000000000000002';
const MOD = '190000000000000003';
/** Its addcoins reaches the dashboard, but the answer comes too late: unknown, though paid. */
const PAID = '440000000000000001';
/** Its addcoins never gets through: unknown, and not paid. */
const LOST = '440000000000000002';

describe('issue12: /rewards queue and re-checks of unknown grants', () => {
  let e2e: E2E;
  let audit: string;
  before(async () => {
    // HTTP_TIMEOUT_MS stays at the e2e default (1.5 s): a held addcoins times out and turns unknown.
    e2e = await startE2E({ env: ({ discord }) => ({ AUDIT_CHANNEL_ID: discord.channelId }) });
    audit = e2e.discord.channelId;
    e2e.heliactyl.addUser({ id: PAID, coins: 100 });
    e2e.heliactyl.addUser({ id: LOST, coins: 100 });
  });
  after(async () => {
    await e2e.close();
  });

  /** A bulk grant to one member whose addcoins meets `fault`; resolves when its summary says unknown. */
  async function unknownGrant(userId: string, coins: number): Promise<void> {
    const interaction = invoke(e2e, {
      path: 'coins grant',
      userId: ADMIN,
      options: [opt.str('users', userId), opt.int('amount', coins), opt.str('reason', 'queue test')],
    });
    await question(interaction);
    const summary = await answerTitled(
      press(e2e, interaction, `Grant ${coins} coins`),
      /^Bulk grant finished/,
    );
    assert.equal(summary.title, 'Bulk grant finished: 0 granted, 0 failed, 1 unknown');
  }

  const queueAuditsFor = (userId: string): Embed[] =>
    auditPosts(e2e, audit).filter(
      (e) => e.title === 'Moderator action: /rewards queue' && field(e, 'Target').includes(userId),
    );

  test('an unknown grant is listed with state and age; Re-check shows the balance; Mark granted records it paid, audited, sends nothing; a second decision is told it was already resolved', async () => {
    let deliver!: () => void;
    const late = new Promise<void>((resolve) => (deliver = resolve));
    e2e.heliactyl.faults.add({
      fault: { kind: 'hold', until: late },
      method: 'POST',
      path: '/addcoins',
      times: 1,
    });
    await unknownGrant(PAID, 30);
    deliver(); // the dashboard applies the add after the bot gave up waiting
    const listed = await answer(invoke(e2e, { path: 'rewards queue', userId: ADMIN }));
    assert.equal(listed.title, 'Grant queue: 1 not granted');
    assert.match(listed.description ?? '', /^Unknown: \*\*1\*\* · sending: \*\*0\*\* · queued: \*\*0\*\*/);
    assert.match(
      listed.description ?? '',
      new RegExp(
        `\\*\\*1\\.\\*\\* ⚠️ \\*\\*unknown\\*\\* · <@${PAID}> \\(\`${PAID}\`\\) · 30 coins · bulk · created <t:\\d+:R>\\n> addcoins may have reached the dashboard`,
      ),
    );
    const queueView = invoke(e2e, { path: 'rewards queue', userId: ADMIN });
    await answer(queueView);

    const recheck = press(e2e, queueView, 'Re-check #1', { userId: ADMIN });
    const shown = await answerTitled(recheck, /^Re-check/);
    assert.equal(shown.title, 'Re-check: 30 coins (bulk)');
    assert.equal(field(shown, 'Balance now'), '130 coins', 'read from the dashboard just now');
    assert.equal(field(shown, "Grant's balance after"), 'not read (the outcome is unknown)');
    const stale = button(recheck, 'Mark granted');

    const marked = press(e2e, recheck, 'Mark granted', { userId: ADMIN });
    const done = await answerTitled(marked, /^Marked granted$/);
    assert.match(done.description ?? '', /30 coins to .* is recorded as paid; nothing was sent/);
    assert.deepEqual(coinWrites(e2e.heliactyl, PAID), ['addcoins 30'], 'not sent again');
    assert.equal(e2e.heliactyl.user(PAID)?.coins, 130);
    await e2e.discord.waitFor(() => queueAuditsFor(PAID).length === 1);
    const entry = queueAuditsFor(PAID)[0]!;
    assert.equal(field(entry, 'Invoker'), `<@${ADMIN}> (\`${ADMIN}\`)`);
    assert.match(
      field(entry, 'Values'),
      /coins: 30\nsource: bulk\ndecision: mark granted\nbalance seen: 130 coins/,
    );
    assert.match(
      field(entry, 'Result'),
      /^✅ Success\nMarked granted by <@190000000000000001> after a re-check/,
    );

    // Another admin's copy of the same decision, pressed afterwards.
    const late2 = e2e.discord.button({
      customId: stale.custom_id,
      messageId: recheck.original!.id,
      roles: [ROLES.admin],
      userId: OTHER_ADMIN,
    });
    const already = await answerTitled(late2, /^Already resolved$/);
    assert.match(
      already.description ?? '',
      /it is now \*\*granted\*\* — Marked granted by <@190000000000000001>/,
    );
    assert.equal(queueAuditsFor(PAID).length, 1, 'nothing more audited');
    assert.equal(
      (await answer(invoke(e2e, { path: 'rewards queue', userId: ADMIN }))).title,
      'Grant queue: empty',
    );
  });

  test('Send again queues the grant once more: exactly one more addcoins, the answer shows the outcome; moderators may not press', async () => {
    e2e.heliactyl.faults.add({ fault: { kind: 'hang' }, method: 'POST', path: '/addcoins', times: 1 });
    await unknownGrant(LOST, 40);
    const queueView = invoke(e2e, { path: 'rewards queue', userId: ADMIN });
    await answer(queueView);

    const refused = await immediateReply(
      press(e2e, queueView, 'Re-check #1', { userId: MOD, roles: [ROLES.moderator] }),
    );
    assert.equal(refused.title, 'Not allowed');

    const recheck = press(e2e, queueView, 'Re-check #1', { userId: ADMIN });
    const shown = await answerTitled(recheck, /^Re-check/);
    assert.equal(field(shown, 'Balance now'), '100 coins', 'the lost add never applied');
    const modSend = await immediateReply(
      press(e2e, recheck, 'Send again', { userId: MOD, roles: [ROLES.moderator] }),
    );
    assert.equal(modSend.title, 'Not allowed');
    assert.deepEqual(coinWrites(e2e.heliactyl, LOST), ['addcoins 40'], 'a refused press sends nothing');

    const send = press(e2e, recheck, 'Send again', { userId: ADMIN });
    const outcome = await answerTitled(send, /^Sent again: /);
    assert.equal(outcome.title, 'Sent again: granted');
    assert.match(outcome.description ?? '', /Balance read back: \*\*140 coins\*\*/);
    assert.deepEqual(
      coinWrites(e2e.heliactyl, LOST),
      ['addcoins 40', 'addcoins 40'],
      'exactly one more addcoins',
    );
    assert.equal(e2e.heliactyl.user(LOST)?.coins, 140);
    await e2e.discord.waitFor(() => queueAuditsFor(LOST).length === 1);
    assert.match(field(queueAuditsFor(LOST)[0]!, 'Values'), /decision: send again\nbalance seen: 100 coins/);
  });

  test('/rewards queue is for admins only', async () => {
    const refused = await immediateReply(
      invoke(e2e, { path: 'rewards queue', userId: MOD, roles: [ROLES.moderator] }),
    );
    assert.equal(refused.title, 'Not allowed');
  });

  test('a long queue pages by 5 with Previous/Next; each unknown grant on a page has its Re-check button', async () => {
    const many = Array.from({ length: 6 }, (_, i) => `44000000000000010${i}`);
    for (const id of many) e2e.heliactyl.addUser({ id, coins: 1 });
    e2e.heliactyl.faults.add({ fault: { kind: 'hang' }, method: 'POST', path: '/addcoins', times: 6 });
    const interaction = invoke(e2e, {
      path: 'coins grant',
      userId: ADMIN,
      options: [opt.str('users', many.join(' ')), opt.int('amount', 2), opt.str('reason', 'paging')],
    });
    await question(interaction);
    const summary = await answerTitled(press(e2e, interaction, 'Grant 12 coins'), /^Bulk grant finished/);
    assert.equal(summary.title, 'Bulk grant finished: 0 granted, 0 failed, 6 unknown');

    const view = invoke(e2e, { path: 'rewards queue', userId: ADMIN });
    const first = await answer(view);
    assert.equal(first.title, 'Grant queue: 6 not granted');
    assert.equal(first.footer?.text, 'Page 1 of 2');
    assert.deepEqual(
      buttons(view).map((b) => b.label),
      ['Re-check #1', 'Re-check #2', 'Re-check #3', 'Re-check #4', 'Re-check #5', 'Previous', 'Next'],
    );
    const next = press(e2e, view, 'Next', { userId: ADMIN });
    const second = await answerTitled(next, /^Grant queue/);
    await next.waitFor(() => (next.original?.embeds[0] as Embed | undefined)?.footer?.text === 'Page 2 of 2');
    assert.match(
      (next.original?.embeds[0] as Embed).description ?? '',
      /\*\*6\.\*\* ⚠️ \*\*unknown\*\* · <@44000000000000010\d>/,
    );
    assert.equal(second.title, 'Grant queue: 6 not granted');
    assert.deepEqual(
      buttons(next).map((b) => b.label),
      ['Re-check #6', 'Previous', 'Next'],
    );
  });
});
