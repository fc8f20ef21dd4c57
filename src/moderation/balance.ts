import type { APIEmbed } from 'discord.js';
import { Colors } from '../bot/style.js';
import type { HeliactylClient } from '../heliactyl/client.js';
import { HeliactylError } from '../heliactyl/errors.js';
import { describeHeliactylError } from '../presenter/heliactyl-text.js';
import { explainFailure, type WriteOutcome } from './actions.js';
import type { AuditValue } from './audit.js';
import { formatCoins } from './format.js';
import type { Target } from './target.js';

/**
 * The balance around a coin write: read before (when the dashboard can say),
 * read back after, and what the two say about the write.
 */

/** The balance before a write; unknown when the dashboard could not read the account. */
export type Before = { known: true; coins: number | null } | { known: false; reason: string };

/**
 * Reads the balance before a write. A failure that is about the user's panel
 * account (missing, or the dashboard hanging on it) does not stop the write,
 * which does not need the panel: the earlier balance is then unknown.
 */
export async function readBefore(dashboard: HeliactylClient, target: Target): Promise<Before> {
  try {
    return { known: true, coins: (await dashboard.userInfo(target.id)).coins };
  } catch (error) {
    if (error instanceof HeliactylError && (error.kind === 'panel_unavailable' || error.kind === 'timeout')) {
      return { known: false, reason: describeHeliactylError(error) };
    }
    throw explainFailure(error, target);
  }
}

export function beforeText(before: Before): string {
  return before.known ? formatCoins(before.coins) : 'unknown';
}

export function beforeAuditValue(before: Before): AuditValue {
  return before.known ? before.coins : 'unknown';
}

/** Added to a reply when the earlier balance could not be read. */
export function unknownBeforeNote(before: Before): string {
  return before.known ? '' : `\nThe balance before is unknown: ${before.reason}`;
}

export type ReadBack = { ok: true; coins: number | null } | { ok: false; reason: string };

/** The balance as the dashboard now reports it; a failed read is reported, not thrown (the write is done). */
export async function readBack(dashboard: HeliactylClient, target: Target): Promise<ReadBack> {
  try {
    const info = await dashboard.userInfo(target.id);
    return { ok: true, coins: info.coins };
  } catch (error) {
    return { ok: false, reason: describeHeliactylError(error) };
  }
}

export interface BalanceOutcome extends WriteOutcome {
  embed: APIEmbed;
  /** Set when the dashboard lost an `addcoins`: the balance that completes it. */
  lostGrant?: { intended: number };
}

export interface Judgement {
  title: string;
  /** What the balance should be now; null when the earlier balance is unknown. */
  expected: number | null;
  before: Before;
  /** Said when the balance did not change at all. */
  notApplied: string;
}

/** Compares the balance read back with what the write should have produced. */
export function judge(after: ReadBack, what: Judgement): BalanceOutcome {
  const { title, expected, before } = what;
  const beforeNote = unknownBeforeNote(before);
  if (!after.ok) {
    return {
      result: 'success',
      detail: `Balance not read back: ${after.reason}`,
      embed: {
        title,
        color: Colors.warning,
        description: `The dashboard answered success, but the balance could not be read back: ${after.reason}\nCheck it with \`/coins balance\`.${beforeNote}`,
      },
    };
  }
  if (after.coins === null) {
    return {
      result: 'success',
      detail: 'Coins are disabled on this dashboard; balance not checked',
      embed: {
        title,
        color: Colors.warning,
        description:
          'The dashboard answered success, but it reports coins as disabled, so the balance cannot be checked.',
      },
    };
  }
  const balance = `Balance: **${formatCoins(after.coins)}** (read back from the dashboard)`;
  if (expected === null || after.coins === expected) {
    return {
      result: 'success',
      detail: `Balance now ${formatCoins(after.coins)}`,
      embed: {
        title,
        color: expected === null ? Colors.warning : Colors.success,
        description: expected === null ? `${balance}${beforeNote}` : balance,
      },
    };
  }
  const unchanged = before.known && after.coins === before.coins;
  const description = unchanged
    ? `${balance}\n**The dashboard answered success but did not apply the change:** the balance should be ${formatCoins(expected)}. ${what.notApplied}`
    : `${balance}\n**This is not what the write should have produced** (${formatCoins(expected)}); another change may have happened at the same time. Check with \`/coins balance\`.`;
  return {
    result: unchanged ? 'not applied' : 'success',
    detail: `Balance read back ${formatCoins(after.coins)}, expected ${formatCoins(expected)}`,
    embed: { title, color: Colors.warning, description },
  };
}

/**
 * An `addcoins` the dashboard answered with success but lost: the account had
 * no balance record (it reads 0), and the dashboard's first `addcoins` on such
 * an account stores nothing; it creates the record, so the next one works.
 */
export function judgeAdd(after: ReadBack, amount: number, target: Target, before: Before): BalanceOutcome {
  const lost = after.ok && after.coins === 0 && (!before.known || before.coins === 0);
  if (!lost) {
    const expected = before.known && before.coins !== null ? before.coins + amount : null;
    return judge(after, {
      title: `Added ${formatCoins(amount)} to ${target.name}`,
      expected,
      before,
      notApplied: 'Check the account with `/coins balance` before adding again.',
    });
  }
  return {
    result: 'not applied',
    detail: `The dashboard lost this grant (no balance record); balance read back 0 coins, intended ${formatCoins(amount)}`,
    lostGrant: { intended: amount },
    embed: {
      title: `The dashboard lost this grant to ${target.name}`,
      color: Colors.warning,
      description: [
        'Balance: **0 coins** (read back from the dashboard)',
        `**Only this grant of ${formatCoins(amount)} was lost.** The account had no balance record, and the dashboard's first \`addcoins\` on such an account stores nothing while answering success (a known dashboard bug). The account has a record now, so the next \`/coins add\` will work.`,
        `Press **Complete the grant** to set the balance to **${formatCoins(amount)}** (you will be asked to confirm).`,
      ].join('\n'),
    },
  };
}

export const COIN_WRITE_UNKNOWN_HINT =
  'Check the balance with `/coins balance` before doing anything else — the bot does not retry coin writes by itself.';

/** The account and the balance before, under every coin write's result. */
export function withAccountFields(embed: APIEmbed, target: Target, before: Before): APIEmbed {
  return {
    ...embed,
    fields: [
      { name: 'Account', value: target.display, inline: true },
      { name: 'Balance before', value: beforeText(before), inline: true },
    ],
  };
}
