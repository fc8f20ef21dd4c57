import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, isEphemeral, startE2E, type E2E } from '../helpers/e2e.js';
import { PANEL_ACCOUNT_MISSING_TEXT } from '../fakes/heliactyl.js';
import {
  answer,
  answerTitled,
  auditPosts,
  buttons,
  field,
  immediateReply,
  invoke,
  nextAudit,
  opt,
  press,
  question,
  writesSince,
  type Embed,
} from '../helpers/moderation.js';

const INVOKER = '190000000000000001';
const OTHER_MOD = '190000000000000042';
const ALICE = '410000000000000001';
const NEWBIE = '410000000000000003';
const GITHUB = 'github-987654';
const NOBODY = '419999999999999999';
/** A dashboard account whose Pterodactyl account is gone: userinfo cannot load it. */
const GONE = 'local-panel-gone-7';
/** One whose panel fails: the dashboard never answers its userinfo. */
const STUCK = 'local-panel-stuck-8';

describe('moderator writes: results, exact dashboard bodies, confirmations and audit', () => {
  let e2e: E2E;
  let audit: string;
  before(async () => {
    e2e = await startE2E({ env: ({ discord }) => ({ AUDIT_CHANNEL_ID: discord.channelId }) });
    audit = e2e.discord.channelId;
    e2e.heliactyl.addUser({ id: ALICE, coins: 1000, package: 'premium', extra: { ram: 1024 } });
    e2e.heliactyl.addUser({ id: NEWBIE });
    e2e.heliactyl.addUser({ id: GITHUB, coins: 10, renewalBypass: true });
    e2e.heliactyl.addUser({ id: GONE, coins: 40, panel: 'missing' });
    e2e.heliactyl.addUser({ id: STUCK, coins: 7, panel: 'error' });
  });
  after(async () => {
    await e2e.close();
  });

  function audits(): number {
    return auditPosts(e2e, audit).length;
  }

  async function expectAudit(
    count: number,
    expected: { action: string; target: string; values: string; result: RegExp },
  ) {
    const embed = await nextAudit(e2e, audit, count);
    assert.equal(embed.title, `Moderator action: /${expected.action}`);
    assert.equal(field(embed, 'Invoker'), `<@${INVOKER}> (\`${INVOKER}\`)`);
    assert.equal(field(embed, 'Action'), `/${expected.action}`);
    assert.equal(field(embed, 'Target'), expected.target);
    assert.equal(field(embed, 'Values'), expected.values);
    assert.match(field(embed, 'Result'), expected.result);
    assert.match(field(embed, 'Time'), /^<t:\d+:F> \(\d{4}-\d\d-\d\dT/);
    const message = e2e.discord.channelMessages(audit).at(count - 1)!;
    assert.deepEqual(message.allowed_mentions, { parse: [] }, 'the invoker mention does not ping');
    const line = e2e.bot.logs.filter((l) => l.audit === true)[count - 1];
    assert.equal(line?.action, expected.action);
    assert.equal(line?.invokerId, INVOKER);
    return { embed, line };
  }

  const aliceShown = `<@${ALICE}> (\`${ALICE}\`)`;

  test('/coins add: adds, reads the balance back, audits', async () => {
    const since = e2e.heliactyl.requests.length;
    const interaction = invoke(e2e, {
      path: 'coins add',
      options: [opt.int('amount', 500), opt.user(ALICE)],
    });
    const embed = await answer(interaction);
    assert.ok(isEphemeral(interaction));
    assert.equal(embed.title, 'Added 500 coins to @member001');
    assert.equal(embed.description, 'Balance: **1,500 coins** (read back from the dashboard)');
    assert.equal(field(embed, 'Balance before'), '1,000 coins');
    const calls = e2e.heliactyl.requests.slice(since).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(calls, ['GET /api/v3/userinfo', 'POST /api/v3/addcoins', 'GET /api/v3/userinfo']);
    assert.equal(writesSince(e2e, since)[0]?.rawBody, JSON.stringify({ id: ALICE, coins: 500 }));
    const { line } = await expectAudit(1, {
      action: 'coins add',
      target: aliceShown,
      values: 'amount: 500\nbalance before: 1,000',
      result: /^✅ Success\nBalance now 1,500 coins$/,
    });
    assert.deepEqual(line?.values, { amount: 500, 'balance before': 1000 });
    assert.equal(line?.result, 'success');
    assert.equal(line?.targetId, ALICE);
  });

  test('issue11 item 3: /coins add on an account without a balance record says only that grant was lost, and completes it after a confirmation, audited', async () => {
    const since = e2e.heliactyl.requests.length;
    const newbie = `<@${NEWBIE}> (\`${NEWBIE}\`)`;
    const interaction = invoke(e2e, {
      path: 'coins add',
      options: [opt.int('amount', 250), opt.user(NEWBIE)],
    });
    const lost = await question(interaction);
    assert.equal(lost.title, 'The dashboard lost this grant to @member003');
    assert.match(lost.description ?? '', /^Balance: \*\*0 coins\*\* \(read back from the dashboard\)\n/);
    assert.match(lost.description ?? '', /\*\*Only this grant of 250 coins was lost\.\*\*/);
    assert.match(lost.description ?? '', /the next `\/coins add` will work/);
    assert.doesNotMatch(lost.description ?? '', /stores nothing when the account has no balance record/);
    assert.equal(field(lost, 'Balance before'), '0 coins');
    assert.deepEqual(
      buttons(interaction).map((b) => b.label),
      ['Complete the grant', 'Cancel'],
    );
    assert.equal(e2e.heliactyl.user(NEWBIE)?.coins, null, 'the dashboard stored null: the record exists now');
    await expectAudit(2, {
      action: 'coins add',
      target: newbie,
      values: 'amount: 250\nbalance before: 0',
      result:
        /^⚠️ Answered success, but not applied\nThe dashboard lost this grant \(no balance record\); balance read back 0 coins, intended 250 coins$/,
    });

    const offer = press(e2e, interaction, 'Complete the grant');
    const asked = await answerTitled(offer, /^Complete the lost grant/);
    assert.equal(asked.title, 'Complete the lost grant to @member003?');
    assert.equal(field(asked, 'Current balance'), '0 coins', 'read again when asked');
    assert.equal(field(asked, 'New balance'), '250 coins');
    assert.deepEqual(
      buttons(offer).map((b) => b.label),
      ['Set balance', 'Cancel'],
    );
    assert.equal(writesSince(e2e, since).length, 1, 'nothing written before the confirmation');

    const confirm = press(e2e, offer, 'Set balance');
    const done = await answerTitled(confirm, /^Grant completed/);
    assert.equal(done.title, 'Grant completed: balance of @member003 set to 250 coins');
    assert.equal(done.description, 'Balance: **250 coins** (read back from the dashboard)');
    assert.deepEqual(buttons(confirm), []);
    const writes = writesSince(e2e, since);
    assert.deepEqual(
      writes.map((w) => `${w.path} ${w.rawBody}`),
      [
        `/api/v3/addcoins ${JSON.stringify({ id: NEWBIE, coins: 250 })}`,
        `/api/v3/setcoins ${JSON.stringify({ id: NEWBIE, coins: 250 })}`,
      ],
    );
    assert.equal(e2e.heliactyl.user(NEWBIE)?.coins, 250);
    await expectAudit(3, {
      action: 'coins set',
      target: newbie,
      values: 'amount: 250\nbalance before: 0\ncompletes: a /coins add of 250 the dashboard lost',
      result: /^✅ Success\nBalance now 250 coins$/,
    });
  });

  test('/coins set asks first, showing current → new balance; Confirm writes and reads back', async () => {
    const since = e2e.heliactyl.requests.length;
    const interaction = invoke(e2e, { path: 'coins set', options: [opt.int('amount', 42), opt.id(GITHUB)] });
    const asked = await question(interaction);
    assert.equal(asked.title, `Set the balance of ${GITHUB}?`);
    assert.equal(asked.description, '10 coins → **42 coins**');
    assert.equal(field(asked, 'Current balance'), '10 coins');
    assert.equal(field(asked, 'New balance'), '42 coins');
    assert.equal(asked.footer?.text, 'Expires in 60 s.');
    assert.deepEqual(
      buttons(interaction).map((b) => b.label),
      ['Set balance', 'Cancel'],
    );
    assert.equal(writesSince(e2e, since).length, 0, 'nothing written before Confirm');

    const confirm = press(e2e, interaction, 'Set balance');
    const done = await answerTitled(confirm, /set to/);
    assert.equal(done.title, `Balance of ${GITHUB} set to 42 coins`);
    assert.equal(done.description, 'Balance: **42 coins** (read back from the dashboard)');
    assert.deepEqual(buttons(confirm), [], 'buttons removed');
    const writes = writesSince(e2e, since);
    assert.equal(writes.length, 1);
    assert.equal(writes[0]?.path, '/api/v3/setcoins');
    assert.equal(writes[0]?.rawBody, JSON.stringify({ id: GITHUB, coins: 42 }));
    await expectAudit(4, {
      action: 'coins set',
      target: `\`${GITHUB}\``,
      values: 'amount: 42\nbalance before: 10',
      result: /^✅ Success\nBalance now 42 coins$/,
    });
  });

  test('issue11 item 4: /coins set amount:0 warns that the next add is lost once; Cancel changes nothing and is not audited', async () => {
    const since = e2e.heliactyl.requests.length;
    const count = audits();
    const interaction = invoke(e2e, { path: 'coins set', options: [opt.int('amount', 0), opt.user(ALICE)] });
    const asked = await question(interaction);
    assert.match(asked.description ?? '', /1,500 coins → \*\*0 coins\*\*\nA balance of 0 removes/);
    assert.match(
      asked.description ?? '',
      /loses the next `\/coins add` on it, once .*the add after that works/,
    );
    assert.doesNotMatch(asked.description ?? '', /will not work/);
    const cancel = press(e2e, interaction, 'Cancel');
    await cancel.waitForCallback();
    assert.equal(cancel.callbacks[0]?.type, 7, 'the question is updated in place');
    assert.deepEqual(buttons(cancel), []);
    const embed = cancel.original?.embeds[0] as Embed;
    assert.equal(embed.footer?.text, 'Cancelled — nothing was changed.');
    assert.equal(writesSince(e2e, since).length, 0);
    assert.equal(e2e.heliactyl.user(ALICE)?.coins, 1500);
    await e2e.bot.waitForLog((l) => l.msg === 'Interaction handled' && l.interactionId === cancel.id);
    assert.equal(audits(), count);
  });

  test('a confirmation pressed by someone else is refused ephemerally, with no dashboard call', async () => {
    const interaction = invoke(e2e, {
      path: 'ban',
      options: [opt.user(ALICE), opt.str('reason', 'spam')],
      roles: [ROLES.moderator],
    });
    await question(interaction);
    const since = e2e.heliactyl.requests.length;
    const foreign = press(e2e, interaction, 'Ban', { userId: OTHER_MOD, roles: [ROLES.admin] });
    const refusal = await immediateReply(foreign);
    assert.equal(refusal.title, 'Not your confirmation');
    assert.match(refusal.description ?? '', new RegExp(`Only <@${INVOKER}> can answer`));
    assert.equal(e2e.heliactyl.requests.length, since);
    assert.equal(e2e.heliactyl.user(ALICE)?.ban, undefined);
    // The invoker can still answer it.
    const mine = press(e2e, interaction, 'Ban', { roles: [ROLES.moderator] });
    const done = await answerTitled(mine, /^Banned/);
    assert.equal(field(done, 'Reason'), 'spam');
    assert.equal(field(done, 'Duration'), 'Permanent');
    assert.equal(
      writesSince(e2e, since)[0]?.rawBody,
      JSON.stringify({ id: ALICE, reason: 'spam', expiration: null }),
    );
    assert.deepEqual(e2e.heliactyl.user(ALICE)?.ban, { reason: 'spam', expiration: null });
    await expectAudit(5, {
      action: 'ban',
      target: aliceShown,
      values: 'reason: spam\nexpiration: permanent',
      result: /^✅ Success$/,
    });
  });

  test('issue10 item 9: /ban with a duration sends, and shows after Confirm, the "until" of its question', async () => {
    const interaction = invoke(e2e, {
      path: 'ban',
      options: [opt.id(GITHUB), opt.str('duration', '12h')],
      roles: [ROLES.moderator],
    });
    const asked = await question(interaction);
    const askedAt = Date.now();
    const shown = field(asked, 'Duration');
    const iso = /^12 hours, until <t:\d+:F> \((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\)$/.exec(shown)?.[1];
    assert.ok(iso, shown);
    assert.ok(Math.abs(Date.parse(iso) - (askedAt + 12 * 3_600_000)) < 5_000, iso);
    // Acknowledging the click takes over a second, so Confirm lands in a later second than the question.
    e2e.discord.faults.add({
      fault: { kind: 'latency', ms: 1_100 },
      method: 'POST',
      path: '/callback',
      times: 1,
    });
    const since = e2e.heliactyl.requests.length;
    const done = await answerTitled(press(e2e, interaction, 'Ban', { roles: [ROLES.moderator] }), /^Banned/);
    assert.equal(done.title, `Banned ${GITHUB}`);
    assert.equal(field(done, 'Duration'), shown, 'the result shows the same "until" as the question');
    const body = writesSince(e2e, since)[0]?.body as { id: string; expiration: string; reason?: string };
    assert.equal(body.id, GITHUB);
    assert.ok(!('reason' in body), 'no reason given, none sent');
    assert.equal(body.expiration, iso, 'the dashboard receives the "until" the moderator confirmed');
    await nextAudit(e2e, audit, 6);
  });

  test('/unban', async () => {
    const since = e2e.heliactyl.requests.length;
    const embed = await answer(
      invoke(e2e, { path: 'unban', options: [opt.user(ALICE)], roles: [ROLES.moderator] }),
    );
    assert.equal(embed.title, 'Unbanned @member001');
    assert.equal(writesSince(e2e, since)[0]?.rawBody, JSON.stringify({ id: ALICE }));
    assert.equal(e2e.heliactyl.user(ALICE)?.ban, undefined);
    await expectAudit(7, { action: 'unban', target: aliceShown, values: 'none', result: /^✅ Success$/ });
  });

  test('/plan set sends the package as a string and shows the new package', async () => {
    const since = e2e.heliactyl.requests.length;
    const embed = await answer(
      invoke(e2e, { path: 'plan set', options: [opt.str('package', 'default'), opt.user(NEWBIE)] }),
    );
    assert.equal(embed.title, 'Package of @member003 set to default');
    assert.match(embed.description ?? '', /Now: `default`: 2 GB RAM · 10 GB disk · 100% CPU · 2 servers/);
    assert.equal(writesSince(e2e, since)[0]?.rawBody, JSON.stringify({ id: NEWBIE, package: 'default' }));
    await expectAudit(8, {
      action: 'plan set',
      target: `<@${NEWBIE}> (\`${NEWBIE}\`)`,
      values: 'package: default',
      result: /^✅ Success$/,
    });
  });

  test('/plan set with an unknown package: clear reply, audited as failed', async () => {
    const embed = await answer(
      invoke(e2e, { path: 'plan set', options: [opt.str('package', 'gold'), opt.user(NEWBIE)] }),
    );
    assert.equal(embed.title, 'Unknown package');
    assert.match(embed.description ?? '', /no package named `gold`/);
    await expectAudit(9, {
      action: 'plan set',
      target: `<@${NEWBIE}> (\`${NEWBIE}\`)`,
      values: 'package: gold',
      result: /^❌ Failed — nothing changed\nThe dashboard has no package named `gold`/,
    });
  });

  test('/plan remove asks first, then sends no package field', async () => {
    const interaction = invoke(e2e, { path: 'plan remove', options: [opt.user(ALICE)] });
    const asked = await question(interaction);
    assert.match(
      asked.description ?? '',
      /Current: `premium`: 8 GB RAM · 40 GB disk · 400% CPU · 6 servers\nAfter: the default package\./,
    );
    const since = e2e.heliactyl.requests.length;
    const done = await answerTitled(press(e2e, interaction, 'Remove package'), /removed/);
    assert.match(done.description ?? '', /Now: default: 2 GB RAM/);
    assert.equal(writesSince(e2e, since)[0]?.rawBody, JSON.stringify({ id: ALICE }));
    assert.equal(e2e.heliactyl.user(ALICE)?.package, undefined);
    await expectAudit(10, {
      action: 'plan remove',
      target: aliceShown,
      values: 'package before: premium',
      result: /^✅ Success$/,
    });
  });

  test('/plan remove on the default package changes nothing', async () => {
    const since = e2e.heliactyl.requests.length;
    const embed = await answer(invoke(e2e, { path: 'plan remove', options: [opt.user(ALICE)] }));
    assert.match(embed.description ?? '', /nothing to remove\. Nothing was changed\./);
    assert.equal(writesSince(e2e, since).length, 0);
  });

  test('/resources set sends only the given fields and shows the totals read back', async () => {
    const since = e2e.heliactyl.requests.length;
    const embed = await answer(
      invoke(e2e, {
        path: 'resources set',
        options: [opt.user(ALICE), opt.int('disk', 20480), opt.int('servers', 0)],
      }),
    );
    assert.equal(embed.title, 'Extra resources of @member001 updated');
    assert.match(
      embed.description ?? '',
      /Disk: extra set to \*\*20 GB\*\*\nServers: extra set to \*\*0\*\*/,
    );
    const now = field(embed, 'Now (read back from the dashboard)');
    assert.match(now, /RAM: 2 GB package \+ 1 GB extra = \*\*3 GB\*\*/);
    assert.match(now, /Disk: 10 GB package \+ 20 GB extra = \*\*30 GB\*\*/);
    assert.equal(writesSince(e2e, since)[0]?.rawBody, JSON.stringify({ id: ALICE, disk: 20480, servers: 0 }));
    await expectAudit(11, {
      action: 'resources set',
      target: aliceShown,
      values: 'disk: 20,480\nservers: 0',
      result: /^✅ Success$/,
    });
  });

  test('/renewal give, and /renewal remove after confirming', async () => {
    const since = e2e.heliactyl.requests.length;
    const given = await answer(invoke(e2e, { path: 'renewal give', options: [opt.user(ALICE)] }));
    assert.equal(given.title, 'Renewal bypass granted to @member001');
    assert.equal(e2e.heliactyl.user(ALICE)?.renewalBypass, true);
    await expectAudit(12, {
      action: 'renewal give',
      target: aliceShown,
      values: 'none',
      result: /^✅ Success$/,
    });
    const interaction = invoke(e2e, { path: 'renewal remove', options: [opt.user(ALICE)] });
    const asked = await question(interaction);
    assert.equal(asked.title, 'Remove renewal bypass from @member001?');
    assert.equal(writesSince(e2e, since).length, 1, 'only the give so far');
    const done = await answerTitled(press(e2e, interaction, 'Remove bypass'), /removed/);
    assert.equal(done.title, 'Renewal bypass removed from @member001');
    const writes = writesSince(e2e, since);
    assert.deepEqual(
      writes.map((w) => [w.path, w.rawBody]),
      [
        ['/api/v3/give_renewalbypass', JSON.stringify({ id: ALICE })],
        ['/api/v3/remove_renewalbypass', JSON.stringify({ id: ALICE })],
      ],
    );
    assert.equal(e2e.heliactyl.user(ALICE)?.renewalBypass, false);
    await expectAudit(13, {
      action: 'renewal remove',
      target: aliceShown,
      values: 'none',
      result: /^✅ Success$/,
    });
  });

  test('a write on an unknown account: "no dashboard account for …", audited as failed', async () => {
    const embed = await answer(invoke(e2e, { path: 'renewal give', options: [opt.user(NOBODY)] }));
    assert.equal(embed.title, 'No dashboard account');
    assert.equal(embed.description, `There is no dashboard account for <@${NOBODY}> (\`${NOBODY}\`).`);
    await expectAudit(14, {
      action: 'renewal give',
      target: `<@${NOBODY}> (\`${NOBODY}\`)`,
      values: 'none',
      result: /^❌ Failed — nothing changed\nThere is no dashboard account for/,
    });
  });

  test('issue11 item 6: /coins add and /coins set work for an account whose panel account is missing, saying the earlier balance is unknown', async () => {
    const gone = `\`${GONE}\``;
    const panelSentence = `The dashboard could not load this user's panel account (Pterodactyl); it said: "${PANEL_ACCOUNT_MISSING_TEXT}"`;
    let since = e2e.heliactyl.requests.length;
    const added = await answer(
      invoke(e2e, { path: 'coins add', options: [opt.int('amount', 10), opt.id(GONE)] }),
    );
    assert.equal(added.title, `Added 10 coins to ${GONE}`);
    assert.equal(
      added.description,
      `The dashboard answered success, but the balance could not be read back: ${panelSentence}\nCheck it with \`/coins balance\`.\nThe balance before is unknown: ${panelSentence}`,
    );
    assert.equal(field(added, 'Balance before'), 'unknown');
    assert.deepEqual(
      e2e.heliactyl.requests.slice(since).map((r) => `${r.method} ${r.path}`),
      ['GET /api/v3/userinfo', 'POST /api/v3/addcoins', 'GET /api/v3/userinfo'],
    );
    assert.equal(e2e.heliactyl.user(GONE)?.coins, 50, 'the grant was made');
    await expectAudit(15, {
      action: 'coins add',
      target: gone,
      values: 'amount: 10\nbalance before: unknown',
      result: /^✅ Success\nBalance not read back: The dashboard could not load this user's panel account/,
    });

    since = e2e.heliactyl.requests.length;
    const interaction = invoke(e2e, { path: 'coins set', options: [opt.int('amount', 5), opt.id(GONE)] });
    const asked = await question(interaction);
    assert.equal(asked.description, `unknown → **5 coins**\nThe balance before is unknown: ${panelSentence}`);
    assert.equal(field(asked, 'Current balance'), 'unknown');
    const done = await answerTitled(press(e2e, interaction, 'Set balance'), /set to/);
    assert.equal(done.title, `Balance of ${GONE} set to 5 coins`);
    assert.match(done.description ?? '', /could not be read back: .*\nThe balance before is unknown: /s);
    assert.equal(writesSince(e2e, since)[0]?.rawBody, JSON.stringify({ id: GONE, coins: 5 }));
    assert.equal(e2e.heliactyl.user(GONE)?.coins, 5);
    await expectAudit(16, {
      action: 'coins set',
      target: gone,
      values: 'amount: 5\nbalance before: unknown',
      result: /^✅ Success\nBalance not read back: /,
    });
  });

  test('issue11 item 6: /coins add still writes when the balance read before it times out (a failing panel)', async () => {
    const since = e2e.heliactyl.requests.length;
    const added = await answer(
      invoke(e2e, { path: 'coins add', options: [opt.int('amount', 3), opt.id(STUCK)] }),
      15_000,
    );
    assert.equal(added.title, `Added 3 coins to ${STUCK}`);
    assert.match(
      added.description ?? '',
      /could not be read back: The dashboard did not answer within 2 s\./,
    );
    assert.match(
      added.description ?? '',
      /\nThe balance before is unknown: The dashboard did not answer within 2 s\.$/,
    );
    assert.equal(field(added, 'Balance before'), 'unknown');
    assert.equal(writesSince(e2e, since)[0]?.rawBody, JSON.stringify({ id: STUCK, coins: 3 }));
    assert.equal(e2e.heliactyl.user(STUCK)?.coins, 10);
    await expectAudit(17, {
      action: 'coins add',
      target: `\`${STUCK}\``,
      values: 'amount: 3\nbalance before: unknown',
      result: /^✅ Success\nBalance not read back: The dashboard did not answer/,
    });
  });

  test('issue9 item 10: two admins confirming /coins set on one account run one after the other', async () => {
    const first = invoke(e2e, { path: 'coins set', options: [opt.int('amount', 100), opt.id(NEWBIE)] });
    await question(first);
    const second = invoke(e2e, {
      path: 'coins set',
      options: [opt.int('amount', 200), opt.id(NEWBIE)],
      userId: OTHER_MOD,
    });
    await question(second);
    const since = e2e.heliactyl.requests.length;
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      e2e.heliactyl.faults.add({
        method: 'POST',
        path: '/api/v3/setcoins',
        times: 1,
        fault: { kind: 'hold', until: new Promise<void>((r) => (release = r)), onHeld: resolve },
      });
    });
    const firstDone = press(e2e, first, 'Set balance');
    await held;
    const secondDone = press(e2e, second, 'Set balance', { userId: OTHER_MOD });
    // The second write waits for the account while the first is held at the dashboard.
    await e2e.bot.waitForLog(
      (line) => line.msg === 'Waiting for another write on this account' && line.action === 'coins set',
    );
    release();
    assert.equal((await answerTitled(firstDone, /set to/)).title, `Balance of ${NEWBIE} set to 100 coins`);
    const last = await answerTitled(secondDone, /set to/);
    assert.equal(last.title, `Balance of ${NEWBIE} set to 200 coins`);
    assert.equal(last.description, 'Balance: **200 coins** (read back from the dashboard)');
    const calls = e2e.heliactyl.requests
      .slice(since)
      .map((r) => `${r.path.replace('/api/v3/', '')} ${r.rawBody || JSON.stringify(r.query)}`);
    assert.deepEqual(calls, [
      `setcoins ${JSON.stringify({ id: NEWBIE, coins: 100 })}`,
      `userinfo ${JSON.stringify({ id: NEWBIE })}`,
      `setcoins ${JSON.stringify({ id: NEWBIE, coins: 200 })}`,
      `userinfo ${JSON.stringify({ id: NEWBIE })}`,
    ]);
  });
});
