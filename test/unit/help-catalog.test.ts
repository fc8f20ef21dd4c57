import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCommands } from '../../src/commands/loader.js';
import { allowedEntries, commandCatalog } from '../../src/commands/catalog.js';
import { parseConfig } from '../../src/config.js';
import { COMMAND_TIERS } from '../../src/policy/tiers.js';

const MOD = '300000000000000002';
const config = parseConfig({ DISCORD_TOKEN: 't', MODERATOR_ROLE_IDS: MOD }, 'bot');

test('issue10 item 10: the /help catalog holds every command path the loader registers, with its tier', async () => {
  const { commands } = await loadCommands();
  const catalog = commandCatalog(commands.values());
  assert.deepEqual(catalog.map((e) => e.path).sort(), Object.keys(COMMAND_TIERS).sort());
  assert.ok(catalog.every((e) => e.description.length > 0));
  assert.deepEqual(
    catalog.find((e) => e.path === 'help'),
    { path: 'help', description: 'What Hostlink does and the commands you can use', tier: 'user' },
  );
});

test('issue10 item 10: in a DM, or without a moderator role, /help lists only the user commands', async () => {
  const catalog = commandCatalog((await loadCommands()).commands.values());
  for (const roles of [null, [], ['300000000000000009']]) {
    const shown = allowedEntries(catalog, { roles }, config);
    assert.ok(shown.length > 0);
    assert.ok(
      shown.every((e) => e.tier === 'user'),
      `roles ${JSON.stringify(roles)}`,
    );
  }
  const moderator = allowedEntries(catalog, { roles: [MOD] }, config);
  assert.ok(moderator.some((e) => e.path === 'ban'));
  assert.ok(!moderator.some((e) => e.tier === 'admin'), 'admin commands only for admins');
});
