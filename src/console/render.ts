import type { APIEmbed, APIEmbedField } from 'discord.js';
import { codeBlock } from '../text.js';
import { RESET, hasMention, neutraliseMentions } from './ansi.js';

/**
 * The console embed, pure: the newest whole lines that fit in a ```ansi
 * block inside Discord's limits (description 4096 characters including the
 * fences, the whole embed 6000 with title, fields and footer).
 */

export const DESCRIPTION_LIMIT = 4096;
export const EMBED_LIMIT = 6000;
export const FENCE_OPEN = '```ansi\n';
export const FENCE_CLOSE = '\n```';
const FENCES = FENCE_OPEN.length + FENCE_CLOSE.length;
const ELLIPSIS = '…';

export interface TailFit {
  /** The lines joined with \n (no fences). */
  text: string;
  /** How many of the newest lines are shown (the newest may be shortened when it alone is too long). */
  count: number;
  /** True when the newest line was shortened to fit. */
  truncated: boolean;
}

/**
 * Cuts a reduced line to at most `max` characters without splitting an
 * escape sequence or a surrogate pair, ending with "…" (and a reset when
 * a style is open).
 */
export function shortenLine(display: string, max: number): string {
  if (display.length <= max) return display;
  const room = max - ELLIPSIS.length - RESET.length;
  if (room <= 0) return ELLIPSIS.slice(0, Math.max(0, max));
  let cut = room;
  const escape = display.lastIndexOf('\u001b', cut);
  if (escape >= 0 && display.indexOf('m', escape) >= cut) cut = escape;
  const code = display.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  const head = display.slice(0, cut);
  return `${head}${ELLIPSIS}${head.includes('\u001b[') ? RESET : ''}`;
}

/**
 * The newest lines (oldest first in `lines`) whose total, joined with
 * newlines, is at most `budget` characters. Whole lines only, except that
 * the newest line is shortened when it alone does not fit.
 */
export function fitTail(lines: readonly string[], budget: number): TailFit {
  if (budget <= 0 || lines.length === 0) return { text: '', count: 0, truncated: false };
  let used = 0;
  let start = lines.length;
  while (start > 0) {
    const line = lines[start - 1]!;
    const cost = line.length + (start === lines.length ? 0 : 1);
    if (used + cost > budget) break;
    used += cost;
    start -= 1;
  }
  if (start === lines.length) {
    return { text: shortenLine(lines[lines.length - 1]!, budget), count: 1, truncated: true };
  }
  return { text: lines.slice(start).join('\n'), count: lines.length - start, truncated: false };
}

function fieldsLength(fields: readonly APIEmbedField[]): number {
  return fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
}

export interface ConsoleEmbedInput {
  title: string;
  colour: number;
  /** Reduced display lines, oldest first (only the tail is used). */
  lines: readonly string[];
  /** Shown instead of a code block while there is no output yet. */
  placeholder: string;
  fields: readonly APIEmbedField[];
  footer: string;
}

/**
 * Builds the embed: title, fields and footer first (clipped to their own
 * limits), then as much of the tail as the rest of the budget allows.
 */
export function renderConsoleEmbed(input: ConsoleEmbedInput): APIEmbed {
  const title = clip(neutraliseMentions(input.title), 256);
  const footer = clip(neutraliseMentions(input.footer), 2048);
  const fields = input.fields.slice(0, 25).map((f) => ({
    name: clip(neutraliseMentions(f.name), 256),
    value: clip(neutraliseMentions(f.value), 1024),
    ...(f.inline === undefined ? {} : { inline: f.inline }),
  }));
  const rest = EMBED_LIMIT - title.length - footer.length - fieldsLength(fields);
  const budget = Math.min(DESCRIPTION_LIMIT, rest) - FENCES;
  let description: string;
  if (input.lines.length === 0) {
    description = clip(neutraliseMentions(input.placeholder), Math.max(1, budget));
  } else {
    const tail = fitTail(input.lines, budget);
    // A visually empty block still needs a character inside to render as a block. The lines are
    // already neutralised with the same escaper (ansi.ts), so it cannot change the budgeted length.
    description = codeBlock(tail.text === '' ? ' ' : tail.text, 'ansi');
  }
  const embed: APIEmbed = { title, color: input.colour, description, footer: { text: footer } };
  if (fields.length > 0) embed.fields = fields;
  return embed;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Every text of the embed Discord could read a mention in. */
function embedTexts(embed: APIEmbed): string[] {
  return [
    embed.title ?? '',
    embed.description ?? '',
    embed.footer?.text ?? '',
    ...(embed.fields ?? []).flatMap((f) => [f.name, f.value]),
  ];
}

/** The last line of defence, run on every payload before it is sent: true when nothing could ping. */
export function mentionFree(embed: APIEmbed): boolean {
  return !embedTexts(embed).some(hasMention);
}
