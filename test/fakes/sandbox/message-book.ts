import type { FakeMessage } from '../discord/index.js';
import { showMarkup, type MarkupNames } from './markup.js';

/**
 * Every message the prompt has seen — replies, follow-ups, buttons' answers
 * and channel posts such as the audit log — numbered in the order they were
 * created, and rendered as plain text the way Discord lays them out.
 */

interface ShownEmbed {
  title?: string;
  description?: string;
  fields?: Array<{ name: string; value: string }>;
  footer?: { text: string };
}

export interface ShownButton {
  label?: string;
  custom_id?: string;
  url?: string;
  disabled?: boolean;
}

interface Entry {
  number: number;
  /** Where it came from: `reply to /server list`, `#audit-log`. */
  origin: string;
  read: () => FakeMessage | undefined;
}

const EPHEMERAL = 64;

export class MessageBook {
  readonly #entries: Entry[] = [];
  readonly #byId = new Map<string, Entry>();

  constructor(
    /** Keep console colours (for a terminal), else strip them (piped output). */
    private readonly colours: boolean,
    /** Names for mentions, so `<@id>` reads `@alex` as in Discord. */
    private readonly names: MarkupNames,
  ) {}

  /** Adds a message (once; the first origin given wins); returns its number. */
  add(id: string, origin: string, read: () => FakeMessage | undefined): number {
    const known = this.#byId.get(id);
    if (known) return known.number;
    const entry: Entry = { number: this.#entries.length + 1, origin, read };
    this.#entries.push(entry);
    this.#byId.set(id, entry);
    return entry.number;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  get size(): number {
    return this.#entries.length;
  }

  numberOf(id: string): number | undefined {
    return this.#byId.get(id)?.number;
  }

  message(number: number): FakeMessage | undefined {
    return this.#entries[number - 1]?.read();
  }

  /** The newest message that has buttons, for `:press M`. */
  lastWithButtons(): number | undefined {
    for (let i = this.#entries.length - 1; i >= 0; i -= 1) {
      const message = this.#entries[i]!.read();
      if (message && buttonsOf(message).length > 0) return i + 1;
    }
    return undefined;
  }

  /** One line per message: number, origin and its first line. */
  list(): string[] {
    return this.#entries.map((entry) => {
      const message = entry.read();
      const first = message ? showMarkup(firstLine(message), this.names) : '(deleted)';
      return `[${entry.number}] ${entry.origin}${message && isEphemeral(message) ? ' (only you)' : ''} — ${first}`;
    });
  }

  /** The whole message as text, buttons numbered `N.M`. */
  render(number: number): string {
    const entry = this.#entries[number - 1];
    const message = entry?.read();
    if (!entry || !message) return `There is no message ${number}; :messages lists them.`;
    const lines = [`[${number}] ${entry.origin}${isEphemeral(message) ? ' (only you can see this)' : ''}`];
    if (message.content) lines.push(message.content);
    for (const embed of message.embeds as ShownEmbed[]) {
      if (embed.title) lines.push(`== ${embed.title}`);
      if (embed.description) lines.push(embed.description);
      for (const field of embed.fields ?? [])
        lines.push(`  ${field.name}: ${field.value.replace(/\n/g, '\n    ')}`);
      if (embed.footer) lines.push(`  -- ${embed.footer.text}`);
    }
    for (const file of message.attachments) lines.push(`  attachment: ${file.filename} (${file.size} bytes)`);
    const buttons = buttonsOf(message);
    if (buttons.length > 0) {
      const labels = buttons.map((b, i) =>
        b.url
          ? `[${b.label ?? ''} → ${b.url}]`
          : `[${number}.${i + 1} ${b.label ?? ''}${b.disabled ? ' (disabled)' : ''}]`,
      );
      lines.push(`  buttons: ${labels.join(' ')}   (:press ${number}.M)`);
    }
    return forTerminal(showMarkup(lines.join('\n'), this.names), this.colours);
  }
}

// eslint-disable-next-line no-control-regex -- console colours are escape sequences
const SGR = /\u001b\[([0-9;]*)m/g;

/**
 * Discord's ANSI blocks use 30 for its grey, which is black on a terminal:
 * show it as bright black (grey) instead. Without colours, drop them.
 */
function forTerminal(text: string, colours: boolean): string {
  if (!colours) return text.replace(SGR, '');
  return text.replace(SGR, (sequence, codes: string) =>
    codes.split(';').includes('30') ? `\u001b[${codes.replace(/(^|;)30(?=;|$)/, '$190')}m` : sequence,
  );
}

export function buttonsOf(message: FakeMessage): ShownButton[] {
  return (message.components as Array<{ components?: ShownButton[] }>).flatMap((row) => row.components ?? []);
}

function isEphemeral(message: FakeMessage): boolean {
  return (message.flags & EPHEMERAL) === EPHEMERAL;
}

function firstLine(message: FakeMessage): string {
  const embed = (message.embeds as ShownEmbed[])[0];
  const text = message.content || embed?.title || embed?.description || '(empty)';
  const line = text.split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
