import type {
  APIEmbed,
  ChatInputCommandInteraction,
  SlashCommandBooleanOption,
  SlashCommandStringOption,
} from 'discord.js';
import { defineCommand } from '../src/commands/types.js';
import type { Context } from '../src/context.js';
import { defer, respond } from '../src/bot/respond.js';
import { Colors } from '../src/bot/style.js';
import { UserError } from '../src/errors.js';
import { POWER_SIGNALS, type PowerSignal, type ServerSummary } from '../src/atomichost/schemas.js';
import { userApi } from '../src/user/api.js';
import { definePowerFlow, serverTitle } from '../src/user/power.js';
import { autocompleteUserOption, serverOption, userCommand, chosenServerId } from '../src/user/options.js';
import { withCredits } from '../src/user/footer.js';
import { lookUpPowerStates } from '../src/user/power-states.js';
import { clipLine, clipList, discordDate, formatBytes, formatDuration, plain } from '../src/text.js';
import { ChannelType } from 'discord.js';
import { watch, watchConfirmation } from '../src/watch/commands/watch.js';
import { unwatch } from '../src/watch/commands/unwatch.js';
import { schedule, scheduleConfirmation } from '../src/watch/commands/schedule.js';
import { schedules, scheduleCancelButton } from '../src/watch/commands/schedules.js';
import { remind } from '../src/watch/commands/remind.js';

const publicOption = (o: SlashCommandBooleanOption) =>
  o.setName('public').setDescription('Show the answer to everyone in the channel (default: only you)');

/** The power signal, shared by /server power and /server schedule (only the kill label differs). */
function signalOption(killLabel: string) {
  return (o: SlashCommandStringOption) =>
    o
      .setName('signal')
      .setDescription('What to do')
      .setRequired(true)
      .addChoices(
        { name: 'start', value: 'start' },
        { name: 'stop', value: 'stop' },
        { name: 'restart', value: 'restart' },
        { name: killLabel, value: 'kill' },
      );
}

const data = userCommand('server', 'Your AtomicHost servers')
  .addSubcommand((sub) =>
    sub
      .setName('list')
      .setDescription('List the servers your API key can reach')
      .addBooleanOption(publicOption),
  )
  .addSubcommand((sub) =>
    sub
      .setName('info')
      .setDescription("A server's details: package, your role and permissions")
      .addStringOption(serverOption)
      .addBooleanOption(publicOption),
  )
  .addSubcommand((sub) =>
    sub
      .setName('status')
      .setDescription("A server's power state and resource usage")
      .addStringOption(serverOption)
      .addBooleanOption(publicOption),
  )
  .addSubcommand((sub) =>
    sub
      .setName('power')
      .setDescription('Start, stop, restart or kill a server')
      .addStringOption(serverOption)
      .addStringOption(signalOption('kill (stop immediately, without saving)')),
  )
  .addSubcommand((sub) =>
    sub
      .setName('watch')
      .setDescription(
        'A status panel in a channel, edited in place, with alerts (costs credits: shown first)',
      )
      .addStringOption(serverOption)
      .addChannelOption((o) =>
        o
          .setName('channel')
          .setDescription('Where the panel goes')
          .setRequired(true)
          .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
      )
      .addStringOption((o) =>
        o.setName('interval').setDescription('How often to check, at least 1m (default 5m)').setMaxLength(20),
      )
      .addRoleOption((o) =>
        o.setName('alert_role').setDescription('Role pinged when the server goes down or up'),
      ),
  )
  .addSubcommand((sub) =>
    sub.setName('unwatch').setDescription("Remove a server's status panel").addStringOption(serverOption),
  )
  .addSubcommand((sub) =>
    sub
      .setName('schedule')
      .setDescription('Schedule a start, stop, restart or kill')
      .addStringOption(serverOption)
      .addStringOption(signalOption('kill'))
      .addStringOption((o) =>
        o.setName('in').setDescription('After how long, e.g. 30m or 2h').setMaxLength(20),
      )
      .addStringOption((o) =>
        o.setName('at').setDescription('When, as an ISO date (2026-07-01T18:00:00Z)').setMaxLength(40),
      )
      .addBooleanOption((o) =>
        o
          .setName('warn')
          .setDescription('Announce it in the game console 10 min, 5 min, 1 min and 10 s before'),
      ),
  )
  .addSubcommand((sub) =>
    sub.setName('schedules').setDescription('Your scheduled power actions, with Cancel buttons'),
  )
  .addSubcommand((sub) =>
    sub
      .setName('remind')
      .setDescription('A DM before the renewal due date')
      .addStringOption(serverOption)
      .addStringOption((o) =>
        o.setName('before').setDescription('How long before, e.g. 3d (default), or off').setMaxLength(20),
      ),
  )
  .toJSON();

