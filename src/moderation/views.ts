import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { Interaction, ServerDetail, ServerSummary, UserInfo } from '../heliactyl/client.js';
import { Colors } from '../bot/style.js';
import { formatCoins, formatCount, formatCpu, formatMegabytes, plural } from './format.js';
import { clip, codeSpan, plain } from '../text.js';
import { chunkBySize } from './paging.js';
import type { Target } from './target.js';

/**
 * What moderator read commands show. Every embed stays within Discord's
 * limits (title 256, description 4096, 25 fields of 256/1024, 6000 in total):
 * free text is cut, long lists are split into pages.
 */

type ResourceKey = 'ram' | 'disk' | 'cpu' | 'servers';

const RESOURCE_ROWS: Array<{ key: ResourceKey; label: string; format: (n: number) => string }> = [
  { key: 'ram', label: 'RAM', format: (n) => formatMegabytes(n) },
  { key: 'disk', label: 'Disk', format: (n) => formatMegabytes(n) },
  { key: 'cpu', label: 'CPU', format: (n) => formatCpu(n) },
  { key: 'servers', label: 'Servers', format: (n) => formatCount(n) },
];

/** "2 GB package + 1 GB extra = **3 GB**". */
export function resourceLine(pkg: number, extra: number, format: (n: number) => string): string {
  return `${format(pkg)} package + ${format(extra)} extra = **${format(pkg + extra)}**`;
}

export function userInfoEmbed(target: Target, info: UserInfo): APIEmbed {
  const account = info.panelAccount;
  const fields: APIEmbedField[] = [
    {
      name: 'Package',
      value: info.package.name ? codeSpan(clip(info.package.name, 100)) : 'default',
      inline: true,
    },
    { name: 'Coins', value: formatCoins(info.coins), inline: true },
    { name: 'Renewal bypass', value: info.renewalBypass ? 'Yes' : 'No', inline: true },
    ...RESOURCE_ROWS.map((row) => ({
      name: row.label,
      value: resourceLine(info.package[row.key], info.extra[row.key], row.format),
    })),
    {
      name: 'Pterodactyl account',
      value: clip(
        [
          `Username: ${codeSpan(account.username)} (panel id ${account.id})`,
          `Email: ${plain(account.email, 1024)}`,
          account.serverCount === null ? null : `Servers on the panel: ${formatCount(account.serverCount)}`,
          account.rootAdmin ? 'Panel administrator: yes' : null,
        ]
          .filter(Boolean)
          .join('\n'),
        1024,
      ),
    },
  ];
  return {
    // The dashboard's own name for the account first; the Discord name or raw id says which one was asked for.
    title: clip(
      account.username
        ? `Dashboard account of ${account.username} (${target.name})`
        : `Dashboard account of ${target.name}`,
      256,
    ),
    description: `Dashboard id ${target.display}`,
    color: Colors.info,
    fields,
  };
}

export function balanceEmbed(target: Target, coins: number | null): APIEmbed {
  return {
    title: clip(`Balance of ${target.name}`, 256),
    description:
      coins === null
        ? `Coins are disabled on this dashboard (no balance for ${target.display}).`
        : `${target.display} has **${formatCoins(coins)}**.`,
    color: Colors.info,
  };
}

/** A page of a list: the embed without its footer (added with the page number). */
export interface ListPages {
  pages: APIEmbed[];
  /** Total items, for the footer. */
  total: number;
  noun: [string, string];
}

export function withPageFooter(list: ListPages, page: number): APIEmbed {
  const embed = list.pages[page] ?? list.pages[0] ?? {};
  const count = plural(list.total, list.noun[0], list.noun[1]);
  const text = list.pages.length > 1 ? `${count} · page ${page + 1} of ${list.pages.length}` : count;
  return { ...embed, footer: { text } };
}

const LIST_DESCRIPTION_BUDGET = 3_800;

export function serverListPages(target: Target, servers: ServerSummary[]): ListPages {
  const title = clip(`Servers of ${target.name}`, 256);
  const lines = servers.map(
    (s) => `**${plain(clip(s.name, 100), 1024)}** — ${codeSpan(s.identifier)} · id ${s.id}`,
  );
  const chunks = chunkBySize(lines, (line) => line.length, {
    maxChars: LIST_DESCRIPTION_BUDGET,
    maxItems: 25,
    separator: 1,
  });
  return {
    total: servers.length,
    noun: ['server', 'servers'],
    pages: chunks.map((chunk) => ({
      title,
      color: Colors.info,
      description: chunk.length > 0 ? chunk.join('\n') : `${target.display} has no servers on the panel.`,
    })),
  };
}

export function serverDetailField(s: ServerDetail): APIEmbedField {
  const lines = [
    `${formatMegabytes(s.limits.memory, { zeroIsUnlimited: true })} RAM · ${formatMegabytes(s.limits.disk, { zeroIsUnlimited: true })} disk · ${formatCpu(s.limits.cpu, { zeroIsUnlimited: true })} CPU`,
    `Swap ${formatMegabytes(s.limits.swap)} · IO weight ${formatCount(s.limits.io)}`,
    `Databases ${formatCount(s.featureLimits.databases)} · allocations ${formatCount(s.featureLimits.allocations)} · backups ${formatCount(s.featureLimits.backups)}`,
    `Node ${s.node} · egg ${s.egg} · allocation ${s.allocation} · id ${s.id}`,
    `${s.suspended ? '**Suspended**' : 'Not suspended'} · install: ${s.installStatus === null ? 'done' : plain(clip(s.installStatus, 40), 1024)}`,
    `UUID ${codeSpan(s.uuid)}`,
  ];
  if (s.description) lines.push(plain(clip(s.description.replace(/\s+/g, ' '), 200), 1024));
  return {
    name: clip(`${s.name} (${s.identifier})`, 256),
    value: clip(lines.join('\n'), 1024),
  };
}

export function serverDetailPages(target: Target, servers: ServerDetail[]): ListPages {
  const title = clip(`Servers of ${target.name} (detailed)`, 256);
  const fields = servers.map(serverDetailField);
  const chunks = chunkBySize(fields, (f) => f.name.length + f.value.length, {
    maxChars: 4_500,
    maxItems: 6,
  });
  return {
    total: servers.length,
    noun: ['server', 'servers'],
    pages: chunks.map((chunk) =>
      chunk.length > 0
        ? { title, color: Colors.info, fields: chunk }
        : { title, color: Colors.info, description: `${target.display} has no servers on the panel.` },
    ),
  };
}

export function activityLine(item: Interaction): string {
  const action = plain(clip(item.action.replace(/\s+/g, ' ').trim(), 300), 1024);
  return item.timestamp === null ? `↳ ${action}` : `${codeSpan(item.timestamp)} ${action}`;
}

export function activityPages(target: Target, items: Interaction[], limit: number): ListPages {
  const title = clip(`Activity of ${target.name}`, 256);
  // The dashboard lists them newest first.
  const lines = items.map(activityLine);
  const chunks = chunkBySize(lines, (line) => line.length, {
    maxChars: LIST_DESCRIPTION_BUDGET,
    maxItems: 25,
    separator: 1,
  });
  return {
    total: items.length,
    noun: ['entry', 'entries'],
    pages: chunks.map((chunk) => ({
      title,
      color: Colors.info,
      description:
        chunk.length > 0
          ? `Newest first, last ${limit} requested.\n${chunk.join('\n')}`
          : `No activity found in the dashboard's log for ${target.display}.`,
    })),
  };
}
