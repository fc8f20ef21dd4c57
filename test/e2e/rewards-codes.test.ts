import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLES, isEphemeral, startE2E, type E2E } from '../helpers/e2e.js';
import {
  answer,
  auditPosts,
  buttons,
  immediateReply,
  invoke,
  opt,
  text,
  type Embed,
} from '../helpers/moderation.js';
import { coinWrites } from '../helpers/rewards-rig.js';
import type { CommandOptionInput, FakeInteraction } from '../fakes/discord/index.js';
import { answerEmbeds } from '../helpers/e2e.js';
import { openStore, type RelationalStore } from '../../src/store/database.js';
import { RewardSettings } from '../../src/rewards/settings.js';
import { RewardCodes } from '../../src/rewards/codes.js';
import { CodeHasher } from '../../src/rewards/code-secret.js';
import { deriveSecret } from '../../src/vault/vault.js';

const ADMIN = '190000000000000001';
const MEMBER = '420000000000000001';
const RACERS = Array.from({ length: 8 }, (_, i) => `42000000000000010${i}`);
const NO_ACCOUNT = '420000000000000099';
/** A code that must never be found in the store or the logs (only in the admin's one reply). */
const CODE = 'GIVEAWAY-7F3K-PLAIN';

interface Actor {
  userId: string;
  roles: string[];
}
const admin: Actor = { userId: ADMIN, roles: [ROLES.admin] };
const moderator: Actor = { userId: '190000000000000002', roles: [ROLES.moderator] };
const memberActor = (userId: string): Actor => ({ userId, roles: [ROLES.member] });

function run(e2e: E2E, path: string, options: CommandOptionInput[], actor: Actor): FakeInteraction {
  return invoke(e2e, { path, options, ...actor });
}

const create = (e2e: E2E, code: string, coins: number, uses: number, expires: string, actor = admin) =>
  run(
    e2e,
    'rewards code create',
    [opt.str('code', code), opt.int('coins', coins), opt.int('uses', uses), opt.str('expires', expires)],
    actor,
  );
const redeem = (e2e: E2E, code: string, userId: string) =>
  run(e2e, 'redeem', [opt.str('code', code)], memberActor(userId));

