import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type CommandOptionInput, type FakeInteraction } from '../fakes/discord/index.js';
import { ROLES, startE2E, type E2E } from '../helpers/e2e.js';
import { answer, answerTitled, field, opt, text, type Embed } from '../helpers/moderation.js';
import { coinWrites } from '../helpers/rewards-rig.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BOOSTER = '320000000000000001';
const VETERAN = '320000000000000002';
/** Ten days ago: claims are dated by their interaction (Discord's own timestamp), so tests walk forward from here. */
const T0 = Math.floor((Date.now() - 10 * DAY) / 1000) * 1000;

/** A member id minted `ageMs` ago (account age comes from it). */
let serial = 0;
function memberId(ageMs = 400 * DAY): string {
  serial += 1;
  const at = BigInt(Date.now() - ageMs - 1_420_070_400_000);
  return ((at << 22n) | BigInt(serial)).toString();
}

const relative = (ms: number): string => `<t:${Math.ceil(ms / 1000)}:R>`;

describe('/claim and the /rewards rules', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E();
  });
  after(async () => {
    await e2e.close();
  });

  /** A /rewards subcommand (path `daily`, `role set`, …) run by someone with `roles`. */
  function rewards(
    path: string,
    options: CommandOptionInput[],
    roles: string[] = [ROLES.admin],
  ): FakeInteraction {
    const [first = '', second] = path.split(' ');
    return e2e.discord.chatInput({
      name: 'rewards',
      ...(second ? { group: first, subcommand: second } : { subcommand: first }),
      options,
      roles,
    });
  }

  function claim(
    userId: string,
    at: number,
    extra: { roles?: string[]; joinedAt?: string } = {},
  ): FakeInteraction {
    return e2e.discord.chatInput({
      name: 'claim',
      userId,
      at,
      roles: [ROLES.member, ...(extra.roles ?? [])],
      ...extra,
    });
  }

  /** A dashboard account for a new member; returns the member id. */
  function member(ageMs?: number): string {
    const id = memberId(ageMs);
    e2e.heliactyl.addUser({ id, coins: 10 });
    return id;
  }

  /** Resolves once the worker has settled `count` grants of `userId` (the audit log line of each). */
  async function settled(userId: string, count: number): Promise<void> {
    const mine = () =>
      e2e.bot.logs.filter((l) => String(l.msg).startsWith('Audit: grant') && l.userId === userId).length;
    await e2e.bot.waitForLog(() => mine() >= count);
  }

  async function setDaily(coins: number, bonus?: number, max?: number): Promise<void> {
    const options = [opt.int('coins', coins)];
    if (bonus !== undefined) options.push(opt.int('streak_bonus', bonus));
    if (max !== undefined) options.push(opt.int('streak_max', max));
    await answerTitled(rewards('daily', options), /^Daily reward/);
  }

  test('issue12: admin sets the daily rule; the streak grows within 48 h, stops growing at streak_max, and restarts after; too early says when', async () => {
    const set = await answer(
      rewards('daily', [opt.int('coins', 100), opt.int('streak_bonus', 10), opt.int('streak_max', 3)]),
    );
    assert.equal(set.title, 'Daily reward set');
    assert.match(
      set.description ?? '',
      /100 coins per claim.*\+10 coins per consecutive day.*up to 120 coins from day 3/,
    );

    const alice = member();
    const first = await answer(claim(alice, T0));
    assert.equal(first.title, 'Claimed 100 coins');
    assert.match(first.description ?? '', /Daily reward\*\*: 100 coins — day 1 of your streak/);
    assert.ok(first.description?.includes(`Next ${relative(T0 + DAY)}`), first.description);

    const early = await answer(claim(alice, T0 + 5 * HOUR));
    assert.equal(early.title, 'Nothing to claim yet');
    assert.ok(early.description?.includes(`opens again ${relative(T0 + DAY)}`), early.description);

    const steps: Array<[number, string]> = [
      [T0 + 30 * HOUR, 'Claimed 110 coins'], // day 2 (30 h after the last claim)
      [T0 + 77 * HOUR, 'Claimed 120 coins'], // day 3 (47 h after): streak_max reached
      [T0 + 101 * HOUR, 'Claimed 120 coins'], // day 4: the bonus stays at its cap
      [T0 + 150 * HOUR, 'Claimed 100 coins'], // 49 h after: a new streak
    ];
    const replies: Embed[] = [];
    for (const [at, title] of steps) {
      const reply = await answer(claim(alice, at));
      assert.equal(reply.title, title, reply.description);
      replies.push(reply);
    }
    assert.match(replies[0]!.description ?? '', /110 coins — day 2 of your streak\. Next/);
    assert.match(replies[1]!.description ?? '', /120 coins — day 3 of your streak\. Next/);
    assert.match(replies[2]!.description ?? '', /120 coins — day 4 of your streak\. Next/);
    assert.match(replies[2]!.footer?.text ?? '', /^Queued/);
    assert.match(
      replies.at(-1)!.description ?? '',
      /day 1 of your streak \(a new streak: your last claim was more than 48 h ago\)/,
    );

    await settled(alice, 5);
    assert.deepEqual(coinWrites(e2e.heliactyl, alice), [
      'addcoins 100',
      'addcoins 110',
      'addcoins 120',
      'addcoins 120',
      'addcoins 100',
    ]);
    assert.equal(e2e.heliactyl.user(alice)?.coins, 10 + 550);
  });

  test('issue12: role rewards are paid only for roles the member holds, once per `every`; removed rules stop paying', async () => {
    await setDaily(0);
    const booster = await answer(
      rewards('role set', [opt.role('role', BOOSTER), opt.int('coins', 500), opt.str('every', '1w')]),
    );
    assert.equal(booster.title, 'Role reward set');
    assert.match(booster.description ?? '', /<@&320000000000000001> can claim 500 coins .* once every 7 d/);
    await answer(
      rewards('role set', [opt.role('role', VETERAN), opt.int('coins', 50), opt.str('every', '12h')]),
    );

    const settings = await answer(rewards('settings', [], [ROLES.moderator]));
    assert.equal(field(settings, 'Daily reward (`/claim`)'), 'Off');
    assert.equal(
      settings.description,
      '**Role rewards (`/claim`)**\n<@&320000000000000001>: 500 coins every 7 d\n<@&320000000000000002>: 50 coins every 12 h',
    );

    const bob = member();
    const first = await answer(claim(bob, T0, { roles: [BOOSTER] }));
    assert.equal(first.title, 'Claimed 500 coins');
    assert.match(
      first.description ?? '',
      /^\*\*<@&320000000000000001> reward\*\*: 500 coins\. Next <t:\d+:R>\.$/,
    );
    const again = await answer(claim(bob, T0 + DAY, { roles: [BOOSTER] }));
    assert.equal(again.title, 'Nothing to claim yet');
    assert.ok(again.description?.includes(`opens again ${relative(T0 + 7 * DAY)}`), again.description);

    const removed = await answer(rewards('role remove', [opt.role('role', BOOSTER)]));
    assert.equal(removed.title, 'Role reward removed');
    const none = await answer(claim(bob, T0 + 8 * DAY, { roles: [BOOSTER] }));
    assert.equal(none.title, 'No rewards for you here');
    assert.match(none.description ?? '', /none of the reward roles \(<@&320000000000000002>\)/);

    await settled(bob, 1);
    assert.deepEqual(coinWrites(e2e.heliactyl, bob), ['addcoins 500']);
    await answer(rewards('role remove', [opt.role('role', VETERAN)]));
  });

  test('issue12: anti-alt gates refuse a young account and a new member with a clear reply, and pay nothing', async () => {
    await setDaily(100);
    const gates = await answer(
      rewards('gates', [opt.str('account_age', '30d'), opt.str('member_age', '2d')]),
    );
    assert.equal(gates.title, 'Anti-alt gates set');
    try {
      const young = member(5 * DAY);
      const refusedYoung = await answer(claim(young, Date.now()));
      assert.equal(refusedYoung.title, 'Not eligible yet');
      assert.match(
        refusedYoung.description ?? '',
        /account must be at least 30 d old .* try again <t:\d+:R>/,
      );

      const newcomer = member();
      const joined = new Date(Date.now() - 1 * DAY).toISOString();
      const refusedNew = await answer(claim(newcomer, Date.now(), { joinedAt: joined }));
      assert.equal(refusedNew.title, 'Not eligible yet');
      assert.match(refusedNew.description ?? '', /member of this server for 2 d/);

      // The same member once the gate has passed is paid: the refusal was the gate, not the rule.
      const later = await answer(claim(newcomer, Date.parse(joined) + 2 * DAY + HOUR, { joinedAt: joined }));
      assert.equal(later.title, 'Claimed 100 coins');
      await settled(newcomer, 1);
      assert.deepEqual(coinWrites(e2e.heliactyl, young), []);
      assert.deepEqual(coinWrites(e2e.heliactyl, newcomer), ['addcoins 100']);
    } finally {
      await answer(rewards('gates', [opt.str('account_age', '0'), opt.str('member_age', 'off')]));
    }
  });

  test('issue12: five simultaneous /claim clicks of one member pay once', async () => {
    await setDaily(70);
    const carol = member();
    const at = Date.now();
    const clicks = Array.from({ length: 5 }, () => claim(carol, at));
    const replies = await Promise.all(clicks.map((click) => answer(click)));
    const titles = replies.map((r) => r.title).sort();
    assert.deepEqual(titles, [
      'Claimed 70 coins',
      'Nothing to claim yet',
      'Nothing to claim yet',
      'Nothing to claim yet',
      'Nothing to claim yet',
    ]);
    for (const reply of replies.filter((r) => r.title === 'Nothing to claim yet'))
      assert.match(reply.description ?? '', /already claimed/);
    await settled(carol, 1);
    assert.deepEqual(coinWrites(e2e.heliactyl, carol), ['addcoins 70']);
  });

  test('issue12: members cannot change reward rules; moderators may read them but not change them', async () => {
    await setDaily(40);
    const byMember = await answer(rewards('daily', [opt.int('coins', 999)], [ROLES.member]));
    assert.equal(byMember.title, 'Not allowed');
    assert.match(byMember.description ?? '', /`\/rewards daily` is for admins only/);
    const byModerator = await answer(
      rewards(
        'role set',
        [opt.role('role', BOOSTER), opt.int('coins', 5), opt.str('every', '1d')],
        [ROLES.moderator],
      ),
    );
    assert.match(byModerator.description ?? '', /`\/rewards role set` is for admins only/);
    const settingsByMember = await answer(rewards('settings', [], [ROLES.member]));
    assert.match(settingsByMember.description ?? '', /`\/rewards settings` is for moderators/);

    const settings = await answer(rewards('settings', [], [ROLES.moderator]));
    assert.match(field(settings, 'Daily reward (`/claim`)'), /^40 coins per claim/);
    assert.equal(settings.description, '**Role rewards (`/claim`)**\nNone');
  });

  test('issue12: bad durations and amounts get a specific reply and change nothing', async () => {
    await setDaily(40);
    const cases: Array<[string, CommandOptionInput[], RegExp]> = [
      [
        'role set',
        [opt.role('role', BOOSTER), opt.int('coins', 10), opt.str('every', 'soon')],
        /`every`: `soon` is not a duration\. Use minutes, hours, days or weeks/,
      ],
      [
        'role set',
        [opt.role('role', BOOSTER), opt.int('coins', 10), opt.str('every', '10m')],
        /`every` must be at least 1 h \(got 10 min\)/,
      ],
      [
        'role set',
        [opt.role('role', BOOSTER), opt.int('coins', 0), opt.str('every', '1d')],
        /`coins` must be a whole number from 1 to 1,000,000 — you sent `0`/,
      ],
      [
        'role set',
        [opt.role('role', e2e.discord.guildId), opt.int('coins', 10), opt.str('every', '1d')],
        /@everyone holds no reward/,
      ],
      [
        'gates',
        [opt.str('account_age', 'forever')],
        /`account_age`: `forever` is not a duration.*or `0` to turn it off/,
      ],
      ['gates', [opt.str('member_age', '400d')], /`member_age` must be at most 365 d/],
      ['gates', [], /Give `account_age`, `member_age` or both/],
      ['daily', [opt.int('coins', -5)], /`coins` must be a whole number from 0 to 1,000,000 — you sent `-5`/],
      [
        'daily',
        [opt.int('coins', 10), opt.int('streak_max', 0)],
        /`streak_max` must be a whole number from 1 to 365/,
      ],
      ['vote', [opt.int('coins', 2_000_000)], /`coins` must be a whole number from 0 to 1,000,000/],
      ['role remove', [opt.role('role', VETERAN)], /has no role reward here: nothing was changed/],
    ];
    for (const [path, options, expected] of cases) {
      const reply = await answer(rewards(path, options));
      assert.match(text(reply), expected, `/rewards ${path}`);
    }
    const settings = await answer(rewards('settings', [], [ROLES.moderator]));
    assert.match(field(settings, 'Daily reward (`/claim`)'), /^40 coins per claim/);
    assert.equal(settings.description, '**Role rewards (`/claim`)**\nNone');
    assert.equal(field(settings, 'Votes'), 'Off');
    assert.equal(
      field(settings, 'Anti-alt gates (`/claim`, `/redeem`)'),
      'Discord account age: no minimum\nTime in this server: no minimum',
    );
  });
});
