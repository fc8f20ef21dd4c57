import { InteractionContextType, SlashCommandBuilder } from 'discord.js';

/**
 * What /rewards deploys (one subcommand per file in this folder). Guild-only;
 * no default member permission, since members use some of its subcommands:
 * the bot checks each subcommand's tier itself.
 */
export const data = new SlashCommandBuilder()
  .setName('rewards')
  .setDescription('Coin rewards: the ledger, reward rules and codes')
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((sub) =>
    sub.setName('queue').setDescription('Grants not yet paid: state, age, and re-checks of unknown ones'),
  )
  .toJSON();
