import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, startE2E, type E2E } from '../helpers/e2e.js';
import { coinWrites, holdSecondAddcoins } from '../helpers/rewards-rig.js';
import {
  answerTitled,
  auditPosts,
  field,
  immediateReply,
  invoke,
  opt,
  press,
  question,
  type Embed,
} from '../helpers/moderation.js';
import type { FakeInteraction } from '../fakes/discord/index.js';

const INVOKER = '190000000000000001';
const ANN = '420000000000000001';
const BEN = '420000000000000002';
const CAT = '420000000000000003';
const DAN = '420000000000000004';
const EVE = '420000000000000005';
const FOX = '420000000000000006';
const GUY = '420000000000000007';
/** Has no dashboard account: its grant fails. */
const NOBODY = '429999999999999999';

const grantOf = (users: string, amount: number, reason = 'event winners') => ({
  path: 'coins grant',
  userId: INVOKER,
  options: [opt.str('users', users), opt.int('amount', amount), opt.str('reason', reason)],
});

/** Titles of every embed the message showed, in order (callbacks and edits). */
function titlesSeen(interaction: FakeInteraction): string[] {
  return interaction.edits.flatMap((edit) =>
    ((edit.body as { embeds?: Embed[] }).embeds ?? []).map((e) => e.title ?? ''),
  );
}

function addcoinsFor(e2e: E2E, users: readonly string[]): number {
  return users.reduce((sum, id) => sum + coinWrites(e2e.heliactyl, id).length, 0);
}

