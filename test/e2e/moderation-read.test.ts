import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, isEphemeral, startE2E, type E2E } from '../helpers/e2e.js';
import {
  answer,
  buttons,
  field,
  immediateReply,
  invoke,
  opt,
  press,
  text,
  type Embed,
} from '../helpers/moderation.js';
import type { FakeInteraction } from '../fakes/discord/index.js';
import { PANEL_ACCOUNT_MISSING_TEXT } from '../fakes/heliactyl.js';

const ALICE = '410000000000000001';
const BOB = '410000000000000002';
const GOOGLE = 'google-115555555555';
const NOBODY = '419999999999999999';
const OTHER_MOD = '190000000000000042';
const GONE = 'local-panel-gone-5';

describe('moderator reads: /user info, servers, activity and /coins balance', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E();
    e2e.heliactyl.addUser({
      id: ALICE,
      coins: 1_234_567,
      package: 'premium',
      extra: { ram: 1024, disk: 5120, cpu: 50, servers: 1 },
      renewalBypass: true,
      username: 'alice',
      email: 'alice@example.com',
      servers: Array.from({ length: 14 }, (_, i) => ({
        name: `Alice server ${i + 1}`,
        identifier: `al${String(i).padStart(6, '0')}`,
        limits: { memory: 2048, disk: 10240, cpu: 150 },
        suspended: i === 0,
      })),
      interactions: Array.from({ length: 60 }, (_, i) => ({
        timestamp: `2025-12-31 12:${String(i).padStart(2, '0')}:00`,
        action: `[AFK] User alice (${ALICE}) event number ${i + 1} ${'x'.repeat(80)}`,
      })),
    });
    e2e.heliactyl.addUser({ id: GOOGLE, coins: null, username: 'gwen' });
    e2e.heliactyl.addUser({ id: BOB, coins: 0, servers: [{ name: 'Only one', identifier: 'bob00001' }] });
  });
  after(async () => {
    await e2e.close();
  });

  test('/user info shows package + extra = total, coins, bypass and the panel account, ephemerally', async () => {
    const interaction = invoke(e2e, {
      path: 'user info',
      options: [opt.user(ALICE)],
      roles: [ROLES.moderator],
    });
    const embed = await answer(interaction);
    assert.ok(isEphemeral(interaction));
    assert.equal(interaction.callbacks[0]?.type, 5, 'deferred before the dashboard call');
    assert.equal(embed.title, 'Dashboard account of alice (@member001)');
    assert.equal(field(embed, 'Package'), '`premium`');
    assert.equal(field(embed, 'Coins'), '1,234,567 coins');
    assert.equal(field(embed, 'Renewal bypass'), 'Yes');
    assert.equal(field(embed, 'RAM'), '8 GB package + 1 GB extra = **9 GB**');
    assert.equal(field(embed, 'Disk'), '40 GB package + 5 GB extra = **45 GB**');
    assert.equal(field(embed, 'CPU'), '400% package + 50% extra = **450%**');
    assert.equal(field(embed, 'Servers'), '6 package + 1 extra = **7**');
    assert.match(
      field(embed, 'Pterodactyl account'),
      /Username: `alice` \(panel id \d+\)\nEmail: alice@example\.com/,
    );
    const call = e2e.heliactyl.requests.at(-1)!;
    assert.equal(call.method, 'GET');
    assert.equal(call.path, '/api/v3/userinfo');
    assert.deepEqual(call.query, { id: ALICE });
    assert.deepEqual(interaction.original?.allowed_mentions, { parse: [] });
  });

  test('issue10 item 9: /user info names the dashboard username (here by raw id, default package, coins disabled)', async () => {
    const embed = await answer(invoke(e2e, { path: 'user info', options: [opt.id(GOOGLE)] }));
    assert.equal(embed.title, `Dashboard account of gwen (${GOOGLE})`);
    assert.equal(field(embed, 'Package'), 'default');
    assert.equal(field(embed, 'Coins'), 'coins disabled');
    assert.equal(field(embed, 'Renewal bypass'), 'No');
    assert.equal(field(embed, 'RAM'), '2 GB package + 0 MB extra = **2 GB**');
    assert.deepEqual(e2e.heliactyl.requests.at(-1)?.query, { id: GOOGLE });
  });

  test('an unknown account: "no dashboard account for …"', async () => {
    for (const [path, extra] of [
      ['user info', []],
      ['user servers', [opt.bool('detailed', true)]],
      ['user servers', []],
      ['coins balance', []],
    ] as const) {
      const embed = await answer(invoke(e2e, { path, options: [opt.user(NOBODY), ...extra] }));
      assert.equal(embed.title, 'No dashboard account', path);
      assert.equal(embed.description, `There is no dashboard account for <@${NOBODY}> (\`${NOBODY}\`).`);
    }
    const byId = await answer(invoke(e2e, { path: 'user info', options: [opt.id('local-nope')] }));
    assert.equal(byId.description, 'There is no dashboard account for `local-nope`.');
  });

  test('/coins balance', async () => {
    const embed = await answer(
      invoke(e2e, { path: 'coins balance', options: [opt.user(ALICE)], roles: [ROLES.moderator] }),
    );
    assert.equal(embed.title, 'Balance of @member001');
    assert.equal(embed.description, `<@${ALICE}> (\`${ALICE}\`) has **1,234,567 coins**.`);
    const zero = await answer(invoke(e2e, { path: 'coins balance', options: [opt.user(BOB)] }));
    assert.match(zero.description ?? '', /has \*\*0 coins\*\*/);
    const disabled = await answer(invoke(e2e, { path: 'coins balance', options: [opt.id(GOOGLE)] }));
    assert.match(disabled.description ?? '', /Coins are disabled on this dashboard/);
  });

  test('/user servers lists names, identifiers and ids in one page when they fit', async () => {
    const interaction = invoke(e2e, { path: 'user servers', options: [opt.user(BOB)] });
    const embed = await answer(interaction);
    assert.equal(embed.title, 'Servers of @member002');
    assert.match(embed.description ?? '', /^\*\*Only one\*\* — `bob00001` · id \d+$/);
    assert.equal(embed.footer?.text, '1 server');
    assert.deepEqual(buttons(interaction), [], 'no paging buttons for one page');
    assert.equal(e2e.heliactyl.requests.at(-1)?.path, '/api/v3/userservers');
  });

  async function page(e2e: E2E, from: FakeInteraction, label: string): Promise<FakeInteraction> {
    const click = press(e2e, from, label);
    await click.waitForCallback();
    return click;
  }

  function footer(interaction: FakeInteraction): string {
    return (interaction.original?.embeds[0] as Embed | undefined)?.footer?.text ?? '';
  }

  test('/user servers detailed pages with Previous/Next, and stays within limits', async () => {
    const interaction = invoke(e2e, {
      path: 'user servers',
      options: [opt.user(ALICE), opt.bool('detailed', true)],
    });
    const first = await answer(interaction);
    assert.equal(first.title, 'Servers of @member001 (detailed)');
    assert.equal(first.footer?.text, '14 servers · page 1 of 3');
    assert.equal(first.fields?.length, 6);
    assert.equal(first.fields?.[0]?.name, 'Alice server 1 (al000000)');
    assert.match(first.fields?.[0]?.value ?? '', /^2 GB RAM · 10 GB disk · 150% CPU\n/);
    assert.match(first.fields?.[0]?.value ?? '', /\*\*Suspended\*\*/);
    assert.deepEqual(
      buttons(interaction).map((b) => [b.label, Boolean(b.disabled)]),
      [
        ['Previous', true],
        ['Next', false],
      ],
    );
    assert.equal(e2e.heliactyl.requests.at(-1)?.path, '/api/v3/userserverdetails');
    const requests = e2e.heliactyl.requests.length;

    const next = await page(e2e, interaction, 'Next');
    await next.waitFor(() => footer(next) === '14 servers · page 2 of 3');
    assert.equal((next.original?.embeds[0] as Embed).fields?.[0]?.name, 'Alice server 7 (al000006)');
    const last = await page(e2e, next, 'Next');
    await last.waitFor(() => footer(last) === '14 servers · page 3 of 3');
    assert.equal((last.original?.embeds[0] as Embed).fields?.length, 2);
    assert.deepEqual(
      buttons(last).map((b) => [b.label, Boolean(b.disabled)]),
      [
        ['Previous', false],
        ['Next', true],
      ],
    );
    const back = await page(e2e, last, 'Previous');
    await back.waitFor(() => footer(back) === '14 servers · page 2 of 3');
    assert.equal(e2e.heliactyl.requests.length, requests, 'pages come from the cache, not the dashboard');
  });

  test('/user activity pages newest first, and only the invoker can turn the pages', async () => {
    const interaction = invoke(e2e, {
      path: 'user activity',
      options: [opt.user(ALICE), opt.int('limit', 50)],
    });
    const first = await answer(interaction);
    assert.deepEqual(e2e.heliactyl.requests.at(-1)?.query, { id: ALICE, limit: '50' });
    assert.equal(first.title, 'Activity of @member001');
    assert.match(first.footer?.text ?? '', /^50 entries · page 1 of \d+$/);
    const lines = (first.description ?? '').split('\n');
    assert.equal(lines[0], 'Newest first, last 50 requested.');
    assert.match(lines[1] ?? '', /^`2025-12-31 12:59:00` \\\[AFK\\\] User alice .*event number 60 x+$/);
    assert.ok((first.description ?? '').length <= 4096);

    const requests = e2e.heliactyl.requests.length;
    const foreign = press(e2e, interaction, 'Next', { userId: OTHER_MOD, roles: [ROLES.moderator] });
    const refusal = await immediateReply(foreign);
    assert.equal(refusal.title, 'Not your list');
    assert.equal(footer(interaction), first.footer?.text, 'the list did not move');

    const next = await page(e2e, interaction, 'Next');
    await next.waitFor(() => /page 2 of/.test(footer(next)));
    const back = await page(e2e, next, 'Previous');
    await back.waitFor(() => /page 1 of/.test(footer(back)));
    assert.equal(e2e.heliactyl.requests.length, requests);
  });

  test('/user activity defaults to 15 and says when there is nothing', async () => {
    await answer(invoke(e2e, { path: 'user activity', options: [opt.user(ALICE)] }));
    assert.deepEqual(e2e.heliactyl.requests.at(-1)?.query, { id: ALICE, limit: '15' });
    const empty = await answer(invoke(e2e, { path: 'user activity', options: [opt.id(GOOGLE)] }));
    assert.match(
      empty.description ?? '',
      /No activity found in the dashboard's log for `google-115555555555`/,
    );
  });

  test('a page button whose list has expired says so and fetches nothing (only a key rides in the button)', async () => {
    const interaction = invoke(e2e, {
      path: 'user servers',
      options: [opt.user(ALICE), opt.bool('detailed', true)],
    });
    const first = await answer(interaction);
    const next = buttons(interaction).find((b) => b.label === 'Next')!;
    assert.match(next.custom_id, /^user-servers-page:[\w-]+:1$/, 'name:key:page, no user or target');
    // The same button once its key is gone from the state store (15 minutes later, or after a restart).
    const replay = next.custom_id.replace(/^(user-servers-page:)[^:]+/, '$1zzzzzzzz');
    const before = e2e.heliactyl.requests.length;
    const click = e2e.discord.button({
      customId: replay,
      messageId: interaction.original!.id,
      roles: [ROLES.admin],
    });
    const expired = await immediateReply(click);
    assert.equal(expired.title, 'Pages expired');
    assert.equal(expired.description, 'These pages have expired — run the command again.');
    assert.equal(e2e.heliactyl.requests.length, before, 'no dashboard request');
    assert.equal(footer(interaction), first.footer?.text, 'the list did not move');
  });

  test('dashboard-side read failures get clear replies', async () => {
    e2e.heliactyl.pterodactylFailure = 'error';
    try {
      const servers = await answer(invoke(e2e, { path: 'user servers', options: [opt.user(ALICE)] }));
      assert.match(servers.description ?? '', /could not fetch the user's servers from Pterodactyl/);
    } finally {
      e2e.heliactyl.pterodactylFailure = 'none';
    }
    e2e.heliactyl.logFile = 'missing';
    try {
      const activity = await answer(invoke(e2e, { path: 'user activity', options: [opt.user(ALICE)] }));
      assert.match(activity.description ?? '', /has no activity log file to read/);
    } finally {
      e2e.heliactyl.logFile = 'ok';
    }
    assert.ok(
      text(await answer(invoke(e2e, { path: 'user info', options: [opt.user(ALICE)] }))).includes(
        'alice@example.com',
      ),
    );
  });

  test("issue11 item 5: a missing panel account is named, quoting the dashboard's sentence; error pages show no stack trace", async () => {
    e2e.heliactyl.addUser({ id: GONE, coins: 40, panel: 'missing' });
    const info = await answer(invoke(e2e, { path: 'user info', options: [opt.id(GONE)] }));
    assert.equal(info.title, 'Dashboard error');
    assert.equal(
      info.description,
      `The dashboard could not load this user's panel account (Pterodactyl); it said: "${PANEL_ACCOUNT_MISSING_TEXT}"`,
    );
    assert.doesNotMatch(text(info), /could not read/);

    // The dashboard's own 400 page carries a stack trace with its install paths.
    e2e.heliactyl.faults.add({
      path: '/api/v3/userinfo',
      times: 1,
      fault: {
        kind: 'status',
        status: 400,
        contentType: 'text/html; charset=utf-8',
        body: '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><pre>SyntaxError: Unexpected end of JSON input<br> &nbsp; &nbsp;at JSON.parse (&lt;anonymous&gt;)<br> &nbsp; &nbsp;at parse (/home/heliactyl/node_modules/body-parser/lib/types/json.js:92:19)</pre></body></html>',
      },
    });
    const refused = await answer(invoke(e2e, { path: 'coins balance', options: [opt.user(ALICE)] }));
    assert.equal(
      refused.description,
      'The dashboard refused the request: "SyntaxError: Unexpected end of JSON input".',
    );
  });
});
