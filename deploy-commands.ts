import { REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { ConfigError, loadConfig } from './src/config.js';
import { commandPaths } from './src/commands/loader.js';
import { loadCommands } from './src/commands/registry.js';

/**
 * `npm run deploy`: registers exactly the commands the bot handles (same
 * loader). With DISCORD_GUILD_ID the guild's commands are overwritten
 * (instant); otherwise the global ones (may take up to an hour to show).
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig('deploy');
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write('Cannot deploy commands — fix the configuration (.env or environment):\n');
      for (const problem of error.problems) process.stderr.write(`  ${problem}\n`);
      process.exit(1);
    }
    throw error;
  }

  const { commands } = loadCommands();
  const body = [...commands.values()].map((module) => module.data);
  const rest = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN!);
  const applicationId = config.DISCORD_APPLICATION_ID!;
  const route = config.DISCORD_GUILD_ID
    ? Routes.applicationGuildCommands(applicationId, config.DISCORD_GUILD_ID)
    : Routes.applicationCommands(applicationId);

  try {
    const registered = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
    const scope = config.DISCORD_GUILD_ID ? `guild ${config.DISCORD_GUILD_ID}` : 'all guilds (global)';
    process.stdout.write(`Registered ${registered.length} commands in ${scope}:\n`);
    for (const module of commands.values()) {
      for (const path of commandPaths(module)) process.stdout.write(`  /${path}\n`);
    }
    if (!config.DISCORD_GUILD_ID) process.stdout.write('Global commands can take up to an hour to appear.\n');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`Deploy failed: ${message}\n`);
    process.exit(1);
  }
}

void main();
