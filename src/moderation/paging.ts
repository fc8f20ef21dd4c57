import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
} from 'discord.js';
import { encodeCustomId } from '../bot/custom-id.js';

/**
 * Paging for lists that do not fit one embed: the pure math (how items split
 * into pages) and the Previous/Next buttons with their `name:key:page` ids.
 * The rendered pages live in the state store (ctx.state) under the key.
 */

export interface PageLimits {
  /** Characters one page may hold (the sum of its items' sizes plus `separator` between them). */
  maxChars: number;
  /** Items one page may hold. */
  maxItems: number;
  /** Characters added between two items on one page (e.g. 1 for a newline). */
  separator?: number;
}

/**
 * Splits items into pages in order, each within the limits. An item larger
 * than `maxChars` on its own still gets a page (callers cut items to fit).
 * No items → one empty page.
 */
export function chunkBySize<T>(items: readonly T[], size: (item: T) => number, limits: PageLimits): T[][] {
  const separator = limits.separator ?? 0;
  const pages: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const cost = size(item);
    const extra = current.length === 0 ? cost : cost + separator;
    if (current.length > 0 && (current.length >= limits.maxItems || used + extra > limits.maxChars)) {
      pages.push(current);
      current = [];
      used = 0;
    }
    used += current.length === 0 ? cost : cost + separator;
    current.push(item);
  }
  if (current.length > 0 || pages.length === 0) pages.push(current);
  return pages;
}

/** A page index within [0, count - 1]; anything unparseable becomes 0. */
export function clampPage(page: number, count: number): number {
  if (!Number.isFinite(page) || count <= 0) return 0;
  return Math.min(Math.max(0, Math.trunc(page)), count - 1);
}

/**
 * A page button's custom id is `name:key:page`: the key finds the rendered
 * list in the state store (ctx.state), the page is where this button goes
 * (Previous and Next need different ids on one message).
 */
export function encodePageId(name: string, key: string, page: number): string {
  return encodeCustomId(name, key, page);
}

/** Inverse of encodePageId, from the state part (everything after `name:`); null when malformed. */
export function decodePageId(state: readonly string[]): { key: string; page: number } | null {
  const [key, page, ...rest] = state;
  if (!key || page === undefined || rest.length > 0 || !/^\d{1,4}$/.test(page)) return null;
  return { key, page: Number(page) };
}

/** Previous / Next buttons for page `page` of `count` of the list stored under `key` (no row for a single page). */
export function pagingRow(
  name: string,
  key: string,
  page: number,
  count: number,
): Array<APIActionRowComponent<APIButtonComponentWithCustomId>> {
  if (count <= 1) return [];
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: 'Previous',
          custom_id: encodePageId(name, key, Math.max(0, page - 1)),
          disabled: page <= 0,
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: 'Next',
          custom_id: encodePageId(name, key, Math.min(count - 1, page + 1)),
          disabled: page >= count - 1,
        },
      ],
    },
  ];
}
