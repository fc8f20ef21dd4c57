// The yardstick of bench/footprint: a bare discord.js client with the Guilds
// intent and default caches, answering each interaction with a defer and an
// edit (what the bot does for /panel status, minus the dashboard call).
// Plain JavaScript under plain node, like the compiled bot.
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';

const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  rest: { api: process.env.DISCORD_API_URL },
});
client.once(Events.ClientReady, () => console.log(JSON.stringify({ msg: 'ready' })));
client.on(Events.InteractionCreate, async (interaction) => {
  if (!interaction.isChatInputCommand()) return;
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await interaction.editReply({ content: 'ok' });
  } catch (error) {
    console.error(error);
  }
});
process.on('SIGTERM', () => void client.destroy().finally(() => process.exit(0)));
await client.login(process.env.DISCORD_TOKEN);