describe('issue12: /coins grant (bulk grant with progress)', () => {
  let e2e: E2E;
  let audit: string;
  before(async () => {
    e2e = await startE2E({
      // A held addcoins must not time out (and turn unknown) while the test looks at the progress.
      env: ({ discord }) => ({ AUDIT_CHANNEL_ID: discord.channelId, HTTP_TIMEOUT_MS: '30000' }),
    });
    audit = e2e.discord.channelId;
    for (const id of [ANN, BEN, CAT, DAN, EVE, FOX, GUY]) e2e.heliactyl.addUser({ id, coins: 100 });
  });
  after(async () => {
    await e2e.close();
  });

  const bulkAudits = (): Embed[] =>
    auditPosts(e2e, audit).filter((embed) => embed.title === 'Moderator action: /coins grant');

  test('3 members (duplicates and mention forms mixed): confirm shows count, amount, total; exactly 3 addcoins; progress edited while it drains; a summary; one audit', async () => {
    const interaction = invoke(e2e, grantOf(`<@${ANN}>, ${BEN} <@!${CAT}>,${ANN}`, 50));
    const asked = await question(interaction);
    assert.equal(asked.title, 'Grant 50 coins to 3 members?');
    assert.equal(field(asked, 'Members'), '3');
    assert.equal(field(asked, 'Amount each'), '50 coins');
    assert.equal(field(asked, 'Total'), '150 coins');
    assert.equal(addcoinsFor(e2e, [ANN, BEN, CAT]), 0, 'nothing is paid before Confirm');

    // The first addcoins goes through; the second is held until the test has seen the progress.
    let release!: () => void;
    void holdSecondAddcoins(e2e.heliactyl, new Promise<void>((resolve) => (release = resolve)));
    const confirm = press(e2e, interaction, 'Grant 150 coins');
    const progress = await answerTitled(confirm, /^Bulk grant: 1 of 3 done$/);
    assert.match(progress.description ?? '', /✅ Granted: 1\n⏳ Queued: 2\n⚠️ Unknown: 0\n❌ Failed: 0/);
    assert.match(
      progress.description ?? '',
      /ETA: .+ \(dashboard budget: \d+ of \d+ requests left in this window\)/,
    );
    assert.match(
      progress.footer?.text ?? '',
      /If the bot restarts, the grants still go out and the audit entry still comes, but this message stops updating/,
    );
    release();

    const summary = await answerTitled(confirm, /^Bulk grant done/);
    assert.equal(summary.title, 'Bulk grant done: 3 members paid');
    assert.match(summary.description ?? '', /✅ Granted: 3\n⏳ Queued: 0/);
    for (const id of [ANN, BEN, CAT]) {
      assert.deepEqual(coinWrites(e2e.heliactyl, id), ['addcoins 50'], `one addcoins for ${id}`);
      assert.equal(e2e.heliactyl.user(id)?.coins, 150);
    }
    const titles = titlesSeen(confirm);
    assert.ok(
      titles.indexOf('Bulk grant: 1 of 3 done') < titles.indexOf('Bulk grant done: 3 members paid'),
      `progress before the summary: ${JSON.stringify(titles)}`,
    );
    assert.ok(titles.length <= 4, `edits are throttled, not one per grant: ${JSON.stringify(titles)}`);

    await e2e.discord.waitFor(() => bulkAudits().length === 1);
    const entry = bulkAudits()[0]!;
    assert.equal(field(entry, 'Invoker'), `<@${INVOKER}> (\`${INVOKER}\`)`);
    assert.match(field(entry, 'Values'), /members: 3\namount each: 50\ntotal: 150\nreason: event winners/);
    assert.match(field(entry, 'Result'), /^✅ Success\n3 granted, 0 failed, 0 unknown\.$/);
  });

  test('a member without a dashboard account fails; the summary names them and the audit says partly applied', async () => {
    const interaction = invoke(e2e, grantOf(`${DAN} ${NOBODY}`, 7, 'giveaway'));
    await question(interaction);
    const confirm = press(e2e, interaction, 'Grant 14 coins');
    const summary = await answerTitled(confirm, /^Bulk grant finished/);
    assert.equal(summary.title, 'Bulk grant finished: 1 granted, 1 failed, 0 unknown');
    assert.match(summary.description ?? '', new RegExp(`❌ <@${NOBODY}> failed`));
    assert.deepEqual(coinWrites(e2e.heliactyl, DAN), ['addcoins 7']);
    await e2e.discord.waitFor(() => bulkAudits().length === 2);
    assert.match(field(bulkAudits()[1]!, 'Result'), /^⚠️ Partly applied\n1 granted, 1 failed, 0 unknown/);
  });

  test('a bad token, a role mention or more than 100 members are refused by name: no question, no grant', async () => {
    const since = e2e.heliactyl.requests.length;
    const typo = await immediateReply(invoke(e2e, grantOf(`${EVE}, bob`, 10)));
    assert.equal(typo.title, 'Invalid users');
    assert.match(typo.description ?? '', /^`bob` is not a member mention or a user id\./);
    const role = await immediateReply(invoke(e2e, grantOf(`${EVE} <@&${ROLES.member}>`, 10)));
    assert.match(role.description ?? '', /that is a role; mention members one by one/);
    const many = Array.from({ length: 101 }, (_, i) => String(430000000000000000n + BigInt(i))).join(' ');
    const tooMany = await immediateReply(invoke(e2e, grantOf(many, 10)));
    assert.match(tooMany.description ?? '', /more than 100 members/);
    const zero = await immediateReply(invoke(e2e, grantOf(EVE, 0)));
    assert.match(zero.description ?? '', /`amount` must be a whole number from 1 to 1,000,000/);
    assert.equal(e2e.heliactyl.requests.length, since, 'the dashboard was not asked anything');
    assert.equal(coinWrites(e2e.heliactyl, EVE).length, 0);
  });

  test('moderators (not admins) are refused', async () => {
    const refused = await immediateReply(
      invoke(e2e, { ...grantOf(EVE, 10), userId: INVOKER, roles: [ROLES.moderator] } as never),
    );
    assert.equal(refused.title, 'Not allowed');
    assert.equal(coinWrites(e2e.heliactyl, EVE).length, 0);
  });

  test('Cancel grants nothing', async () => {
    const interaction = invoke(e2e, grantOf(`${EVE} ${FOX}`, 10));
    await question(interaction);
    const cancel = press(e2e, interaction, 'Cancel');
    await cancel.waitForCallback();
    assert.equal((cancel.original?.embeds[0] as Embed).footer?.text, 'Cancelled — nothing was changed.');
    await e2e.bot.waitForLog((l) => l.msg === 'Interaction handled' && l.interactionId === cancel.id);
    assert.equal(addcoinsFor(e2e, [EVE, FOX]), 0);
  });

  test('Confirm pressed twice: one batch, one addcoins per member', async () => {
    const interaction = invoke(e2e, grantOf(`${FOX} ${GUY}`, 5));
    await question(interaction);
    const first = press(e2e, interaction, 'Grant 10 coins');
    const second = press(e2e, interaction, 'Grant 10 coins');
    await answerTitled(first, /^Bulk grant done: 2 members paid$/);
    await second.waitFor(() => second.followUps.length > 0);
    assert.match(
      JSON.stringify(second.followUps[0]?.embeds),
      /This confirmation has expired — nothing was changed/,
    );
    assert.deepEqual(coinWrites(e2e.heliactyl, FOX), ['addcoins 5']);
    assert.deepEqual(coinWrites(e2e.heliactyl, GUY), ['addcoins 5']);
    const queued = await e2e.bot.waitForLog((l) => l.msg === 'Bulk grant queued' && l.members === 2);
    assert.equal(queued.created, 2);
  });
});