const STATE_ICONS: Record<string, string> = {
  running: '🟢',
  starting: '🟡',
  stopping: '🟠',
  offline: '🔴',
};

/** " · 🟢 running" when looked up, " · ⚪ state unknown" when the lookup failed, "" when not looked up. */
function powerText(states: Map<number, string | undefined>, id: number): string {
  if (!states.has(id)) return '';
  const state = states.get(id);
  return state === undefined ? ' · ⚪ state unknown' : ` · ${STATE_ICONS[state] ?? '⚪'} ${plain(state, 30)}`;
}

function summaryLine(s: ServerSummary, states: Map<number, string | undefined>): string {
  const pkg = s.package ? ` · ${plain(s.package.name, 60)}` : '';
  const due = s.due_date ? ` · due ${discordDate(s.due_date, 'D')}` : '';
  return `**${plain(s.name)}** · \`#${s.id}\`${powerText(states, s.id)} · ${plain(s.status, 30)} · ${plain(s.role, 20)}${pkg}${due}`;
}

/** Description lines that fit in an embed, with how many were left out. */
function fitLines(lines: string[], max = 3900): string {
  return clipList(lines, max).join('\n');
}

async function list(interaction: ChatInputCommandInteraction, ctx: Context, ephemeral: boolean) {
  await defer(interaction, { ephemeral });
  const api = await userApi(interaction.user, ctx);
  const { data: servers, limits: listLimits } = await api.listServers();
  ctx.userCaches.servers.set(interaction.user.id, servers);
  const power = await lookUpPowerStates(api, servers);
  const unlooked = servers.length - power.looked;
  const embed: APIEmbed = {
    title: 'Your servers',
    color: Colors.info,
    description:
      servers.length === 0
        ? 'Your API key reaches no servers yet. Servers you own or that are shared with you appear here.'
        : fitLines(servers.map((s) => summaryLine(s, power.states))),
    ...(unlooked > 0
      ? { footer: { text: `Power state shown for the first ${power.looked} (1 credit each)` } }
      : {}),
  };
  await respond(interaction, { embeds: [withCredits(embed, power.limits ?? listLimits)] });
}

async function info(interaction: ChatInputCommandInteraction, ctx: Context, ephemeral: boolean) {
  const serverId = chosenServerId(interaction, ctx);
  await defer(interaction, { ephemeral });
  const api = await userApi(interaction.user, ctx);
  const { data: s, limits } = await api.getServer(serverId);
  const features = s.features
    ? Object.entries(s.features)
        .map(([name, on]) => `${on ? '✅' : '❌'} ${name}`)
        .join(' · ')
    : 'unknown';
  const embed: APIEmbed = {
    title: clipLine(s.name, 200),
    color: Colors.info,
    fields: [
      { name: 'ID', value: `\`${s.id}\``, inline: true },
      { name: 'Status', value: plain(s.status, 50), inline: true },
      { name: 'Your role', value: plain(s.role, 50), inline: true },
      { name: 'Package', value: s.package ? plain(s.package.name) : '—', inline: true },
      { name: 'Type', value: plain(s.service, 50), inline: true },
      { name: 'Created', value: discordDate(s.created_at, 'D'), inline: true },
      { name: 'Due', value: discordDate(s.due_date, 'D'), inline: true },
      { name: 'Features', value: features, inline: false },
      ...(s.permissions
        ? [
            {
              name: 'Your permissions',
              value: s.permissions.length ? s.permissions.map((p) => plain(p, 40)).join(', ') : 'none',
              inline: false,
            },
          ]
        : []),
    ],
  };
  await respond(interaction, { embeds: [withCredits(embed, limits)] });
}

