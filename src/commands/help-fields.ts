import type { APIEmbedField } from 'discord.js';
import { clipLine } from '../text.js';
import type { CatalogEntry } from './catalog-entry.js';

/** How /help lays out the commands a caller may use. Pure. */

const TIER_MARK: Record<CatalogEntry['tier'], string> = { user: '', moderator: '', admin: ' *(admin)*' };

/** Whole lines up to `max` characters (a field value's limit). */
function linesWithin(lines: string[], max: number): string {
  let text = '';
  for (const line of lines) {
    const next = text ? `${text}\n${line}` : line;
    if (next.length > max) break;
    text = next;
  }
  return text || clipLine(lines[0] ?? '—', max);
}

/** Room for the fields within Discord's 6000 characters per embed, after title, text and footer. */
const FIELDS_BUDGET = 4_800;

/**
 * One field per top-level command, listing the paths the caller may run;
 * when the list outgrows an embed, the paths are shown without descriptions.
 */
export function helpFields(entries: CatalogEntry[]): APIEmbedField[] {
  const described = groupedFields(entries, true);
  const size = described.reduce((total, f) => total + f.name.length + f.value.length, 0);
  return size <= FIELDS_BUDGET ? described : groupedFields(entries, false);
}

function groupedFields(entries: CatalogEntry[], withDescriptions: boolean): APIEmbedField[] {
  const byCommand = new Map<string, CatalogEntry[]>();
  for (const entry of entries) {
    const name = entry.path.split(' ')[0]!;
    byCommand.set(name, [...(byCommand.get(name) ?? []), entry]);
  }
  return [...byCommand.entries()].slice(0, 25).map(([name, paths]) => ({
    name: `/${name}`,
    value: linesWithin(
      paths.map(
        (p) =>
          `\`/${p.path}\`${withDescriptions ? ` — ${clipLine(p.description, 90)}` : ''}${TIER_MARK[p.tier]}`,
      ),
      1024,
    ),
  }));
}
