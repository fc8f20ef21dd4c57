import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCommands } from '../../src/commands/registry.js';
import { allowedEntries, commandCatalog } from '../../src/commands/catalog.js';
import { helpFields } from '../../src/commands/help-fields.js';
import { parseConfig } from '../../src/config.js';

const MOD = '300000000000000002';
const config = parseConfig({ DISCORD_TOKEN: 't', MODERATOR_ROLE_IDS: MOD }, 'bot');

test('issue10 item 10: the /help catalog holds every command path the loader registers, with its tier', async () => {
  const { commands, tiers } = loadCommands();
  const catalog = commandCatalog(commands.values(), tiers);
  assert.deepEqual(catalog.map((e) => e.path).sort(), [...tiers.keys()].sort());
  assert.ok(catalog.every((e) => e.description.length > 0));
  assert.deepEqual(
    catalog.find((e) => e.path === 'help'),
    { path: 'help', description: 'What Hostlink does and the commands you can use', tier: 'user' },
  );
});

test('issue10 item 10: in a DM, or without a moderator role, /help lists only the user commands', async () => {
  const { commands, tiers } = loadCommands();
  const catalog = commandCatalog(commands.values(), tiers);
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

test('issue10 item 10: a /help list that outgrows an embed drops the descriptions, never the commands', () => {
  const entries = Array.from({ length: 60 }, (_, i) => ({
    path: `cmd${Math.floor(i / 4)} sub${i % 4}`,
    description: `A long description of what subcommand ${i} does, written out to use up the room `.repeat(2),
    tier: i % 3 === 0 ? ('admin' as const) : ('user' as const),
  }));
  const fields = helpFields(entries);
  const size = fields.reduce((total, f) => total + f.name.length + f.value.length, 0);
  assert.ok(size <= 4_800, `within the embed budget: ${size}`);
  assert.equal(fields.length, 15);
  assert.equal(fields[0]!.name, '/cmd0');
  assert.equal(
    fields[0]!.value,
    '`/cmd0 sub0` *(admin)*\n`/cmd0 sub1`\n`/cmd0 sub2`\n`/cmd0 sub3` *(admin)*',
  );

  const short = helpFields(entries.slice(0, 2));
  assert.equal(short[0]!.value.split('\n')[1], `\`/cmd0 sub1\` — ${entries[1]!.description.slice(0, 89)}…`);
});
