import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, startE2E, type E2E } from '../helpers/e2e.js';
import { loadCommands } from '../../src/commands/registry.js';
import {
  answer,
  immediateReply,
  invoke,
  opt,
  press,
  question,
  type Invocation,
} from '../helpers/moderation.js';
import type { CommandOptionInput } from '../fakes/discord/index.js';

const ALICE = '410000000000000001';

/** A valid invocation of every moderator-side path (refusal must come before any of it is used). */
const VALID: Record<string, CommandOptionInput[]> = {
  'user info': [opt.user(ALICE)],
  'user servers': [opt.user(ALICE), opt.bool('detailed', true)],
  'user activity': [opt.user(ALICE), opt.int('limit', 5)],
  ban: [opt.user(ALICE), opt.str('duration', '7d')],
  unban: [opt.user(ALICE)],
  'coins balance': [opt.user(ALICE)],
  'coins add': [opt.int('amount', 5), opt.user(ALICE)],
  'coins set': [opt.int('amount', 5), opt.user(ALICE)],
  'plan set': [opt.str('package', 'premium'), opt.user(ALICE)],
  'plan remove': [opt.user(ALICE)],
  'resources set': [opt.user(ALICE), opt.int('ram', 1024)],
  'renewal give': [opt.user(ALICE)],
  'renewal remove': [opt.user(ALICE)],
  'rewards code create': [
    opt.str('code', 'ACCESS-TEST'),
    opt.int('coins', 5),
    opt.int('uses', 1),
    opt.str('expires', '1d'),
  ],
  'rewards code list': [],
  'rewards code revoke': [opt.str('code', 'ACCESS-TEST')],
  'coins grant': [opt.str('users', ALICE), opt.int('amount', 5), opt.str('reason', 'event')],
  'rewards queue': [],
  'rewards daily': [opt.int('coins', 5)],
  'rewards vote': [opt.int('coins', 5)],
  'rewards role set': [opt.role('role', '320000000000000009'), opt.int('coins', 5), opt.str('every', '1d')],
  'rewards role remove': [opt.role('role', '320000000000000009')],
  'rewards gates': [opt.str('account_age', '1d')],
  'rewards settings': [],
};

const moderatorPaths = [...loadCommands().tiers].filter(([, tier]) => tier !== 'user');

test('every moderator-side path of the tier table is exercised here', () => {
  assert.deepEqual(
    Object.keys(VALID).sort(),
    moderatorPaths
      .map(([path]) => path)
      .filter((path) => path !== 'panel status')
      .sort(),
  );
});

