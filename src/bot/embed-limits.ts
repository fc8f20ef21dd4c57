import type { APIEmbed, APIEmbedField } from 'discord.js';
import { clip } from '../text.js';

/**
 * Discord's embed limits, applied to every embed the bot sends (respond(),
 * confirmations, the error funnel, the audit channel, consoles): whatever a
 * view put in — a 2,000-character uuid from upstream, a long ban reason —
 * the request stays valid and the user reads a cut value instead of an error.
 */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** Characters in all embeds of one message together. */
  total: 6000,
} as const;

/** Discord refuses empty field names and values. */
const BLANK = '\u200b';

const FENCE = '```';

/** clip() for text that may hold a code block: one cut open is closed again, so the rest still renders. */
export function clipMarkdown(text: string, max: number): string {
  const cut = clip(text, max);
  if (cut === text || cut.split(FENCE).length % 2 === 1) return cut;
  return `${clip(text, max - FENCE.length - 1)}\n${FENCE}`;
}

function fitField(field: APIEmbedField): APIEmbedField {
  return {
    ...field,
    name: clip(field.name, EMBED_LIMITS.fieldName) || BLANK,
    value: clipMarkdown(field.value, EMBED_LIMITS.fieldValue) || BLANK,
  };
}

/** Each part within its own limit. */
function fitParts(embed: APIEmbed): APIEmbed {
  const fitted: APIEmbed = { ...embed };
  if (embed.title !== undefined) fitted.title = clip(embed.title, EMBED_LIMITS.title);
  if (embed.description !== undefined)
    fitted.description = clipMarkdown(embed.description, EMBED_LIMITS.description);
  if (embed.fields) fitted.fields = embed.fields.slice(0, EMBED_LIMITS.fields).map(fitField);
  if (embed.footer) fitted.footer = { ...embed.footer, text: clip(embed.footer.text, EMBED_LIMITS.footer) };
  if (embed.author) fitted.author = { ...embed.author, name: clip(embed.author.name, EMBED_LIMITS.author) };
  return fitted;
}

/** Characters Discord counts toward the 6000 total. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/**
 * Takes `excess` characters off the embed's longest free text — the
 * description, then field values, longest first — down to a floor, so titles
 * and labels stay readable. Returns how many characters are still over.
 */
function shrink(embed: APIEmbed, excess: number): number {
  const FLOOR = 64;
  let over = excess;
  while (over > 0) {
    const fields = embed.fields ?? [];
    const candidates: Array<{ length: number; cut(to: number): void }> = [];
    if (embed.description && embed.description.length > FLOOR) {
      candidates.push({
        length: embed.description.length,
        cut: (to) => (embed.description = clipMarkdown(embed.description!, to)),
      });
    }
    fields.forEach((field, index) => {
      if (field.value.length > FLOOR)
        candidates.push({
          length: field.value.length,
          cut: (to) => (fields[index] = { ...field, value: clipMarkdown(field.value, to) }),
        });
    });
    const longest = candidates.sort((a, b) => b.length - a.length)[0];
    if (!longest) return over;
    const to = Math.max(FLOOR, longest.length - over);
    longest.cut(to);
    over -= longest.length - to;
  }
  return 0;
}

/** The embeds of one message, each part and the total within Discord's limits. */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const fitted = embeds.slice(0, 10).map(fitParts);
  let over = fitted.reduce((sum, e) => sum + embedLength(e), 0) - EMBED_LIMITS.total;
  for (const embed of [...fitted].reverse()) {
    if (over <= 0) break;
    over = shrink(embed, over);
  }
  // Still over (many long titles or labels): drop trailing fields.
  for (const embed of [...fitted].reverse()) {
    while (over > 0 && embed.fields && embed.fields.length > 0) {
      const dropped = embed.fields.pop()!;
      over -= dropped.name.length + dropped.value.length;
    }
  }
  return fitted;
}

export function fitEmbed(embed: APIEmbed): APIEmbed {
  return fitEmbeds([embed])[0]!;
}
