import { escapeMarkdown, time, type TimestampStylesString } from 'discord.js';

/**
 * The one way text from outside the bot — upstream data (server names,
 * activity lines, error messages) and values a moderator typed (ban reason,
 * package) — is put into a message. Every view uses these, so every such
 * string is cut to what can be shown before any regex runs on it, and none
 * can render as markdown: no bold, no heading, and no masked link
 * (`[Free Nitro](https://evil.example)` shown as a clickable "Free Nitro").
 */

/** The first `n` UTF-16 units, one less when that would split a surrogate pair. */
function head(text: string, n: number): string {
  const last = text.charCodeAt(n - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? n - 1 : n);
}

/** Cuts text to at most `max` UTF-16 units, ending with "…" when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return max <= 0 ? '' : `${head(text, max - 1)}…`;
}

/** One line (newlines become spaces), cut to `max`: for titles and labels, where no markdown renders. */
export function clipLine(text: string, max = 100): string {
  // Cut first, so the regex never runs on more than can be shown.
  const cut = text.length > max;
  const flat = (cut ? head(text, Math.max(0, max - 1)) : text).replace(/[\r\n]+/g, ' ');
  return cut && max > 0 ? `${flat}…` : flat;
}

/** Characters that open or close a masked link; escaping them is what stops the link. */
const LINK_BRACKETS = /[[\]]/g;

/**
 * Outside text for places where Discord renders markdown (descriptions, field
 * values): one line, cut to `max`, then every markdown character escaped,
 * masked-link brackets included. The result may be longer than `max` by its
 * backslashes; the embed fitter (src/bot/embed-limits.ts) bounds the field.
 */
export function shown(text: string, max = 100): string {
  // Not numbered lists: their escape would also hit versions like "3.2.1" and they can't deceive.
  const escaped = escapeMarkdown(clipLine(text, max), { heading: true, bulletedList: true });
  return escaped.replace(LINK_BRACKETS, '\\$&');
}

/** Inline code that cannot be broken out of (backticks become a look-alike); nothing renders inside. */
export function codeSpan(text: string, max = 200): string {
  const body = clipLine(text, max).replace(/`/g, 'ˋ');
  return `\`${body || ' '}\``;
}

/**
 * An upstream URL shown as text: normalised (so `<`, `>` and spaces are
 * percent-encoded) inside `<…>`, which makes the whole of it one plain link —
 * brackets in its path cannot start a masked link. Not a URL: inline code.
 */
export function linkText(url: string): string {
  try {
    return `<${new URL(url).href}>`;
  } catch {
    return codeSpan(url);
  }
}

/** Discord timestamp markup (`<t:…:F>`): renders in the reader's time zone. The one timestamp helper. */
export function discordTime(date: Date, style: TimestampStylesString = 'F'): string {
  return time(Math.floor(date.getTime() / 1000), style);
}
