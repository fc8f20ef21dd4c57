import type { APIEmbed, ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import type { AuditValue } from '../../src/moderation/audit.js';
import { respond } from '../../src/bot/respond.js';
import { Colors } from '../../src/bot/style.js';
import { UserError } from '../../src/errors.js';
import { formatCoins } from '../../src/moderation/format.js';
import { formatDuration } from '../../src/text.js';
import { dailyCoins, type DailyRule } from '../../src/rewards/streak.js';
import { parseRewardDuration } from '../../src/rewards/durations.js';
import type { Gates } from '../../src/rewards/gates.js';

/** The most coins one rule pays at once (the grant API's limit too). */
export const MAX_RULE_COINS = 1_000_000;

/** The server a rule command runs in (every /rewards path is guild-only). */
export function guildOf(interaction: ChatInputCommandInteraction): string {
  if (!interaction.inGuild()) throw new UserError('Rewards are set up inside a server.');
  return interaction.guildId;
}

/** A duration option, checked; a bad one is a specific reply before anything changes. */
export function durationOption(
  interaction: ChatInputCommandInteraction,
  name: string,
  limits: { minMs: number; maxMs: number; offAllowed: boolean },
): number | undefined {
  const raw = interaction.options.get(name)?.value;
  if (raw === undefined || raw === null) return undefined;
  const parsed = parseRewardDuration(name, String(raw), limits);
  if (!parsed.ok) throw new UserError(parsed.error, 'Invalid duration');
  return parsed.ms;
}

/** The daily rule in words, with what the streak pays. */
export function dailyText(rule: DailyRule): string {
  if (rule.coins <= 0) return 'Off';
  const base = `${formatCoins(rule.coins)} per claim, once every 24 h`;
  if (rule.streakBonus <= 0 || rule.streakMax <= 1) return `${base} (no streak bonus)`;
  return (
    `${base}; +${formatCoins(rule.streakBonus)} per consecutive day (a claim within 48 h of the last), ` +
    `up to ${formatCoins(dailyCoins(rule, rule.streakMax))} from day ${rule.streakMax} of a streak`
  );
}

export function gatesText(gates: Gates): string {
  const age = (ms: number) => (ms > 0 ? `at least ${formatDuration(ms)}` : 'no minimum');
  return `Discord account age: ${age(gates.accountAgeMs)}\nTime in this server: ${age(gates.memberAgeMs)}`;
}

/** Audits a rule change (who, what, values) and answers the admin. */
export async function ruleChanged(
  interaction: ChatInputCommandInteraction,
  ctx: Context,
  change: { action: string; values: Record<string, AuditValue>; embed: APIEmbed },
): Promise<void> {
  await respond(interaction, { embeds: [{ color: Colors.success, ...change.embed }] });
  await ctx.audit.record(
    {
      action: change.action,
      invoker: { id: interaction.user.id, username: interaction.user.username },
      target: { id: interaction.guildId ?? '', display: 'Reward rules of this server' },
      values: change.values,
      result: 'success',
    },
    ctx.logger,
  );
}
