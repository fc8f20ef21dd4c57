import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
} from 'discord.js';
import { Colors } from '../../src/bot/style.js';
import { encodeCustomId } from '../../src/bot/custom-id.js';
import { formatCoins, formatCount } from '../../src/moderation/format.js';
import { discordTarget, rawTarget, type Target } from '../../src/moderation/target.js';
import { plain } from '../../src/text.js';
import type { Grant } from '../../src/rewards/ledger.js';
import type { QueueSnapshot } from '../../src/rewards/queue/list.js';

/** Grants per page: one row of Re-check buttons fits them all. */
export const QUEUE_PAGE_SIZE = 5;
export const RECHECK_BUTTON = 'rewards-recheck';
export const RESOLVE_BUTTON = 'rewards-resolve';

const STATE_ICON: Record<string, string> = { unknown: '⚠️', sending: '📤', queued: '⏳', failed: '❌' };

/** The account a grant pays: a Discord member's id, or a raw dashboard id. */
export function grantTarget(userId: string): Target {
  return /^\d{17,20}$/.test(userId) ? discordTarget(userId) : rawTarget(userId);
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

function grantLine(grant: Grant, number: number): string {
  const icon = STATE_ICON[grant.state] ?? '•';
  const age = `<t:${seconds(grant.createdAt)}:R>`;
  const head = `**${number}.** ${icon} **${grant.state}** · ${grantTarget(grant.userId).display} · ${formatCoins(grant.coins)} · ${plain(grant.source, 20)} · created ${age}`;
  return grant.detail ? `${head}\n> ${plain(grant.detail, 200)}` : head;
}

export interface QueuePage {
  embed: APIEmbed;
  /** Re-check buttons for the unknown grants of this page. */
  recheck: Array<{ number: number; grantId: string }>;
}

/** The snapshot as pages of QUEUE_PAGE_SIZE grants (pure). */
export function queuePages(snapshot: QueueSnapshot): QueuePage[] {
  const { counts } = snapshot;
  const header = `Unknown: **${formatCount(counts.unknown)}** · sending: **${formatCount(counts.sending)}** · queued: **${formatCount(counts.queued)}** · failed in the last 24 h: **${formatCount(snapshot.recentFailed)}**`;
  if (snapshot.grants.length === 0) {
    return [
      {
        embed: {
          title: 'Grant queue: empty',
          description: `${header}\n\nEvery grant is settled.`,
          color: Colors.success,
        },
        recheck: [],
      },
    ];
  }
  const pages: QueuePage[] = [];
  for (let start = 0; start < snapshot.grants.length; start += QUEUE_PAGE_SIZE) {
    const slice = snapshot.grants.slice(start, start + QUEUE_PAGE_SIZE);
    const lines = slice.map((grant, i) => grantLine(grant, start + i + 1));
    const recheck = slice
      .map((grant, i) => ({ grant, number: start + i + 1 }))
      .filter(({ grant }) => grant.state === 'unknown')
      .map(({ grant, number }) => ({ number, grantId: grant.id }));
    pages.push({
      embed: {
        title: `Grant queue: ${formatCount(snapshot.grants.length)} not granted`,
        description: `${header}\n\n${lines.join('\n')}${
          recheck.length > 0
            ? '\n\nAn **unknown** grant may have reached the dashboard: **Re-check** reads the balance, then you mark it granted or send it again.'
            : ''
        }`,
        color: counts.unknown > 0 ? Colors.warning : Colors.info,
      },
      recheck,
    });
  }
  return pages.map((page, index) => ({
    ...page,
    embed:
      pages.length > 1
        ? { ...page.embed, footer: { text: `Page ${index + 1} of ${pages.length}` } }
        : page.embed,
  }));
}

export function recheckRow(page: QueuePage): Array<APIActionRowComponent<APIButtonComponentWithCustomId>> {
  if (page.recheck.length === 0) return [];
  return [
    {
      type: ComponentType.ActionRow,
      components: page.recheck.map(({ number, grantId }) => ({
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        label: `Re-check #${number}`,
        custom_id: encodeCustomId(RECHECK_BUTTON, grantId),
      })),
    },
  ];
}

/** The last balance the bot read back for this account, from an earlier grant. */
export interface KnownBalance {
  balance: number;
  at: number;
  coins: number;
}

export function recheckEmbed(
  grant: Grant,
  balanceNow: number | null,
  known: KnownBalance | undefined,
): APIEmbed {
  const target = grantTarget(grant.userId);
  const context = known
    ? `${formatCoins(known.balance)} after a +${formatCount(known.coins)} grant <t:${seconds(known.at)}:R>`
    : 'none (no earlier grant to this account was read back)';
  return {
    title: `Re-check: ${formatCoins(grant.coins)} (${plain(grant.source, 20)})`,
    color: Colors.warning,
    description: `${target.display}\n${grant.detail ? `> ${plain(grant.detail, 300)}\n` : ''}\nIf the balance now includes these ${formatCoins(grant.coins)}, the grant reached the dashboard: **Mark granted**. If it does not, **Send again** queues it once more (one more addcoins).`,
    fields: [
      {
        name: 'Grant',
        value: `${formatCoins(grant.coins)} · created <t:${seconds(grant.createdAt)}:R>`,
        inline: true,
      },
      {
        name: 'Balance now',
        value: balanceNow === null ? 'coins disabled' : formatCoins(balanceNow),
        inline: true,
      },
      {
        name: "Grant's balance after",
        value:
          grant.balanceAfter === null ? 'not read (the outcome is unknown)' : formatCoins(grant.balanceAfter),
        inline: true,
      },
      { name: 'Last balance read back', value: context },
    ],
  };
}

export type Decision = 'granted' | 'queued';

export function decisionRow(
  grantId: string,
  balance: number | null,
): Array<APIActionRowComponent<APIButtonComponentWithCustomId>> {
  const seen = balance === null ? 'none' : String(balance);
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Success,
          label: 'Mark granted',
          custom_id: encodeCustomId(RESOLVE_BUTTON, grantId, 'granted', seen),
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Danger,
          label: 'Send again',
          custom_id: encodeCustomId(RESOLVE_BUTTON, grantId, 'queued', seen),
        },
      ],
    },
  ];
}

export function alreadyResolvedEmbed(grant: Grant | undefined): APIEmbed {
  return {
    title: 'Already resolved',
    color: Colors.neutral,
    description: grant
      ? `This grant is no longer unknown: it is now **${grant.state}**${grant.detail ? ` — ${plain(grant.detail, 300)}` : ''}. Nothing was changed.`
      : 'This grant is no longer in the ledger. Nothing was changed.',
  };
}

/** The outcome of a grant sent again from the queue. */
export function resentEmbed(grant: Grant): APIEmbed {
  const target = grantTarget(grant.userId);
  const balance =
    grant.balanceAfter === null ? '' : ` Balance read back: **${formatCoins(grant.balanceAfter)}**.`;
  return {
    title: `Sent again: ${grant.state}`,
    color: grant.state === 'granted' ? Colors.success : Colors.warning,
    description: `${formatCoins(grant.coins)} to ${target.display}.${balance}${
      grant.detail ? `\n> ${plain(grant.detail, 300)}` : ''
    }`,
  };
}
