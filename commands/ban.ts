import { defineCommand } from '../src/commands/types.js';
import { defineConfirmation } from '../src/bot/confirmations.js';
import { Colors } from '../src/bot/style.js';
import { UserError } from '../src/errors.js';
import { moderatorCommand } from '../src/moderation/command-data.js';
import { requireDashboard } from '../src/moderation/dashboard.js';
import { defineModeratorWrite } from '../src/moderation/write-flow.js';
import { parseDuration, type BanDuration } from '../src/moderation/duration.js';
import { clip, discordTime, plain } from '../src/text.js';
import { MAX_REASON_LENGTH, banInput, parseInput } from '../src/moderation/input.js';
import {
  rawOption,
  resolveTarget,
  targetIdOption,
  targetUserOption,
  type Target,
} from '../src/moderation/target.js';

const data = moderatorCommand('ban', 'Ban an account from the dashboard')
  .addUserOption(targetUserOption)
  .addStringOption(targetIdOption)
  .addStringOption((o) =>
    o
      .setName('reason')
      .setDescription('Why (stored on the dashboard)')
      .setMinLength(1)
      .setMaxLength(MAX_REASON_LENGTH),
  )
  .addStringOption((o) =>
    o
      .setName('duration')
      .setDescription('30m, 12h, 7d, 2w, permanent (default) or a future date like 2026-12-31')
      .setMaxLength(64),
  )
  .toJSON();

interface BanRequest {
  target: Target;
  reason: string | undefined;
  /**
   * Resolved when the question is asked: the "until" the moderator confirms
   * is the one sent and the one the result shows.
   */
  duration: BanDuration;
}

function describeDuration(duration: BanDuration): string {
  if (duration.kind === 'permanent') return 'Permanent';
  return `${duration.kind === 'relative' ? `${duration.label}, until` : 'Until'} ${discordTime(duration.until)} (${duration.expiration})`;
}

function fields(request: BanRequest) {
  return [
    { name: 'Account', value: request.target.display },
    { name: 'Reason', value: request.reason ? clip(plain(request.reason, 1024), 1024) : 'none given' },
    { name: 'Duration', value: describeDuration(request.duration) },
  ];
}

function parseOrThrow(duration: string | undefined, now: Date): BanDuration {
  const parsed = parseDuration(duration, now);
  if (!parsed.ok) throw new UserError(parsed.error, 'Invalid input');
  return parsed.value;
}

const banWrite = defineModeratorWrite<BanRequest>({
  action: 'ban',
  values: ({ reason, duration }) => ({
    reason: reason ?? null,
    expiration: duration.expiration ?? 'permanent',
  }),
  write: (dashboard, target, { reason, duration }) =>
    dashboard.ban(target.id, {
      ...(reason === undefined ? {} : { reason }),
      expiration: duration.expiration,
    }),
  reply: (result) => ({
    embeds: [
      {
        title: clip(`Banned ${result.target.name}`, 256),
        color: Colors.success,
        fields: fields(result.request),
      },
    ],
  }),
});

const confirmBan = defineConfirmation<BanRequest>({
  name: 'ban-confirm',
  commandPath: 'ban',
  async run(interaction, request, ctx) {
    requireDashboard(ctx);
    const { duration } = request;
    if (duration.kind !== 'permanent' && duration.until.getTime() <= Date.now()) {
      throw new UserError(
        `This ban would already have ended (${discordTime(duration.until)}) — nothing was changed. Run \`/ban\` again.`,
        'Ban not sent',
      );
    }
    await banWrite.confirmed(interaction, ctx, request.target, request);
  },
});

export default defineCommand({
  data,
  components: [confirmBan.component],
  tier: 'moderator',
  async run(interaction, ctx) {
    requireDashboard(ctx);
    const target = resolveTarget(interaction);
    const input = parseInput(banInput, {
      reason: rawOption(interaction, 'reason'),
      duration: rawOption(interaction, 'duration'),
    });
    const request: BanRequest = {
      target,
      reason: input.reason,
      duration: parseOrThrow(input.duration, new Date()),
    };
    await confirmBan.ask(interaction, ctx, {
      embed: {
        title: clip(`Ban ${target.name}?`, 256),
        description: 'The account will be banned from the dashboard.',
        fields: fields(request),
      },
      confirmLabel: 'Ban',
      payload: request,
    });
  },
});
