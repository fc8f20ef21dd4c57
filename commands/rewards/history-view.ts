import type { APIEmbed } from 'discord.js';
import { Colors } from '../../src/bot/style.js';
import { clip, discordTime, plain } from '../../src/text.js';
import { formatCoins } from '../../src/moderation/format.js';
import type { Grant } from '../../src/rewards/ledger.js';
import type { Standing } from '../../src/rewards/standings.js';

/** The pages of `/rewards history` and `/rewards leaderboard` (pure). */

export const HISTORY_MAX_LIMIT = 25;
export const HISTORY_DEFAULT_LIMIT = 10;
export const LEADERBOARD_PAGE_SIZE = 10;
/** The leaderboard lists at most this many members (10 pages). */
export const LEADERBOARD_MAX = 100;

const STATE_MARK: Record<Grant['state'], string> = {
  queued: '⏳ queued',
  sending: '📤 sending',
  granted: '✅ granted',
  failed: '❌ failed',
  unknown: '⚠️ unknown',
};

export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}

function grantLine(grant: Grant): string {
  const reason = grant.reason ? ` — ${plain(grant.reason, 60)}` : '';
  return (
    `${discordTime(new Date(grant.createdAt), 'R')} · **${formatCoins(grant.coins)}** · ` +
    `${plain(grant.source, 32)} · ${STATE_MARK[grant.state]}${reason}`
  );
}

export function historyEmbed(
  subjectId: string,
  own: boolean,
  grants: readonly Grant[],
  page: number,
  total: number,
  perPage: number,
): APIEmbed {
  const who = own ? 'Your' : `<@${subjectId}>'s`;
  return {
    title: own ? 'Your rewards history' : 'Rewards history',
    color: Colors.info,
    description: clip(
      grants.length === 0
        ? `${who} ledger is empty: no coins have been granted through Hostlink yet.`
        : (own ? '' : `${who} grants, newest first:\n`) + grants.map(grantLine).join('\n'),
      4000,
    ),
    footer: {
      text: `Page ${page + 1} of ${pageCount(total, perPage)} · ${total} grant${total === 1 ? '' : 's'}`,
    },
  };
}

export function leaderboardEmbed(standings: readonly Standing[], page: number, total: number): APIEmbed {
  const shown = Math.min(total, LEADERBOARD_MAX);
  const lines = standings.map(
    (standing, index) =>
      `**${page * LEADERBOARD_PAGE_SIZE + index + 1}.** <@${standing.userId}> — ${formatCoins(standing.coins)}`,
  );
  return {
    title: 'Rewards leaderboard',
    color: Colors.info,
    description: lines.length === 0 ? 'No coins have been granted through Hostlink yet.' : lines.join('\n'),
    footer: {
      text: `Coins granted through Hostlink · page ${page + 1} of ${pageCount(shown, LEADERBOARD_PAGE_SIZE)}`,
    },
  };
}