describe('moderator commands: role policy and input validation', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E();
    e2e.heliactyl.addUser({ id: ALICE, coins: 100, package: 'premium' });
  });
  after(async () => {
    await e2e.close();
  });

  for (const [path, tier] of moderatorPaths) {
    if (path === 'panel status') continue;
    const refused = tier === 'admin' ? [ROLES.moderator, ROLES.member] : [ROLES.member];
    test(`/${path} (${tier}) is refused ephemerally for ${tier === 'admin' ? 'moderators and members' : 'members'}, with no dashboard call`, async () => {
      const before = e2e.heliactyl.requests.length;
      for (const role of refused) {
        const embed = await immediateReply(invoke(e2e, { path, options: VALID[path], roles: [role] }));
        assert.equal(embed.title, 'Not allowed');
        assert.match(
          embed.description ?? '',
          tier === 'admin'
            ? new RegExp(`\`/${path}\` is for admins only`)
            : new RegExp(`\`/${path}\` is for moderators`),
        );
      }
      assert.equal(e2e.heliactyl.requests.length, before, 'no request reached the dashboard');
    });
  }

  test('moderators may use moderator commands (a read answers with data)', async () => {
    const embed = await answer(
      invoke(e2e, { path: 'coins balance', options: [opt.user(ALICE)], roles: [ROLES.moderator] }),
    );
    assert.match(embed.description ?? '', /has \*\*100 coins\*\*/);
  });

  test('buttons are policed too: a member without the role cannot press a confirmation', async () => {
    const asked = invoke(e2e, { path: 'ban', options: [opt.user(ALICE)], roles: [ROLES.moderator] });
    await question(asked);
    const before = e2e.heliactyl.requests.length;
    const click = press(e2e, asked, 'Ban', { roles: [ROLES.member] });
    const embed = await immediateReply(click);
    assert.equal(embed.title, 'Not allowed');
    assert.match(embed.description ?? '', /`\/ban` is for moderators/);
    assert.equal(e2e.heliactyl.requests.length, before);
    assert.equal(e2e.heliactyl.user(ALICE)?.ban, undefined);
  });

  const invalid: Array<{ name: string; call: Invocation; expect: RegExp }> = [
    {
      name: 'both user and id',
      call: { path: 'user info', options: [opt.user(ALICE), opt.id(ALICE)] },
      expect: /either `user` .* or `id` .*not both/,
    },
    {
      name: 'neither user nor id',
      call: { path: 'coins balance' },
      expect: /Say whose account: give `user`/,
    },
    {
      name: 'an id with spaces',
      call: { path: 'unban', options: [opt.id('two words')] },
      expect: /`id` must be printable characters without spaces — you sent `two words`/,
    },
    {
      name: 'an id over 128 characters',
      call: { path: 'renewal give', options: [opt.id('x'.repeat(129))] },
      expect: /`id` must be at most 128 characters/,
    },
    {
      name: 'an empty id',
      call: { path: 'renewal remove', options: [opt.id('')] },
      expect: /`id` must not be empty/,
    },
    {
      name: 'coins add 0',
      call: { path: 'coins add', options: [opt.int('amount', 0), opt.user(ALICE)] },
      expect: /`amount` must be a whole number from 1 to 999,999,999,999,999 — you sent `0`/,
    },
    {
      name: 'coins add above the maximum, sent raw',
      call: { path: 'coins add', options: [opt.int('amount', 1_000_000_000_000_000), opt.user(ALICE)] },
      expect: /`amount` must be a whole number from 1 to 999,999,999,999,999 — you sent `1000000000000000`/,
    },
    {
      name: 'coins add with a fraction',
      call: { path: 'coins add', options: [opt.int('amount', 2.5), opt.user(ALICE)] },
      expect: /`amount` must be a whole number .* you sent `2\.5`/,
    },
    {
      name: 'coins add with a string amount',
      call: { path: 'coins add', options: [opt.str('amount', '100'), opt.user(ALICE)] },
      expect: /`amount` must be a whole number .* you sent `100`/,
    },
    {
      name: 'coins set negative',
      call: { path: 'coins set', options: [opt.int('amount', -1), opt.user(ALICE)] },
      expect: /`amount` must be a whole number from 0 to 999,999,999,999,999 — you sent `-1`/,
    },
    {
      name: 'coins set without amount',
      call: { path: 'coins set', options: [opt.user(ALICE)] },
      expect: /`amount` .* you sent nothing/,
    },
    {
      name: 'activity limit 0',
      call: { path: 'user activity', options: [opt.user(ALICE), opt.int('limit', 0)] },
      expect: /`limit` must be a whole number from 1 to 100 — you sent `0`/,
    },
    {
      name: 'activity limit 101',
      call: { path: 'user activity', options: [opt.user(ALICE), opt.int('limit', 101)] },
      expect: /`limit` must be a whole number from 1 to 100 — you sent `101`/,
    },
    {
      name: 'resources with no value',
      call: { path: 'resources set', options: [opt.user(ALICE)] },
      expect: /Give at least one of `ram` \(MB\), `disk` \(MB\), `cpu` \(%\) or `servers`/,
    },
    {
      name: 'resources out of range',
      call: {
        path: 'resources set',
        options: [opt.user(ALICE), opt.int('cpu', -1), opt.int('servers', 1e16)],
      },
      expect:
        /`cpu` must be a whole number from 0 to 999,999,999,999,999 — you sent `-1`\.\n`servers` must be/,
    },
    {
      name: 'a blank package',
      call: { path: 'plan set', options: [opt.str('package', '   '), opt.user(ALICE)] },
      expect: /`package` must not be blank/,
    },
    {
      name: 'a ban reason over 512 characters',
      call: { path: 'ban', options: [opt.user(ALICE), opt.str('reason', 'r'.repeat(513))] },
      expect: /`reason` must be at most 512 characters/,
    },
    {
      name: 'a ban duration it does not understand',
      call: { path: 'ban', options: [opt.user(ALICE), opt.str('duration', '3 fortnights')] },
      expect: /`3 fortnights` is not a duration I understand\. Use `30m`, `12h`, `7d`, `2w`/,
    },
    {
      name: 'a ban until a past date',
      call: { path: 'ban', options: [opt.user(ALICE), opt.str('duration', '2020-01-01')] },
      expect: /`2020-01-01` is in the past .*a ban must end in the future/,
    },
    {
      name: 'a ban until an impossible date',
      call: { path: 'ban', options: [opt.user(ALICE), opt.str('duration', '2099-02-30')] },
      expect: /is no such date or time/,
    },
    {
      name: 'detailed that is not a boolean',
      call: { path: 'user servers', options: [opt.user(ALICE), opt.str('detailed', 'yes')] },
      expect: /`detailed` must be true or false/,
    },
  ];

  for (const item of invalid) {
    test(`invalid input never reaches the dashboard: ${item.name}`, async () => {
      const before = e2e.heliactyl.requests.length;
      const embed = await immediateReply(invoke(e2e, item.call));
      assert.equal(embed.title, 'Invalid input');
      assert.match(embed.description ?? '', item.expect);
      assert.equal(e2e.heliactyl.requests.length, before, 'no request reached the dashboard');
    });
  }
});

describe('moderator commands when the operator configured no roles', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ env: { ADMIN_ROLE_IDS: '', MODERATOR_ROLE_IDS: '' } });
  });
  after(async () => {
    await e2e.close();
  });

  test('every moderator-side command is refused, naming the variables to set', async () => {
    for (const path of Object.keys(VALID)) {
      const embed = await immediateReply(invoke(e2e, { path, options: VALID[path], roles: [ROLES.admin] }));
      assert.equal(embed.title, 'Not allowed', path);
      assert.match(embed.description ?? '', /`MODERATOR_ROLE_IDS` and\/or `ADMIN_ROLE_IDS`/, path);
    }
    assert.equal(e2e.heliactyl.requests.length, 0);
  });
});

describe('deployed moderator commands', () => {
  test('are guild-only and hidden behind Moderate Members by default', async () => {
    const { commands } = loadCommands();
    for (const name of ['user', 'ban', 'unban', 'coins', 'plan', 'resources', 'renewal']) {
      const data = commands.get(name)?.data;
      assert.ok(data, name);
      assert.equal(data.default_member_permissions, String(1n << 40n), name);
      assert.deepEqual(data.contexts, [0], name);
    }
  });
});
