/**
 * The masked links (`[text](url)`) Discord would render in a piece of
 * markdown, with its escape rules: a backslash before punctuation makes it
 * literal, and nothing renders inside inline code. Returns their URLs.
 */
export function renderedMaskedLinks(markdown: string): string[] {
  const literal = markdown.replace(/\\[!-/:-@[-`{-~]/g, '\u0000').replace(/`[^`]*`/g, '\u0000');
  return [...literal.matchAll(/\[[^\]]*\]\(\s*<?(https?:\/\/[^\s)>]+)>?\s*\)/g)].map((m) => m[1]!);
}

/** Every text of an embed that Discord renders as markdown (description, field values, footer). */
export function markdownOf(embed: {
  description?: string;
  fields?: Array<{ name: string; value: string }>;
}): string {
  return [embed.description ?? '', ...(embed.fields ?? []).map((f) => f.value)].join('\n');
}
