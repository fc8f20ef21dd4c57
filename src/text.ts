import { escapeMarkdown, time, type TimestampStylesString } from 'discord.js';
import { clipForScan } from './upstream-text.js';

/**
 * The text toolkit: the one `plain`, code-block escaper, timestamp helper,
 * duration and byte formatter and "…and N more" clipper every reply uses.
 *
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
export function plain(text: string, max = 100): string {
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

/** A Discord timestamp for a date string from upstream, or the text itself (shown plain) when unparsable. */
export function discordDate(value: string | null | undefined, style: TimestampStylesString = 'f'): string {
  if (!value) return '—';
  const ms = new Date(clipForScan(value, 100)).getTime();
  return Number.isNaN(ms) ? plain(value, 64) : discordTime(new Date(ms), style);
}

/** Neutralises fences so text cannot close its code block: a zero-width space between backticks. */
export function escapeCodeBlock(text: string): string {
  // Most text has no backtick pair: skip the regex (a console runs this for every line).
  if (!text.includes('``')) return text;
  return text.replace(/`(?=`)/g, '`\u200b');
}

/** A fenced code block that its text cannot close. */
export function codeBlock(text: string, language = ''): string {
  const body = escapeCodeBlock(text);
  return `\`\`\`${language}\n${body}${body.endsWith('\n') ? '' : '\n'}\`\`\``;
}

/**
 * The one duration formatter: 42 s, 3 min, 1 h 5 min, 1 d 2 h 3 min.
 * `up` rounds up (a "try again in" is never too early); the default rounds down (an elapsed time).
 */
export function formatDuration(ms: number, round: 'down' | 'up' = 'down'): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  const seconds = round === 'up' ? Math.max(1, Math.ceil(ms / 1000)) : Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const total = round === 'up' ? Math.ceil(seconds / 60) : Math.floor(seconds / 60);
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  return [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || '0 min';
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** The one byte formatter: 12 → "12 B"; 1234 → "1.21 KiB"; 1073741824 → "1.00 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${value} B`;
  return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${BYTE_UNITS[unit]}`;
}

/**
 * The lines that fit in `max` characters (joined by newlines), then
 * "…and N more." for the rest: the one list clipper.
 */
export function clipList(lines: readonly string[], max: number): string[] {
  const out: string[] = [];
  let size = 0;
  for (const [index, line] of lines.entries()) {
    if (size + line.length + 1 > max) {
      out.push(`…and ${lines.length - index} more.`);
      break;
    }
    out.push(line);
    size += line.length + 1;
  }
  return out;
}
