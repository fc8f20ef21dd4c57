import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config.js';
import { decideAccess } from '../../src/policy/access.js';
import { COMMAND_TIERS } from '../../src/policy/tiers.js';
import { commandPaths, loadCommands } from '../../src/commands/loader.js';
import { decodeCustomId, encodeCustomId } from '../../src/bot/custom-id.js';

const ADMIN = '100000000000000001';
const MOD = '100000000000000002';
const OTHER = '100000000000000003';
const configured = parseConfig({ DISCORD_TOKEN: 't', ADMIN_ROLE_IDS: ADMIN, MODERATOR_ROLE_IDS: MOD }, 'bot');
const unconfigured = parseConfig({ DISCORD_TOKEN: 't' }, 'bot');

const tiers = Object.entries(COMMAND_TIERS);

test('every command path has a tier and every tier path exists', async () => {
  const { commands } = await loadCommands();
  const deployed = [...commands.values()].flatMap(commandPaths).sort();
  assert.deepEqual(deployed, Object.keys(COMMAND_TIERS).sort());
});

for (const [path, tier] of tiers) {
  test(`/${path} (${tier}) follows the role policy`, () => {
    const admin = decideAccess(path, { roles: [OTHER, ADMIN] }, configured);
    const mod = decideAccess(path, { roles: [MOD] }, configured);
    const nobody = decideAccess(path, { roles: [OTHER] }, configured);
    const noRolesConfigured = decideAccess(path, { roles: [ADMIN] }, unconfigured);
    const inDm = decideAccess(path, { roles: null }, configured);
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
  assert.equal(decideAccess('nope', { roles: [ADMIN] }, configured).allowed, false);
});

test('custom ids round-trip and stay within 100 characters', () => {
  const id = encodeCustomId('confirm', '123456789012345678', 'add', 5);
  assert.deepEqual(decodeCustomId(id), { name: 'confirm', state: ['123456789012345678', 'add', '5'] });
  assert.throws(() => encodeCustomId('x', 'y'.repeat(100)), /exceeds 100/);
  assert.throws(() => encodeCustomId('a:b'), /must not contain/);
});
