import type { ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../context.js';
import { defineConfirmation } from '../../bot/confirmations.js';
import { respond } from '../../bot/respond.js';
import { Colors } from '../../bot/style.js';
import { UserError } from '../../errors.js';
import { POWER_SIGNALS, type PowerSignal } from '../../atomichost/schemas.js';
import { refuseWithoutKey } from '../../user/api.js';
import { chosenServerId, knownServerName } from '../../user/options.js';
import { plain } from '../../text.js';
import { scheduleCost } from '../cost.js';
import { parseShortDuration } from '../duration.js';
import { warnsBefore } from '../scheduler.js';
import type { Schedule } from '../types.js';

/** How far ahead a schedule may be set. */
export const MAX_AHEAD_MS = 30 * 86_400_000;

type ScheduleInput = Omit<Schedule, 'id' | 'status' | 'createdAt'>;

export const scheduleConfirmation = defineConfirmation<ScheduleInput>({
  name: 'schedule-add',
  commandPath: 'server schedule',
  async run(interaction, input, ctx) {
    const s = await ctx.watch.running.schedules.add(input);
    await respond(interaction, {
      embeds: [
        {
          title: 'Scheduled',
          color: Colors.success,
          description: `**${s.signal}** of **${plain(s.serverName)}** at <t:${Math.floor(s.runAt / 1000)}:f> (<t:${Math.floor(s.runAt / 1000)}:R>). See or cancel it with \`/server schedules\`.`,
        },
      ],
      components: [],
    });
  },
});

function runAt(interaction: ChatInputCommandInteraction, now: number): number {
  const inText = interaction.options.getString('in');
  const atText = interaction.options.getString('at');
  if ((inText === null) === (atText === null)) {
    throw new UserError('Give exactly one of `in` (e.g. `30m`) or `at` (an ISO date).', 'When?');
  }
  let at: number;
  if (inText !== null) {
    const ms = parseShortDuration(inText);
    if (ms === undefined || ms <= 0)
      throw new UserError('`in` is a duration such as `30m` or `2h`.', 'Invalid time');
    at = now + ms;
  } else {
    const text = atText!.trim();
    at = text.length <= 40 && /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(at)) {
      throw new UserError('`at` is an ISO date such as `2026-07-01T18:00:00Z`.', 'Invalid time');
    }
    if (at <= now) throw new UserError('That time has already passed.', 'Invalid time');
  }
  if (at - now > MAX_AHEAD_MS) throw new UserError('Schedules go at most 30 days ahead.', 'Too far ahead');
  return at;
}

/** `/server schedule server signal in|at warn` */
export async function schedule(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const serverId = chosenServerId(interaction, ctx);
  const signal = interaction.options.getString('signal', true);
  if (!(POWER_SIGNALS as readonly string[]).includes(signal)) {
    throw new UserError(`The signal must be one of ${POWER_SIGNALS.join(', ')}.`, 'Invalid signal');
  }
  const at = runAt(interaction, ctx.watch.clock.wallNow());
  const warn = interaction.options.getBoolean('warn') ?? false;
  await refuseWithoutKey(interaction.user.id, ctx);
  const input: ScheduleInput = {
    ownerId: interaction.user.id,
    serverId,
    serverName: knownServerName(ctx.userCaches, interaction.user.id, serverId) ?? `#${serverId}`,
    signal: signal as PowerSignal,
    runAt: at,
    warn,
    channelId: interaction.inGuild() ? interaction.channelId : null,
  };
  const warns = warnsBefore(input);
  const credits = scheduleCost(warns);
  await scheduleConfirmation.ask(interaction, ctx, {
    embed: {
      title: `Schedule ${signal} of ${plain(input.serverName, 200)}?`,
      description: [
        `At <t:${Math.floor(at / 1000)}:f> (<t:${Math.floor(at / 1000)}:R>).`,
        warns
          ? 'Players are warned in the game console 10 min, 5 min, 1 min and 10 s before (only the warnings still ahead are sent).'
          : warn
            ? 'No warnings: a stopped server has no players to warn.'
            : 'No warnings in the game console.',
        `**Uses up to ${credits} credit${credits === 1 ? '' : 's'}**${warns ? ' (4 announcements + the signal)' : ' (the signal)'}.`,
        `The outcome goes ${input.channelId ? 'to this channel' : 'to you by DM'}.`,
      ].join('\n'),
    },
    confirmLabel: 'Schedule',
    payload: input,
  });
}
