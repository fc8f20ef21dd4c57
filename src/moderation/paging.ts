import { randomBytes } from 'node:crypto';
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
} from 'discord.js';
import { CUSTOM_ID_MAX } from '../bot/custom-id.js';

/**
 * Paging for lists that do not fit one embed: the pure math (how items split
 * into pages), the Previous/Next buttons and their custom ids, and a short-
 * lived cache of rendered pages (re-fetched when it is gone).
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

/** State a paging button carries: which list, which page, whose, and of what. */
export interface PageState {
  /** A short tag of the list (and its parameters), e.g. `d` or `a50`. */
  view: string;
  page: number;
  /** Cache key of the rendered pages. */
  key: string;
  /** Only this user may turn the pages. */
  invokerId: string;
  /** Target kind (`u` Discord user, `r` raw id) and id, to re-fetch when the cache is gone; null when too long to carry. */
  target: { kind: 'u' | 'r'; id: string } | null;
}

/** `name:view:page:key:invoker:kind:target…`; the target is dropped when the id would be too long. */
export function encodePageId(name: string, state: PageState): string {
  const head = [name, state.view, String(state.page), state.key, state.invokerId].join(':');
  if (state.target) {
    const full = `${head}:${state.target.kind}:${state.target.id}`;
    if (full.length <= CUSTOM_ID_MAX) return full;
  }
  return `${head}:-`;
}

/** Inverse of encodePageId, from the state part (everything after `name:`); null when malformed. */
export function decodePageState(state: readonly string[]): PageState | null {
  const [view, page, key, invokerId, kind, ...rest] = state;
  if (!view || page === undefined || !key || !invokerId || !kind) return null;
  const number = Number(page);
  if (!Number.isInteger(number) || number < 0) return null;
  const targetId = rest.join(':');
  const target: PageState['target'] =
    (kind === 'u' || kind === 'r') && targetId ? { kind, id: targetId } : null;
  return { view, page: number, key, invokerId, target };
}

/** Previous / Next buttons for page `page` of `count` (no row for a single page). */
export function pagingRow(
  name: string,
  state: Omit<PageState, 'page'>,
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
          custom_id: encodePageId(name, { ...state, page: Math.max(0, page - 1) }),
          disabled: page <= 0,
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: 'Next',
          custom_id: encodePageId(name, { ...state, page: Math.min(count - 1, page + 1) }),
          disabled: page >= count - 1,
        },
      ],
    },
  ];
}

/**
 * Rendered pages kept for a while (interaction tokens live 15 minutes), keyed
 * by a random id. Bounded: the oldest entries go first.
 */
export class PageCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    readonly ttlMs = 15 * 60_000,
    readonly maxEntries = 500,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  put(value: V): string {
    this.#prune();
    const key = randomBytes(6).toString('base64url');
    this.#entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return key;
  }

  /** Stores under a known key (used when re-fetching for an expired key). */
  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  #prune(): void {
    const now = this.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}
