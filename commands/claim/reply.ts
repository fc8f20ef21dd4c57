import type { APIEmbed } from 'discord.js';
import { Colors } from '../../src/bot/style.js';
import { formatCoins } from '../../src/moderation/format.js';
import { discordTime } from '../../src/text.js';
import type { ClaimOutcome, PaidReward, RewardSlot, WaitingReward } from '../../src/rewards/claims.js';

const name = (slot: RewardSlot): string =>
  slot.roleId === null ? 'Daily reward' : `<@&${slot.roleId}> reward`;
/** Rounded up to the second, so "opens" is never shown before it does. */
const when = (ms: number): string => discordTime(new Date(Math.ceil(ms / 1000) * 1000), 'R');

function paidLine(item: PaidReward): string {
  let line = `**${name(item)}**: ${formatCoins(item.coins)}`;
  if (item.roleId === null) {
    line += ` — day ${item.streak} of your streak`;
    if (item.streakReset) line += ' (a new streak: your last claim was more than 48 h ago)';
  }
  return `${line}. Next ${when(item.nextAt)}.`;
}

function waitingLine(item: WaitingReward): string {
  const claimed = item.concurrent ? 'claimed just now by another click' : `claimed ${when(item.lastAt)}`;
  return `**${name(item)}**: already ${claimed}; opens again ${when(item.opensAt)}.`;
}

/** The answer to `/claim` (ephemeral). */
export function claimReply(outcome: ClaimOutcome): APIEmbed {
  if (outcome.kind === 'refused')
    return { title: 'Not eligible yet', description: outcome.reason, color: Colors.warning };
  const { paid, waiting, notHeld } = outcome;
  if (paid.length === 0 && waiting.length === 0) {
    const roles = notHeld.map((rule) => `<@&${rule.roleId}>`).join(', ');
    return {
      title: 'No rewards for you here',
      description: roles
        ? `There is no daily reward, and you hold none of the reward roles (${roles}).`
        : 'This server has no rewards to claim yet.',
      color: Colors.neutral,
    };
  }
  const lines = [...paid.map(paidLine), ...waiting.map(waitingLine)];
  const total = paid.reduce((sum, item) => sum + item.coins, 0);
  return {
    title: paid.length > 0 ? `Claimed ${formatCoins(total)}` : 'Nothing to claim yet',
    description: lines.join('\n'),
    color: paid.length > 0 ? Colors.success : Colors.neutral,
    ...(paid.length > 0
      ? {
          footer: {
            text: 'Queued: the bot pays it to your dashboard account shortly (grants go one by one, within the dashboard rate limit).',
          },
        }
      : {}),
  };
}
