/**
 * Splits the `name:value` / `name=value` pairs typed at the `hostlink>`
 * prompt. A value is either quoted ("…", with \" \\ and \n escapes, so it
 * may hold spaces, separators and new lines) or runs up to the next
 * ` name<separator>` whose name is one of `known` — so `command:say hi`
 * needs no quotes.
 */
export interface TypedPair {
  name: string;
  value: string;
}

export type PairsResult = { pairs: TypedPair[] } | { error: string };

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\' };

export function splitPairs(text: string, separator: ':' | '=', known: readonly string[]): PairsResult {
  const pairs: TypedPair[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    const head = new RegExp(`^([A-Za-z0-9_-]+)${separator}`).exec(rest);
    if (!head) return { error: `Expected name${separator}value, got "${rest.split(/\s/)[0]}"` };
    const name = head[1]!;
    rest = rest.slice(head[0].length);
    if (rest.startsWith('"')) {
      const quoted = readQuoted(rest);
      if ('error' in quoted) return { error: `${name}: ${quoted.error}` };
      pairs.push({ name, value: quoted.value });
      rest = rest.slice(quoted.length);
      if (rest.length > 0 && !/^\s/.test(rest)) return { error: `${name}: text after the closing quote` };
      rest = rest.trimStart();
      continue;
    }
    const end = nextPairStart(rest, separator, known);
    pairs.push({ name, value: rest.slice(0, end).trim() });
    rest = rest.slice(end).trimStart();
  }
  return { pairs };
}

function readQuoted(text: string): { value: string; length: number } | { error: string } {
  let value = '';
  for (let i = 1; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === '"') return { value, length: i + 1 };
    if (char === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      value += ESCAPES[next] ?? `\\${next}`;
      i += 1;
    } else value += char;
  }
  return { error: 'missing closing quote (")' };
}

/** Index where the next ` known<separator>` starts, or the end of the text. */
function nextPairStart(text: string, separator: string, known: readonly string[]): number {
  let best = text.length;
  for (const name of known) {
    const match = new RegExp(`\\s${escapeRegExp(name)}${escapeRegExp(separator)}`).exec(text);
    if (match && match.index < best) best = match.index;
  }
  return best;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}
