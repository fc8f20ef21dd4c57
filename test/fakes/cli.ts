/**
 * `npm run fakes`: starts the fake Discord, Heliactyl and AtomicHost on
 * 127.0.0.1, seeds them with sample data, and prints a ready-to-paste `.env`
 * block. Then reads slash commands typed on stdin and injects them as
 * interactions, printing what the bot answered:
 *
 *   /panel status
 *   /user info id:100000000000000001
 *   /coins add id:100000000000000001 amount:500
 */
import { createInterface } from 'node:readline';
import { ApplicationCommandOptionType, type APIApplicationCommandOption } from 'discord.js';
import { FakeDiscord, type FakeInteraction } from './discord/index.js';
import { FakeHeliactyl } from './heliactyl.js';
import { FakeAtomicHost } from './atomichost/index.js';
import { loadCommands } from '../../src/commands/loader.js';

const ADMIN_ROLE = '900000000000000001';
const MODERATOR_ROLE = '900000000000000002';
const DASHBOARD_KEY = 'hl_dev_admin_key_change_me';

const [discord, heliactyl, atomichost] = await Promise.all([
  FakeDiscord.start({ callbackDeadlineMs: Infinity }),
  FakeHeliactyl.start({ apiKey: DASHBOARD_KEY, rateLimit: { limit: 100_000, windowMs: 600_000 } }),
  FakeAtomicHost.start(),
]);

heliactyl.addUser({
  id: '100000000000000001',
  coins: 1500,
  package: 'premium',
  extra: { ram: 1024, disk: 5120, cpu: 50, servers: 1 },
  username: 'steve',
  email: 'steve@example.com',
  interactions: [{ timestamp: '2026-11-01 12:00:00', action: 'User steve (100000000000000001) logged in' }],
});
const account = atomichost.addAccount({ username: 'steve', email: 'steve@example.com' });
atomichost.addService({
  name: 'Survival SMP',
  ownerId: account.id,
  state: 'running',
  files: {
    '/server.properties': 'motd=Hello from the fake\nmax-players=20\n',
    '/logs/latest.log': '[INFO] Done\n',
  },
});

const { commands } = await loadCommands();

console.log(`Fakes are up:
  Discord     REST ${discord.apiUrl}   gateway ${discord.gatewayUrl}
  Heliactyl   ${heliactyl.url}   (user 100000000000000001 seeded)
  AtomicHost  ${atomichost.url}   (account "steve", one service)

Paste into .env, then run \`npm start\` in another terminal:

DISCORD_TOKEN=${discord.botToken}
DISCORD_APPLICATION_ID=${discord.applicationId}
DISCORD_GUILD_ID=${discord.guildId}
DISCORD_API_URL=${discord.apiUrl}
HELIACTYL_URL=${heliactyl.url}
HELIACTYL_API_KEY=${DASHBOARD_KEY}
ATOMICHOST_API_URL=${atomichost.url}
ADMIN_ROLE_IDS=${ADMIN_ROLE}
MODERATOR_ROLE_IDS=${MODERATOR_ROLE}
AUDIT_CHANNEL_ID=${discord.channelId}
LOG_PRETTY=true

Sample AtomicHost key for /apikey set: ${account.key}

When the bot is connected, type a slash command here (you act as an admin), e.g.
  /panel status
  /user info id:100000000000000001
Ctrl+C stops the fakes.
`);

const OPTION_TYPES: Record<number, (raw: string) => unknown> = {
  [ApplicationCommandOptionType.Integer]: (raw) => Number.parseInt(raw, 10),
  [ApplicationCommandOptionType.Number]: (raw) => Number(raw),
  [ApplicationCommandOptionType.Boolean]: (raw) => raw === 'true',
};

/** Parses `/name [group] [sub] key:value …` using the bot's own command definitions. */
function parse(line: string): Parameters<FakeDiscord['chatInput']>[0] | string {
  const words = line.trim().replace(/^\//, '').split(/\s+/);
  const name = words.shift() ?? '';
  const command = commands.get(name);
  if (!command)
    return `Unknown command /${name}. Known: ${[...commands.keys()].map((n) => `/${n}`).join(', ')}`;
  let level: readonly APIApplicationCommandOption[] = command.data.options ?? [];
  let group: string | undefined;
  let subcommand: string | undefined;
  while (words[0] && !words[0].includes(':')) {
    const word = words.shift()!;
    const option = level.find((o) => o.name === word);
    if (!option || !('options' in option)) return `/${name} has no subcommand "${word}"`;
    if (option.type === ApplicationCommandOptionType.SubcommandGroup) group = word;
    else subcommand = word;
    level = option.options ?? [];
  }
  const options = words.map((word) => {
    const [key = '', ...rest] = word.split(':');
    const raw = rest.join(':');
    const type = level.find((o) => o.name === key)?.type ?? ApplicationCommandOptionType.String;
    return { name: key, type, value: (OPTION_TYPES[type] ?? String)(raw) };
  });
  return { name, group, subcommand, options, roles: [ADMIN_ROLE] };
}

interface ShownEmbed {
  title?: string;
  description?: string;
  fields?: Array<{ name: string; value: string }>;
  footer?: { text: string };
}

/** Prints the bot's answer the way Discord lays it out, as plain text. */
function show(interaction: FakeInteraction): void {
  const message = interaction.original;
  if (!message) return;
  if (message.content) console.log(message.content);
  for (const embed of message.embeds as ShownEmbed[]) {
    if (embed.title) console.log(`== ${embed.title}`);
    if (embed.description) console.log(embed.description);
    for (const field of embed.fields ?? [])
      console.log(`  ${field.name}: ${field.value.replace(/\n/g, '\n    ')}`);
    if (embed.footer) console.log(`  -- ${embed.footer.text}`);
  }
  const buttons = (
    message.components as Array<{ components?: Array<{ label?: string; custom_id?: string }> }>
  )
    .flatMap((row) => row.components ?? [])
    .map((button) => `[${button.label ?? '?'}]`);
  if (buttons.length > 0) console.log(`  buttons: ${buttons.join(' ')}`);
}

const prompt = createInterface({ input: process.stdin, output: process.stdout, prompt: 'hostlink> ' });
prompt.prompt();
prompt.on('line', (line) => {
  if (!line.trim()) return prompt.prompt();
  const parsed = parse(line);
  if (typeof parsed === 'string') {
    console.log(parsed);
    return prompt.prompt();
  }
  const interaction = discord.chatInput(parsed);
  interaction
    .waitFor(
      () => (interaction.original?.embeds.length ?? 0) > 0 || Boolean(interaction.original?.content),
      15_000,
    )
    .then(() => show(interaction))
    .catch(() => console.log('(no answer yet — is the bot running and connected?)'))
    .finally(() => prompt.prompt());
});

async function shutdown(): Promise<void> {
  prompt.close();
  await Promise.allSettled([discord.close(), heliactyl.close(), atomichost.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
