import {
  ComponentType,
  TextInputStyle,
  type APIEmbed,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { defineCommand } from '../src/commands/types.js';
import { beginUserAction } from '../src/user/action.js';
import type { Context } from '../src/context.js';
import { NO_MENTIONS, respond } from '../src/bot/respond.js';
import { Colors } from '../src/bot/style.js';
import { UserError } from '../src/errors.js';
import type { Limits } from '../src/atomichost/limits.js';
import { definePowerFlow, serverLabel } from '../src/user/power.js';
import { withCredits } from '../src/user/footer.js';
import { codeSpan } from '../src/text.js';
import { autocompleteUserOption, serverOption, userCommand, chosenServerId } from '../src/user/options.js';
import {
  CONSOLE_COMPONENT,
  consoleCustomId,
  parseConsoleState,
  type ConsoleButtonState,
} from '../src/console/view.js';
import { logSummaryText } from '../src/console/view-log.js';

/** AtomicHost takes console commands of at most this many characters. */
const COMMAND_MAX = 1000;

const data = userCommand('console', 'Live console of your AtomicHost servers')
  .addSubcommand((sub) =>
    sub
      .setName('stream')
      .setDescription('Watch a server’s console live, send commands and power signals (5 credits)')
      .addStringOption(serverOption)
      .addBooleanOption((o) =>
        o
          .setName('public')
          .setDescription('Show the console to everyone in the channel (only you can use its buttons)'),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('send')
      .setDescription('Send one command to a server’s console (no stream needed)')
      .addStringOption(serverOption)
      .addStringOption((o) =>
        o
          .setName('command')
          .setDescription('The command, as typed in the console')
          .setRequired(true)
          .setMaxLength(COMMAND_MAX),
      ),
  )
  .toJSON();

/** Keeps the footers of the user's live consoles for this server current. */
function noteCredits(ctx: Context, userId: string, serverId: string, limits: Limits): void {
  const session = ctx.consoles.sessionOf(userId, serverId);
  if (session && limits.credits) session.noteLimits(limits);
}

async function sendCommand(
  interaction: ChatInputCommandInteraction | ModalSubmitInteraction,
  ctx: Context,
  serverId: string,
  raw: string,
): Promise<void> {
  const command = raw.trim();
  if (command === '') throw new UserError('Type a command to send.', 'Empty command');
  if (command.length > COMMAND_MAX) {
    throw new UserError(`A console command can be at most ${COMMAND_MAX} characters.`, 'Command too long');
  }
  const api = await beginUserAction(interaction, ctx);
  const { data: result, limits } = await api.sendCommand(serverId, command);
  noteCredits(ctx, interaction.user.id, serverId, limits);
  // Echoed into private messages only: a command can hold a secret (`authme register <password>`).
  if (result.sent !== false) {
    ctx.consoles.sessionOf(interaction.user.id, serverId)?.notice(`> ${command}`, { privateOnly: true });
  }
  const embed: APIEmbed =
    result.sent === false
      ? {
          title: 'Command not sent',
          description: `AtomicHost did not send ${codeSpan(command)} to ${serverLabel(ctx, interaction.user.id, serverId)}.`,
          color: Colors.warning,
        }
      : {
          title: 'Command sent',
          description: `${codeSpan(command)} was sent to ${serverLabel(ctx, interaction.user.id, serverId)}.`,
          color: Colors.success,
        };
  await respond(interaction, { embeds: [withCredits(embed, limits)] });
}

const powerFlow = definePowerFlow({
  name: 'console-power',
  commandPath: 'console stream',
  onLimits: noteCredits,
});

/**
 * Refuses anyone but `ownerId`. The custom id's invoker is only a first
 * fence: buttons that act on a stored console check the invoker the bot
 * stored with it, since a client can send any custom id.
 */
function refuseStrangers(interaction: ButtonInteraction | ModalSubmitInteraction, ownerId: string): void {
  if (interaction.user.id !== ownerId) {
    throw new UserError(
      `Only <@${ownerId}>, who opened this console, can use its buttons. Open your own with \`/console stream\`.`,
      'Not your console',
    );
  }
}

async function showCommandModal(interaction: ButtonInteraction, state: ConsoleButtonState): Promise<void> {
  await interaction.showModal({
    custom_id: consoleCustomId({ ...state, action: 'cmdsubmit' }),
    title: `Send a command to #${state.serverId}`.slice(0, 45),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: 'command',
            label: 'Command',
            style: TextInputStyle.Short,
            required: true,
            max_length: COMMAND_MAX,
            placeholder: 'say Hello from Discord',
          },
        ],
      },
    ],
  });
}