describe('issue12 reward codes, history and leaderboard, end to end', () => {
  let e2e: E2E;
  let store: RelationalStore;
  let folder: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hostlink-codes-'));
    e2e = await startE2E({
      env: ({ discord }) => ({
        STORE_URL: `sqlite://${join(folder, 'hostlink.sqlite')}`,
        AUDIT_CHANNEL_ID: discord.channelId,
      }),
    });
    for (const id of [MEMBER, ...RACERS]) e2e.heliactyl.addUser({ id, coins: 10 });
    store = await openStore(`sqlite://${join(folder, 'hostlink.sqlite')}`);
  });
  after(async () => {
    await store.close();
    await e2e.close();
  });

  /** The bot's code hasher, from the same ENCRYPTION_KEY (to seed a code the bot finds). */
  const hasher = () =>
    new CodeHasher([deriveSecret(Buffer.from(e2e.env.ENCRYPTION_KEY!, 'base64'), 'reward-codes')]);

  /** A grant already settled, written straight into the ledger (the worker leaves settled grants alone). */
  let seeded = 0;
  const seedGrant = async (
    userId: string,
    coins: number,
    state: 'granted' | 'failed',
    at: number,
    source = 'api',
  ) => {
    seeded += 1;
    await store.db
      .insertInto('grants')
      .values({
        id: `seeded-${seeded}`,
        key: `test:seeded:${seeded}`,
        user_id: userId,
        coins,
        source,
        cause: '{}',
        reason: null,
        fingerprint: null,
        state,
        balance_after: null,
        detail: null,
        claimed_by: null,
        created_at: at,
        updated_at: at,
        sending_since: null,
      })
      .execute();
  };

  /** Resolves once the bot has logged that a grant to `userId` was granted. */
  const granted = (userId: string) =>
    e2e.bot.waitForLog((line) => line.msg === 'Audit: grant granted' && line.userId === userId);

  test('create → redeem pays once; a second redeem by the same member is refused; the admin action is audited', async () => {
    const created = await answer(create(e2e, CODE.toLowerCase(), 150, 20, '7d'));
    assert.equal(created.title, 'Code created');
    assert.match(created.description ?? '', /`\/redeem code:GIVEAWAY-7F3K-PLAIN`/);
    assert.match(created.description ?? '', /listed as `GI•+`/);

    const first = redeem(e2e, CODE, MEMBER);
    const paid = await answer(first);
    assert.ok(isEphemeral(first));
    assert.equal(paid.title, 'Code redeemed');
    assert.match(paid.description ?? '', /\*\*150 coins\*\* are on their way/);
    await granted(MEMBER);
    assert.deepEqual(coinWrites(e2e.heliactyl, MEMBER), ['addcoins 150']);
    assert.equal(e2e.heliactyl.user(MEMBER)?.coins, 160);

    const second = await answer(redeem(e2e, ` ${CODE.toLowerCase()} `, MEMBER));
    assert.equal(second.title, 'Already redeemed');
    assert.match(second.description ?? '', /Each member can redeem a code once/);
    assert.deepEqual(coinWrites(e2e.heliactyl, MEMBER), ['addcoins 150'], 'not paid again');

    await e2e.discord.waitFor(() =>
      auditPosts(e2e, e2e.discord.channelId).some(
        (p) => p.title === 'Moderator action: /rewards code create',
      ),
    );
    const audit = auditPosts(e2e, e2e.discord.channelId).find(
      (p) => p.title === 'Moderator action: /rewards code create',
    )!;
    assert.match(text(audit), /coins: 150\nuses: 20/);
    assert.ok(!text(audit).includes(CODE), 'the audit shows the hint, not the code');
  });

  test('8 members redeeming a 3-use code at once: exactly 3 are paid, 5 are told it is used up', async () => {
    assert.equal((await answer(create(e2e, 'THREE-ONLY', 40, 3, 'never'))).title, 'Code created');
    const attempts = RACERS.map((id) => redeem(e2e, 'three-only', id));
    const titles = await Promise.all(attempts.map(async (a) => (await answer(a)).title));
    assert.equal(titles.filter((t) => t === 'Code redeemed').length, 3, titles.join(', '));
    assert.equal(titles.filter((t) => t === 'Code used up').length, 5, titles.join(', '));
    const winners = RACERS.filter((_, i) => titles[i] === 'Code redeemed');
    await Promise.all(winners.map(granted));
    const writes = RACERS.flatMap((id) => coinWrites(e2e.heliactyl, id));
    assert.deepEqual(writes, ['addcoins 40', 'addcoins 40', 'addcoins 40']);
  });

  test('wrong, malformed, expired and revoked codes get their own reply and no grant; so does a member without a dashboard account', async () => {
    const codes = new RewardCodes(store.db, hasher());
    const yesterday = Date.now() - 86_400_000;
    await codes.create(
      { code: 'LAST-WEEK', coins: 5, usesTotal: 5, expiresAt: yesterday, createdBy: ADMIN },
      yesterday - 86_400_000,
    );
    assert.equal((await answer(create(e2e, 'TO-REVOKE', 5, 5, '2w'))).title, 'Code created');
    const revoked = await answer(run(e2e, 'rewards code revoke', [opt.str('code', 'to-revoke')], admin));
    assert.equal(revoked.title, 'Code revoked');
    const before = e2e.heliactyl.requests.filter((r) => r.method === 'POST').length;

    const wrong = await answer(redeem(e2e, 'NOT-A-CODE', MEMBER));
    assert.equal(wrong.title, 'Unknown code');
    const malformed = await answer(redeem(e2e, 'no such!', MEMBER));
    assert.equal(malformed.title, 'Invalid code');
    const expired = await answer(redeem(e2e, 'last-week', MEMBER));
    assert.equal(expired.title, 'Code expired');
    assert.match(expired.description ?? '', /expired <t:\d+:R>/);
    const gone = await answer(redeem(e2e, 'TO-REVOKE', MEMBER));
    assert.equal(gone.title, 'Code revoked');

    assert.equal((await answer(create(e2e, 'FOR-NOBODY', 5, 5, '1d'))).title, 'Code created');
    const nobody = await answer(redeem(e2e, 'FOR-NOBODY', NO_ACCOUNT));
    assert.equal(nobody.title, 'No dashboard account');

    assert.equal(e2e.heliactyl.requests.filter((r) => r.method === 'POST').length, before, 'nothing paid');
    const list = await answer(run(e2e, 'rewards code list', [], admin));
    const listed = list.description ?? '';
    assert.match(listed, /`TO•+` \(id `[0-9a-f]{12}`\) — 5 coins, 5\/5 uses left — revoked <t:\d+:R>/);
    assert.match(listed, /`LA•+` \(id `[0-9a-f]{12}`\) — 5 coins, 5\/5 uses left — expired <t:\d+:R>/);
    assert.match(listed, /`TH•+` \(id `[0-9a-f]{12}`\) — 40 coins, 0\/3 uses left — used up/);
    assert.match(
      listed,
      /`FO•+` \(id `[0-9a-f]{12}`\) — 5 coins, 5\/5 uses left — active, expires <t:\d+:R>/,
    );
    assert.ok(!listed.includes('FOR-NOBODY') && !listed.includes(CODE));
  });

  test('five wrong codes in a row and the member is refused for a while, even with a valid code', async () => {
    const guesser = '420000000000000077';
    assert.equal((await answer(create(e2e, 'RIGHT-ONE', 5, 5, '1d'))).title, 'Code created');
    for (const guess of ['AAAA', 'AAAB', 'AAAC', 'AAAD', 'AAAE'])
      assert.equal((await answer(redeem(e2e, guess, guesser))).title, 'Unknown code');
    const blocked = await answer(redeem(e2e, 'RIGHT-ONE', guesser));
    assert.equal(blocked.title, 'Too many wrong codes');
    assert.match(blocked.description ?? '', /You can try again <t:\d+:R>/);
    assert.equal((await new RewardCodes(store.db, hasher()).find('RIGHT-ONE'))?.usesCount, 0);
  });

  test('an admin typo gets a clear reply: a past expiry, a bad code, a duplicate', async () => {
    const past = await answer(create(e2e, 'PAST-CODE', 5, 5, '2020-01-01'));
    assert.equal(past.title, 'Invalid expiry');
    assert.match(past.description ?? '', /is in the past: a code must expire in the future/);
    const bad = await answer(create(e2e, 'has space', 5, 5, '1d'));
    assert.equal(bad.title, 'Invalid code');
    const duplicate = await answer(create(e2e, 'three-only', 5, 5, '1d'));
    assert.equal(duplicate.title, 'Code exists');
  });

  test('members cannot create, list or revoke codes', async () => {
    for (const interaction of [
      create(e2e, 'MEMBER-MADE', 5, 5, '1d', memberActor(MEMBER)),
      run(e2e, 'rewards code list', [], memberActor(MEMBER)),
      run(e2e, 'rewards code revoke', [opt.str('code', 'THREE-ONLY')], memberActor(MEMBER)),
    ]) {
      const refused = await answer(interaction);
      assert.equal(refused.title, 'Not allowed');
      assert.match(refused.description ?? '', /is for admins only/);
    }
    const redeemed = await answer(redeem(e2e, 'MEMBER-MADE', MEMBER));
    assert.equal(redeemed.title, 'Unknown code', 'the refused create stored nothing');
  });

  test('the anti-alt gates refuse /redeem before the code is looked at', async () => {
    const settings = new RewardSettings(store.db);
    assert.equal((await answer(create(e2e, 'GATED', 5, 5, '1d'))).title, 'Code created');
    await settings.setGates({ accountAgeMs: 0, memberAgeMs: 30 * 86_400_000 });
    try {
      const refused = await answer(redeem(e2e, 'GATED', RACERS[7]!));
      assert.equal(refused.title, 'Not yet');
      assert.match(refused.description ?? '', /member of this server for 30 d/);
    } finally {
      await settings.setGates({ accountAgeMs: 0, memberAgeMs: 0 });
    }
    const gated = await new RewardCodes(store.db, hasher()).find('GATED');
    assert.equal(gated?.usesCount, 0, 'no use taken');
    assert.equal(
      await store.db
        .selectFrom('grants')
        .select('id')
        .where('key', '=', `code:${gated?.id}:${RACERS[7]}`)
        .executeTakeFirst(),
      undefined,
    );
  });

  test('the plaintext codes are nowhere in the store file or the logs', async () => {
    const files = readdirSync(folder).filter((f) => f.startsWith('hostlink.sqlite'));
    assert.ok(files.length > 0);
    for (const file of files) {
      const bytes = readFileSync(join(folder, file)).toString('latin1').toUpperCase();
      for (const code of [CODE, 'THREE-ONLY', 'LAST-WEEK', 'TO-REVOKE', 'FOR-NOBODY', 'GATED'])
        assert.ok(!bytes.includes(code), `${code} in ${file}`);
    }
    const logs = e2e.bot.stdout().toUpperCase() + e2e.bot.stderr().toUpperCase();
    for (const code of [CODE, 'THREE-ONLY', 'TO-REVOKE', 'FOR-NOBODY'])
      assert.ok(!logs.includes(code), `${code} in the logs`);
    assert.ok(logs.includes('CODE REDEMPTION'), 'the logs were read');
  });

  test('history: own for members, another member only for moderators, newest first, paged with buttons', async () => {
    const subject = '430000000000000001';
    const base = Date.now() - 3_600_000;
    for (let i = 0; i < 7; i += 1)
      await seedGrant(
        subject,
        100 + i,
        i === 6 ? 'failed' : 'granted',
        base + i * 60_000,
        i % 2 === 0 ? 'daily' : 'vote',
      );
    const own = run(e2e, 'rewards history', [opt.int('limit', 3)], memberActor(subject));
    const first = await answer(own);
    assert.ok(isEphemeral(own));
    assert.equal(first.title, 'Your rewards history');
    const lines = (first.description ?? '').split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^<t:\d+:R> · \*\*106 coins\*\* · daily · ❌ failed$/);
    assert.match(lines[1]!, /^<t:\d+:R> · \*\*105 coins\*\* · vote · ✅ granted$/);
    assert.equal(first.footer?.text, 'Page 1 of 3 · 7 grants');
    assert.deepEqual(
      buttons(own).map((b) => [b.label, Boolean(b.disabled)]),
      [
        ['Previous', true],
        ['Next', false],
      ],
    );

    const next = buttons(own).find((b) => b.label === 'Next')!;
    const press = e2e.discord.button({
      customId: next.custom_id,
      messageId: own.original!.id,
      roles: [ROLES.member],
      userId: subject,
    });
    await press.waitFor(
      () => (answerEmbeds(press)[0] as Embed | undefined)?.footer?.text === 'Page 2 of 3 · 7 grants',
    );
    assert.match((answerEmbeds(press)[0] as Embed).description ?? '', /^<t:\d+:R> · \*\*103 coins\*\*/);

    const stranger = e2e.discord.button({
      customId: next.custom_id,
      messageId: own.original!.id,
      roles: [ROLES.member],
      userId: MEMBER,
    });
    assert.equal((await immediateReply(stranger)).title, 'Not your list');

    const nosy = await answer(run(e2e, 'rewards history', [opt.user(subject)], memberActor(MEMBER)));
    assert.equal(nosy.title, 'Not allowed');
    assert.match(nosy.description ?? '', /Only moderators can see another member's rewards history/);

    const checked = run(e2e, 'rewards history', [opt.user(subject)], moderator);
    const seen = await answer(checked);
    assert.equal(seen.title, 'Rewards history');
    assert.match(seen.description ?? '', new RegExp(`^<@${subject}>'s grants, newest first:`));
    assert.equal(seen.footer?.text, 'Page 1 of 1 · 7 grants');
  });

  test('leaderboard: granted coins only, most first, paged, in the channel without pings', async () => {
    // Eight more recipients with 1–8 coins: 13 in all, two pages of 10.
    for (let i = 1; i <= 8; i += 1) await seedGrant(`44000000000000000${i}`, i, 'granted', Date.now());
    const board = run(e2e, 'rewards leaderboard', [], memberActor(MEMBER));
    const embed = await answer(board);
    assert.ok(!isEphemeral(board));
    assert.equal(embed.title, 'Rewards leaderboard');
    const lines = (embed.description ?? '').split('\n');
    // 430…001: 100+…+105 granted (615; the failed 106 does not count); MEMBER: 150; three racers: 40 each.
    assert.equal(lines[0], '**1.** <@430000000000000001> — 615 coins');
    assert.equal(lines[1], `**2.** <@${MEMBER}> — 150 coins`);
    assert.match(lines[2]!, /^\*\*3\.\*\* <@42000000000000010\d> — 40 coins$/);
    assert.equal(lines[5], '**6.** <@440000000000000008> — 8 coins');
    assert.equal(lines.length, 10);
    assert.equal(embed.footer?.text, 'Coins granted through Hostlink · page 1 of 2');
    assert.deepEqual(board.original?.allowed_mentions, { parse: [] });

    const next = buttons(board).find((b) => b.label === 'Next')!;
    const press = e2e.discord.button({
      customId: next.custom_id,
      messageId: board.original!.id,
      roles: [ROLES.member],
      userId: MEMBER,
    });
    await press.waitFor(
      () => (answerEmbeds(press)[0] as Embed | undefined)?.footer?.text?.endsWith('page 2 of 2') ?? false,
    );
    assert.deepEqual(((answerEmbeds(press)[0] as Embed).description ?? '').split('\n'), [
      '**11.** <@440000000000000003> — 3 coins',
      '**12.** <@440000000000000002> — 2 coins',
      '**13.** <@440000000000000001> — 1 coin',
    ]);
    assert.deepEqual(press.original?.allowed_mentions, { parse: [] });
  });
});
