import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { dailyData } from './daily.js';
import { voteData } from './vote.js';
import { roleData } from './role.js';
import { gatesData } from './gates.js';
import { settingsData } from './settings.js';

/**
 * What /rewards deploys: one line per subcommand (its options live in its
 * own file). Members use some subcommands, so the command is visible to
 * everyone in a server; each path's tier (index.ts) decides who may run it.
 */
export const data = new SlashCommandBuilder()
  .setName('rewards')
  .setDescription('Coin rewards: claims, votes and their rules')
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .addSubcommand(dailyData)
  .addSubcommand(voteData)
  .addSubcommandGroup(roleData)
  .addSubcommand(gatesData)
  .addSubcommand(settingsData)
  .toJSON();
