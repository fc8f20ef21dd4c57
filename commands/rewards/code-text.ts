import type { APIEmbed } from 'discord.js';
import { Colors } from '../../src/bot/style.js';
import { discordTime } from '../../src/text.js';
import { formatCoins } from '../../src/moderation/format.js';
import { CODE_FORMAT_HELP } from '../../src/rewards/code-secret.js';
import type { RewardCode } from '../../src/rewards/codes.js';
import type { RedeemOutcome } from '../../src/rewards/redeem.js';

/** What members and admins read about codes (pure, so the wording is tested once). */

export const MAX_CODE_COINS = 1_000_000;
export const MAX_CODE_USES = 100_000;

const STATE_WORDS: Record<string, string> = {
  queued: 'queued',
  sending: 'being sent',
  granted: 'paid',
  failed: 'failed',
  unknown: 'being checked by an admin',
};

/** The reply to `/redeem`: a success, or why nothing was paid. */
export function redeemReply(outcome: RedeemOutcome): APIEmbed {
  const refuse = (title: string, description: string): APIEmbed => ({
    title,
    description,
    color: Colors.error,
  });
  switch (outcome.kind) {
    case 'malformed':
      return refuse('Invalid code', `That is not a valid code. ${CODE_FORMAT_HELP}`);
    case 'unknown':
      return refuse('Unknown code', 'No code matches what you typed. Check the spelling and try again.');
    case 'revoked':
      return refuse('Code revoked', 'This code was withdrawn by the admins and can no longer be redeemed.');
    case 'expired':
      return refuse(
        'Code expired',
        `This code expired ${discordTime(new Date(outcome.code.expiresAt ?? 0), 'R')} and can no longer be redeemed.`,
      );
    case 'used_up':
      return refuse(
        'Code used up',
        `This code has already been redeemed the maximum number of times (${outcome.code.usesTotal}).`,
      );
    case 'already':
      return refuse(
        'Already redeemed',
        `You redeemed this code ${discordTime(new Date(outcome.grant.createdAt), 'R')} ` +
          `(${formatCoins(outcome.grant.coins)}, ${STATE_WORDS[outcome.grant.state] ?? outcome.grant.state}). ` +
          'Each member can redeem a code once.',
      );
    case 'no_account':
      return refuse(
        'No dashboard account',
        'You have no account on the dashboard yet: sign in there with this Discord account, then redeem the code again.',
      );
    case 'redeemed':
      return {
        title: 'Code redeemed',
        description: `**${formatCoins(outcome.grant.coins)}** are on their way to your dashboard account.`,
        color: Colors.success,
      };
  }
}

/** One line of `/rewards code list`: never the code, only its masked hint and id. */
export function codeLine(code: RewardCode, now: number): string {
  const left = Math.max(0, code.usesTotal - code.usesCount);
  const status =
    code.revokedAt !== null
      ? `revoked ${discordTime(new Date(code.revokedAt), 'R')}`
      : code.expiresAt !== null && code.expiresAt <= now
        ? `expired ${discordTime(new Date(code.expiresAt), 'R')}`
        : left === 0
          ? 'used up'
          : code.expiresAt === null
            ? 'active, never expires'
            : `active, expires ${discordTime(new Date(code.expiresAt), 'R')}`;
  return (
    `\`${code.hint}\` (id \`${code.id}\`) — ${formatCoins(code.coins)}, ` +
    `${left}/${code.usesTotal} uses left — ${status}`
  );
}
