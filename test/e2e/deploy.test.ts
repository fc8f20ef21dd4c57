import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeDiscord } from '../fakes/discord/index.js';
import { startProcess } from '../helpers/bot-process.js';

let discord: FakeDiscord;
before(async () => {
  discord = await FakeDiscord.start();
});
after(async () => {
  await discord.close();
});

function deploy(env: Record<string, string>) {
  return startProcess(
    {
      DISCORD_TOKEN: discord.botToken,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      ...env,
    },
    { script: 'deploy-commands.ts' },
  );
}

function names(commands: unknown[] | undefined): string[] {
  return (commands ?? []).map((c) => (c as { name: string }).name).sort();
}

test('with DISCORD_GUILD_ID: one bulk overwrite of that guild, printed', async () => {
  const run = deploy({ DISCORD_GUILD_ID: discord.guildId });
  assert.equal(await run.waitForExit(), 0, run.stderr());
  const puts = discord.requests.filter((r) => r.method === 'PUT');
  assert.equal(puts.length, 1);
  assert.equal(
    puts[0]?.path,
    `/api/v10/applications/${discord.applicationId}/guilds/${discord.guildId}/commands`,
  );
  const registered = discord.commands.guild.get(discord.guildId);
  assert.ok(names(registered).includes('panel'));
  const panel = registered?.find((c) => (c as { name: string }).name === 'panel') as {
    default_member_permissions: string;
    contexts: number[];
  };
  assert.equal(
    panel.default_member_permissions,
    String(1n << 40n),
    'moderator commands need Moderate Members by default',
  );
  assert.deepEqual(panel.contexts, [0], 'moderator commands are guild-only');
  assert.match(
    run.stdout(),
    new RegExp(`Registered ${registered?.length} commands in guild ${discord.guildId}`),
  );
  assert.match(run.stdout(), /\/panel status/);
  assert.deepEqual(discord.violations, []);
});

test('issue10 item 10: /help is deployed by the shared loader, for everyone, in servers and DMs', async () => {
  const run = deploy({ DISCORD_GUILD_ID: discord.guildId });
  assert.equal(await run.waitForExit(), 0, run.stderr());
  const help = discord.commands.guild
    .get(discord.guildId)
    ?.find((c) => (c as { name: string }).name === 'help') as
    { contexts: number[]; default_member_permissions?: string | null } | undefined;
  assert.ok(help, '/help was registered');
  assert.deepEqual(help.contexts, [0, 1], 'in servers and in DMs with the bot');
  assert.equal(help.default_member_permissions ?? null, null, 'not hidden from members');
  assert.match(run.stdout(), /^ {2}\/help$/m);
});

test('without DISCORD_GUILD_ID: global overwrite', async () => {
  const run = deploy({});
  assert.equal(await run.waitForExit(), 0, run.stderr());
  assert.ok(names(discord.commands.global).includes('panel'));
  assert.match(run.stdout(), /commands in all guilds \(global\)/);
  assert.match(run.stdout(), /up to an hour/);
});

test('a Discord failure exits 1 with the reason', async () => {
  discord.faults.add({
    fault: { kind: 'status', status: 401, body: JSON.stringify({ message: '401: Unauthorized', code: 0 }) },
    method: 'PUT',
    times: 1,
  });
  const run = deploy({ DISCORD_GUILD_ID: discord.guildId });
  assert.equal(await run.waitForExit(), 1);
  assert.match(run.stderr(), /Deploy failed: .*Unauthorized/);
  assert.ok(!run.stderr().includes(discord.botToken));
});