async function status(interaction: ChatInputCommandInteraction, ctx: Context, ephemeral: boolean) {
  const serverId = chosenServerId(interaction, ctx);
  await defer(interaction, { ephemeral });
  const api = await userApi(interaction.user, ctx);
  const { data: st, limits } = await api.getStatus(serverId);
  const r = st.resources;
  const memory = r.memory_limit_bytes
    ? `${formatBytes(r.memory_bytes)} of ${formatBytes(r.memory_limit_bytes)}`
    : formatBytes(r.memory_bytes);
  const disk = r.disk_limit_bytes
    ? `${formatBytes(r.disk_bytes)} of ${formatBytes(r.disk_limit_bytes)}`
    : formatBytes(r.disk_bytes);
  const fields = [
    { name: 'State', value: `${STATE_ICONS[st.state] ?? '⚪'} ${plain(st.state, 40)}`, inline: true },
    { name: 'Suspended', value: st.is_suspended ? '⛔ yes' : 'no', inline: true },
    { name: 'Memory', value: memory, inline: true },
    { name: 'CPU', value: `${r.cpu_absolute.toFixed(1)} %`, inline: true },
    { name: 'Disk', value: disk, inline: true },
  ];
  if (r.network_rx_bytes !== undefined && r.network_tx_bytes !== undefined) {
    fields.push({
      name: 'Network',
      value: `↓ ${formatBytes(r.network_rx_bytes)} · ↑ ${formatBytes(r.network_tx_bytes)}`,
      inline: true,
    });
  }
  if (r.uptime !== undefined && st.state === 'running') {
    fields.push({ name: 'Uptime', value: formatDuration(r.uptime), inline: true });
  }
  const embed: APIEmbed = {
    title: `Status of ${serverTitle(ctx, interaction.user.id, serverId)}`,
    color: st.is_suspended ? Colors.error : st.state === 'running' ? Colors.success : Colors.neutral,
    fields,
  };
  await respond(interaction, { embeds: [withCredits(embed, limits)] });
}

const powerFlow = definePowerFlow({
  name: 'server-power',
  commandPath: 'server power',
  hint: ' Check it with `/server status`.',
});

async function power(interaction: ChatInputCommandInteraction, ctx: Context) {
  const serverId = chosenServerId(interaction, ctx);
  const signal = interaction.options.getString('signal', true);
  if (!(POWER_SIGNALS as readonly string[]).includes(signal)) {
    throw new UserError(`The signal must be one of ${POWER_SIGNALS.join(', ')}.`, 'Invalid signal');
  }
  const typed = signal as PowerSignal;
  if (typed === 'start') return powerFlow.send(interaction, ctx, { serverId, signal: typed });
  await powerFlow.ask(interaction, ctx, { serverId, signal: typed });
}

/** Answers are private unless the caller asked for `public:true`. */
function isPrivate(interaction: ChatInputCommandInteraction): boolean {
  return !interaction.options.getBoolean('public');
}

export default defineCommand({
  data,
  subcommands: {
    list: { tier: 'user', run: (interaction, ctx) => list(interaction, ctx, isPrivate(interaction)) },
    info: { tier: 'user', run: (interaction, ctx) => info(interaction, ctx, isPrivate(interaction)) },
    status: { tier: 'user', run: (interaction, ctx) => status(interaction, ctx, isPrivate(interaction)) },
    power: { tier: 'user', run: power },
    watch: { tier: 'user', run: watch },
    unwatch: { tier: 'user', run: unwatch },
    schedule: { tier: 'user', run: schedule },
    schedules: { tier: 'user', run: schedules },
    remind: { tier: 'user', run: remind },
  },
  autocomplete: autocompleteUserOption,
  components: [
    powerFlow.component,
    watchConfirmation.component,
    scheduleConfirmation.component,
    scheduleCancelButton,
  ],
});
