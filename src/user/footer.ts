import type { APIEmbed } from 'discord.js';
import type { Limits } from '../atomichost/limits.js';
import { formatCount } from '../format.js';

/** Made on first use, like src/format.ts's formatter: an idle bot does not map ICU's locale data. */
let resetFormat: Intl.DateTimeFormat | undefined;
const RESET_FORMAT_OPTIONS: Intl.DateTimeFormatOptions = {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
};

/**
 * "2,488 of 2,500 credits left today · resets Jun 28, 00:00 UTC" from a
 * response's limit headers; undefined when the answer carried none.
 * (Footers show plain text only, so the reset time is written in UTC.)
 */
export function creditsText(limits: Limits | undefined): string | undefined {
  const credits = limits?.credits;
  if (!credits) return undefined;
  const reset = credits.resetAt
    ? ` · resets ${(resetFormat ??= new Intl.DateTimeFormat('en-US', RESET_FORMAT_OPTIONS)).format(credits.resetAt)} UTC`
    : '';
  return `${formatCount(credits.remaining)} of ${formatCount(credits.limit)} credits left today${reset}`;
}

/** The embed with the credits footer (keeping an existing footer's text in front). */
export function withCredits(embed: APIEmbed, limits: Limits | undefined): APIEmbed {
  const text = creditsText(limits);
  if (!text) return embed;
  return { ...embed, footer: { text: embed.footer?.text ? `${embed.footer.text} · ${text}` : text } };
}
