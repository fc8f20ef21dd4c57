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
  /apikey set            then  :form key=<the sample key above>
  /console stream server:<id from /server list>
Buttons: :press N (N as listed); forms: :form field=value …; :show reprints the last answer.
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
  // Values run until the next `name:` so they may contain spaces (`command:say hello`).
  const rest = words.join(' ');
  const options = [...rest.matchAll(/([a-z_]+):(.*?)(?=\s+[a-z_]+:|$)/g)].map(([, key = '', raw = '']) => {
    const type = level.find((o) => o.name === key)?.type ?? ApplicationCommandOptionType.String;
    return { name: key, type, value: (OPTION_TYPES[type] ?? String)(raw.trim()) };
  });
  return { name, group, subcommand, options, roles: [ADMIN_ROLE] };
}

interface ShownEmbed {
  title?: string;
  description?: string;
  fields?: Array<{ name: string; value: string }>;
  footer?: { text: string };
}

interface ShownButton {
  label?: string;
  custom_id?: string;
  url?: string;
  disabled?: boolean;
}

/** What the last answer offers: its message (for buttons) and a form waiting to be filled. */
let lastMessage: { id: string; buttons: ShownButton[] } | undefined;
let pendingForm: { customId: string; fields: string[] } | undefined;

function printEmbeds(embeds: ShownEmbed[]): void {
  for (const embed of embeds) {
    if (embed.title) console.log(`== ${embed.title}`);
    if (embed.description) console.log(embed.description);
    for (const field of embed.fields ?? [])
      console.log(`  ${field.name}: ${field.value.replace(/\n/g, '\n    ')}`);
    if (embed.footer) console.log(`  -- ${embed.footer.text}`);
  }
}

/** Text inputs of a modal, whatever layout (action rows or labels) it uses. */
function formFields(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((child) => formFields(child, found));
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 4 && typeof record.custom_id === 'string') found.push(record.custom_id);
    for (const value of Object.values(record)) if (typeof value === 'object') formFields(value, found);
  }
  return found;
}

/** Prints the bot's answer the way Discord lays it out, as plain text. */
function show(interaction: FakeInteraction): void {
  const modal = interaction.callbacks.find((c) => c.type === 9)?.data as
    { custom_id: string; title?: string; components?: unknown } | undefined;
  if (modal) {
    pendingForm = { customId: modal.custom_id, fields: formFields(modal.components) };
    console.log(
      `The bot opened a form "${modal.title ?? ''}" with field(s): ${pendingForm.fields.join(', ')}`,
    );
    console.log(`Fill it in with  :form ${pendingForm.fields.map((f) => `${f}=…`).join(' ')}`);
    return;
  }
  const message = interaction.original;
  if (message) {
    if (message.content) console.log(message.content);
    printEmbeds(message.embeds as ShownEmbed[]);
    const buttons = (message.components as Array<{ components?: ShownButton[] }>).flatMap(
      (row) => row.components ?? [],
    );
    lastMessage = { id: message.id, buttons };
    if (buttons.length > 0) {
      const labels = buttons.map((b, i) =>
        b.url ? `[${b.label} → ${b.url}]` : `[${i + 1}: ${b.label}${b.disabled ? ' (disabled)' : ''}]`,
      );
      console.log(`  buttons: ${labels.join(' ')}   (press with :press N)`);
    }
  }
  for (const followUp of interaction.followUps) {
    if (followUp.content) console.log(followUp.content);
    printEmbeds(followUp.embeds as ShownEmbed[]);
    for (const file of followUp.attachments)
      console.log(`  attachment: ${file.filename} (${file.size} bytes)`);
  }
}

let lastInteraction: FakeInteraction | undefined;

/** Waits for the first answer, lets edits settle briefly, then prints. */
async function answer(interaction: FakeInteraction): Promise<void> {
  lastInteraction = interaction;
  try {
    await interaction.waitForCallback(15_000);
    await interaction.waitFor(
      () =>
        interaction.callbacks.some((c) => c.type === 9) ||
        (interaction.original?.embeds.length ?? 0) > 0 ||
        Boolean(interaction.original?.content) ||
        interaction.followUps.length > 0,
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    show(interaction);
  } catch {
    console.log('(no answer yet — is the bot running and connected?)');
  }
}

/** `:press N`, `:form key=value …`, `:show`: the parts of Discord a slash command cannot reach. */
function control(line: string): FakeInteraction | string | undefined {
  const [verb = '', ...args] = line.trim().slice(1).split(/\s+/);
  if (verb === 'show') {
    if (lastInteraction) show(lastInteraction);
    return undefined;
  }
  if (verb === 'press') {
    const button = lastMessage?.buttons[Number(args[0]) - 1];
    if (!lastMessage || !button?.custom_id) return 'No such button on the last answer.';
    return discord.button({ customId: button.custom_id, messageId: lastMessage.id, roles: [ADMIN_ROLE] });
  }
  if (verb === 'form') {
    if (!pendingForm) return 'No form is open.';
    const fields = Object.fromEntries(
      args.map((pair) => {
        const [key = '', ...rest] = pair.split('=');
        return [key, rest.join('=')];
      }),
    );
    const form = pendingForm;
    pendingForm = undefined;
    return discord.modalSubmit({ customId: form.customId, fields, roles: [ADMIN_ROLE] });
  }
  return 'Unknown control; use :press N, :form key=value …, or :show';
}

const prompt = createInterface({ input: process.stdin, output: process.stdout, prompt: 'hostlink> ' });
prompt.prompt();
prompt.on('line', (line) => {
  if (!line.trim()) return prompt.prompt();
  const parsed = line.trim().startsWith(':') ? control(line) : parse(line);
  if (parsed === undefined) return prompt.prompt();
  if (typeof parsed === 'string') {
    console.log(parsed);
    return prompt.prompt();
  }
  const interaction = 'token' in parsed ? parsed : discord.chatInput(parsed);
  void answer(interaction).finally(() => prompt.prompt());
});

async function shutdown(): Promise<void> {
  prompt.close();
  await Promise.allSettled([discord.close(), heliactyl.close(), atomichost.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