async function stopStream(
  interaction: ButtonInteraction,
  ctx: Context,
  state: ConsoleButtonState,
): Promise<void> {
  const view = ctx.consoles.view(state.id);
  if (view) refuseStrangers(interaction, view.invokerId);
  if (!view || view.isOver) {
    throw new UserError('This console has already ended.', 'Already ended');
  }
  await interaction.deferUpdate();
  await ctx.consoles.endView(view, { text: 'You stopped the stream.', reconnect: true });
}

async function downloadLog(
  interaction: ButtonInteraction,
  ctx: Context,
  state: ConsoleButtonState,
): Promise<void> {
  const view = ctx.consoles.view(state.id);
  if (!view) {
    throw new UserError(
      'The log of this console is no longer kept: logs stay in memory for 15 minutes after a console ends, and are lost when the bot restarts.',
      'Log not available',
    );
  }
  refuseStrangers(interaction, view.invokerId);
  const api = await beginUserAction(interaction, ctx);
  // Checked again at the press, on the console's own server: the log is console output.
  const { data: server, limits } = await api.getServer(view.serverId);
  if (server.permissions && !server.permissions.includes('console')) {
    throw new UserError(
      "You don't have the console permission on this server any more, so its log can't be downloaded.",
      'No console access',
    );
  }
  const file = ctx.consoles.logFile(view);
  const kept = logSummaryText(view.log.summary());
  await respond(interaction, {
    embeds: [withCredits({ title: 'Console log', description: kept, color: Colors.info }, limits)],
    files: [{ attachment: file.data, name: file.name }],
  });
}

async function stopSession(
  interaction: ButtonInteraction,
  ctx: Context,
  state: ConsoleButtonState,
): Promise<void> {
  const session = ctx.consoles.sessionById(state.id);
  let note: string;
  if (session && session.userId === interaction.user.id) {
    void ctx.consoles.endSession(session, {
      text: 'Stopped from the list of open streams.',
      reconnect: true,
    });
    note = `Stopped the stream of ${serverLabel(ctx, interaction.user.id, session.serverId)}. Run \`/console stream\` again to open a new one.`;
  } else {
    note = 'That stream had already ended.';
  }
  const answer = ctx.consoles.limitAnswer(interaction.user.id, undefined, note);
  await interaction.update({ ...answer, allowedMentions: NO_MENTIONS });
}

async function onButton(interaction: ButtonInteraction, raw: string[], ctx: Context): Promise<void> {
  const state = parseConsoleState(raw);
  if (!state) throw new UserError('This button is no longer handled by the bot.');
  refuseStrangers(interaction, state.invokerId);
  switch (state.action) {
    case 'cmd':
      return showCommandModal(interaction, state);
    case 'start':
    case 'restart':
      return powerFlow.send(interaction, ctx, { serverId: state.serverId, signal: state.action });
    case 'stop':
    case 'kill':
      return powerFlow.ask(interaction, ctx, { serverId: state.serverId, signal: state.action });
    case 'close':
      return stopStream(interaction, ctx, state);
    case 'reconnect':
      return ctx.consoles.reconnect(interaction, {
        viewId: state.id,
        serverId: state.serverId,
        isPublic: state.isPublic,
      });
    case 'log':
      return downloadLog(interaction, ctx, state);
    case 'stopsession':
      return stopSession(interaction, ctx, state);
    default:
      throw new UserError('This button is no longer handled by the bot.');
  }
}

async function onModal(interaction: ModalSubmitInteraction, raw: string[], ctx: Context): Promise<void> {
  const state = parseConsoleState(raw);
  if (!state || state.action !== 'cmdsubmit')
    throw new UserError('This form is no longer handled by the bot.');
  refuseStrangers(interaction, state.invokerId);
  await sendCommand(interaction, ctx, state.serverId, interaction.fields.getTextInputValue('command'));
}

export default defineCommand({
  data,
  subcommands: {
    stream: {
      tier: 'user',
      run: (interaction, ctx) =>
        ctx.consoles.open(
          interaction,
          chosenServerId(interaction, ctx),
          interaction.options.getBoolean('public') === true,
        ),
    },
    send: {
      tier: 'user',
      run: (interaction, ctx) =>
        sendCommand(
          interaction,
          ctx,
          chosenServerId(interaction, ctx),
          interaction.options.getString('command', true),
        ),
    },
  },
  autocomplete: autocompleteUserOption,
  components: [
    { name: CONSOLE_COMPONENT, commandPath: 'console stream', button: onButton, modal: onModal },
    powerFlow.component,
  ],
});
