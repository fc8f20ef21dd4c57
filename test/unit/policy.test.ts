import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config.js';
import { decideAccess } from '../../src/policy/access.js';
import { commandPaths, routesOf } from '../../src/commands/loader.js';
import { loadCommands } from '../../src/commands/registry.js';
import { defineCommand } from '../../src/commands/types.js';
import { decodeCustomId, encodeCustomId } from '../../src/bot/custom-id.js';

const ADMIN = '100000000000000001';
const MOD = '100000000000000002';
const OTHER = '100000000000000003';
const configured = parseConfig({ DISCORD_TOKEN: 't', ADMIN_ROLE_IDS: ADMIN, MODERATOR_ROLE_IDS: MOD }, 'bot');
const unconfigured = parseConfig({ DISCORD_TOKEN: 't' }, 'bot');

const registry = loadCommands();
const tiers = [...registry.tiers];

test('every deployed command path has a declared handler and tier, and nothing else is declared', () => {
  const deployed = [...registry.commands.values()].flatMap(commandPaths).sort();
  assert.deepEqual(deployed, [...registry.tiers.keys()].sort());
  assert.deepEqual(deployed, [...registry.routes.keys()].sort());
});

test('the tier table derived from the command modules keeps every path at its tier', () => {
  const byTier = (tier: string): string[] => tiers.filter(([, t]) => t === tier).map(([p]) => p);
  assert.deepEqual(byTier('admin').sort(), [
    'coins add',
    'coins grant',
    'coins set',
    'plan remove',
    'plan set',
    'renewal give',
    'renewal remove',
    'resources set',
    'rewards code create',
    'rewards code list',
    'rewards code revoke',
    'rewards daily',
    'rewards gates',
    'rewards queue',
    'rewards role remove',
    'rewards role set',
    'rewards vote',
  ]);
  assert.deepEqual(byTier('moderator').sort(), [
    'ban',
    'coins balance',
    'panel status',
    'rewards settings',
    'unban',
    'user activity',
    'user info',
    'user servers',
  ]);
  assert.equal(byTier('user').length, 31);
  for (const path of [
    'claim',
    'redeem',
    'rewards history',
    'rewards leaderboard',
    'server watch',
    'server unwatch',
    'server schedule',
    'server schedules',
    'server remind',
  ])
    assert.ok(byTier('user').includes(path), path);
});

test('a module whose declared subcommands do not match its deployed ones is refused at load', () => {
  const run = async (): Promise<void> => {};
  const module = defineCommand({
    data: {
      name: 'demo',
      description: 'd',
      options: [
        { type: 1, name: 'a', description: 'a' },
        { type: 1, name: 'b', description: 'b' },
      ],
    },
    subcommands: { a: { tier: 'user', run }, c: { tier: 'user', run } },
  });
  assert.throws(() => routesOf(module, 'demo.ts'), /demo\.ts: no handler for \/demo b/);
  const grouped = defineCommand({
    data: {
      name: 'demo',
      description: 'd',
      options: [
        { type: 2, name: 'g', description: 'g', options: [{ type: 1, name: 'x', description: 'x' }] },
      ],
    },
    subcommands: { g: { x: { tier: 'admin', run } } },
  });
  assert.deepEqual(
    routesOf(grouped, 'demo.ts').map((r) => [r.path, r.tier]),
    [['demo g x', 'admin']],
  );
});

for (const [path, tier] of tiers) {
  test(`/${path} (${tier}) follows the role policy`, () => {
    const admin = decideAccess(path, tier, { roles: [OTHER, ADMIN] }, configured);
    const mod = decideAccess(path, tier, { roles: [MOD] }, configured);
    const nobody = decideAccess(path, tier, { roles: [OTHER] }, configured);
    const noRolesConfigured = decideAccess(path, tier, { roles: [ADMIN] }, unconfigured);
    const inDm = decideAccess(path, tier, { roles: null }, configured);
    if (tier === 'user') {
      for (const decision of [admin, mod, nobody, noRolesConfigured, inDm])
        assert.equal(decision.allowed, true);
      return;
    }
    assert.equal(admin.allowed, true);
    assert.equal(mod.allowed, tier === 'moderator');
    assert.equal(nobody.allowed, false);
    assert.equal(inDm.allowed, false);
    assert.equal(noRolesConfigured.allowed, false);
    if (!noRolesConfigured.allowed)
      assert.match(noRolesConfigured.reason, /MODERATOR_ROLE_IDS.*ADMIN_ROLE_IDS/);
    if (!nobody.allowed) assert.match(nobody.reason, new RegExp(`/${path}`));
  });
}

test('unknown command paths are refused', () => {
  assert.equal(
    decideAccess('nope', registry.tiers.get('nope'), { roles: [ADMIN] }, configured).allowed,
    false,
  );
});

test('custom ids round-trip and stay within 100 characters', () => {
  const id = encodeCustomId('confirm', '123456789012345678', 'add', 5);
  assert.deepEqual(decodeCustomId(id), { name: 'confirm', state: ['123456789012345678', 'add', '5'] });
  assert.throws(() => encodeCustomId('x', 'y'.repeat(100)), /exceeds 100/);
  assert.throws(() => encodeCustomId('a:b'), /must not contain/);
});
