import type { FakeInteraction, FakeMessage } from '../discord/index.js';
import { waitForAnswer } from './answers.js';
import { parseCommandLine, type CommandDefinition } from './command-line.js';
import { buttonsOf, MessageBook } from './message-book.js';
import { splitPairs } from './quoted.js';
import type { Person, PersonName, Sandbox } from './seed.js';

/**
 * The `hostlink>` prompt: slash commands typed as text become interactions in
 * the fake Discord (checked as the Discord client checks them), and what the
 * bot answers is printed as text. Lines starting with `:` reach the parts of
 * Discord a slash command cannot: see HELP.
 */

export const HELP = `Type a slash command, e.g.  /server list   /coins add user:@alex amount:250
Values with spaces need no quotes (command:say hi); quote them for new lines: "line 1\\nline 2".
  :as admin|moderator|member|other   act as another person (roles and stored key differ)
  :complete /server status server:Sur   what autocomplete offers for the last option
  :messages                          every message so far, numbered (replies, follow-ups, audit log)
  :show [N]                          print message N as it is now (default: the newest)
  :watch N [edits]                   print message N again at each edit, until you press Enter (e.g. a live console)
  :press N.M                         press button M of message N (:press M: the newest message with buttons)
  :form field=value …                fill in the open form, e.g. :form command="say hello world"
  :help   :quit`;

const WATCH_TIMEOUT_MS = 30_000;

interface OpenForm {
  customId: string;
  fields: string[];
  messageId?: string;
}

export class HostlinkPrompt {
  readonly book: MessageBook;
  #me: Person;
  #form: OpenForm | undefined;
  #busy = false;
  #stopWatching: (() => void) | undefined;

  constructor(
    private readonly sandbox: Sandbox,
    private readonly commands: ReadonlyMap<string, CommandDefinition>,
    private readonly print: (text: string) => void,
    /** Called when an audit post or other channel message arrives while the prompt is idle. */
    private readonly onIdleOutput: () => void = () => {},
    colours = false,
  ) {
    const people = Object.values(sandbox.people);
    this.book = new MessageBook(colours, {
      user: (id) =>
        id === sandbox.discord.botUserId ? 'Hostlink' : people.find((p) => p.userId === id)?.username,
      channel: (id) =>
        id === sandbox.auditChannelId
          ? 'audit-log'
          : id === sandbox.discord.channelId
            ? 'general'
            : undefined,
    });
    this.#me = sandbox.people.admin;
    sandbox.discord.onChange(() => {
      if (!this.#busy) setImmediate(() => this.#printIdleChannelPosts());
    });
  }

  get me(): Person {
    return this.#me;
  }

  /** Handles one typed line; resolves when its output is printed. */
  async handle(line: string): Promise<'quit' | undefined> {
    const text = line.trim();
    if (!text) return undefined;
    this.#busy = true;
    try {
      if (text === ':quit' || text === ':q') return 'quit';
      if (text.startsWith(':')) await this.#control(text);
      else await this.#slash(text);
      return undefined;
    } finally {
      this.#busy = false;
    }
  }

  async #slash(text: string): Promise<void> {
    const parsed = parseCommandLine(text, this.commands, 'run', this.#userIdOf);
    if ('error' in parsed) return this.print(`Discord would not send this: ${parsed.error}`);
    const { name, group, subcommand, options, path } = parsed.command;
    const interaction = this.sandbox.discord.chatInput({
      name,
      group,
      subcommand,
      options,
      ...this.#actor(),
    });
    await this.#answer(interaction, `reply to /${path}`);
  }

  async #control(text: string): Promise<void> {
    const [verb = '', ...words] = text.slice(1).split(/\s+/);
    const rest = text.slice(1 + verb.length).trim();
    switch (verb) {
      case 'help':
        return this.print(HELP);
      case 'as':
        return this.#switchTo(words[0] ?? '');
      case 'complete':
        return this.#complete(rest);
      case 'messages':
        this.#sweepChannels();
        return this.print(this.book.size ? this.book.list().join('\n') : 'No messages yet.');
      case 'show':
        this.#sweepChannels();
        return this.print(this.book.render(words[0] ? Number(words[0]) : this.book.size));
      case 'watch':
        return this.#watch(Number(words[0]), words[1] ? Number(words[1]) : Infinity);
      case 'press':
        return this.#press(words[0] ?? '');
      case 'form':
        return this.#submitForm(rest);
      default:
        return this.print(`Unknown control :${verb}.\n${HELP}`);
    }
  }

  /** `user:alex` or `user:@member`: a person by username or by role name. */
  readonly #userIdOf = (name: string): string | undefined =>
    Object.values(this.sandbox.people).find((p) => p.username === name || p.name === name)?.userId;

  #actor(): { userId: string; roles: string[] } {
    return { userId: this.#me.userId, roles: this.#me.roles };
  }

  #switchTo(name: string): void {
    const person = this.sandbox.people[name as PersonName];
    if (!person) return this.print('Use :as admin, :as moderator, :as member or :as other.');
    this.#me = person;
    this.#form = undefined;
    this.print(
      `You are now ${person.username} (${person.name}: ${person.describe}, Discord id ${person.userId}).`,
    );
  }

  async #complete(rest: string): Promise<void> {
    const parsed = parseCommandLine(rest, this.commands, 'complete', this.#userIdOf);
    if ('error' in parsed) return this.print(parsed.error);
    const { name, group, subcommand, options, focused } = parsed.command;
    const interaction = this.sandbox.discord.autocomplete({
      name,
      group,
      subcommand,
      options,
      focused: focused!,
      ...this.#actor(),
    });
    const answer = await waitForAnswer(this.sandbox.discord, interaction);
    if (answer.kind !== 'choices')
      return this.print(answer.kind === 'none' ? answer.why : 'No choices came back.');
    if (answer.choices.length === 0) return this.print('(no suggestions)');
    this.print(answer.choices.map((c) => `  ${c.name}   → ${focused}:${String(c.value)}`).join('\n'));
  }

  async #press(target: string): Promise<void> {
    const match = /^(?:(\d+)\.)?(\d+)$/.exec(target);
    const number = match?.[1] ? Number(match[1]) : this.book.lastWithButtons();
    const message = number ? this.book.message(number) : undefined;
    const button = message ? buttonsOf(message)[Number(match?.[2]) - 1] : undefined;
    if (!message || !button) return this.print('No such button; buttons are listed as [N.M label].');
    if (!button.custom_id) return this.print(`That is a link: ${button.url ?? ''}`);
    if (button.disabled) return this.print(`"${button.label ?? ''}" is disabled.`);
    const interaction = this.sandbox.discord.button({
      customId: button.custom_id,
      messageId: message.id,
      ...this.#actor(),
    });
    await this.#answer(interaction, `answer to "${button.label ?? ''}"`);
  }

  async #submitForm(rest: string): Promise<void> {
    const form = this.#form;
    if (!form) return this.print('No form is open.');
    const split = splitPairs(rest, '=', form.fields);
    if ('error' in split) return this.print(split.error);
    const unknown = split.pairs.find((p) => !form.fields.includes(p.name));
    if (unknown)
      return this.print(`The form has no field "${unknown.name}" (fields: ${form.fields.join(', ')})`);
    this.#form = undefined;
    const fields = Object.fromEntries(split.pairs.map((p) => [p.name, p.value]));
    const interaction = this.sandbox.discord.modalSubmit({
      customId: form.customId,
      fields,
      messageId: form.messageId,
      ...this.#actor(),
    });
    await this.#answer(interaction, 'answer to the form');
  }

  /** Ends a running `:watch` (the next typed line does). */
  interrupt(): void {
    this.#stopWatching?.();
  }

  async #watch(number: number, edits: number): Promise<void> {
    if (!this.book.message(number)) return this.print(`There is no message ${number}; :messages lists them.`);
    let shown = this.book.render(number);
    this.print(`${shown}\n(watching message ${number}: press Enter to stop)`);
    let stopped = false;
    const stop = new Promise<void>((resolve) => {
      this.#stopWatching = () => {
        stopped = true;
        resolve();
      };
    });
    try {
      for (let i = 0; i < edits && !stopped; i += 1) {
        const edited = this.sandbox.discord
          .waitFor(() => stopped || this.book.render(number) !== shown, WATCH_TIMEOUT_MS)
          .then(
            () => 'edited' as const,
            () => 'quiet' as const,
          );
        const outcome = await Promise.race([edited, stop.then(() => 'stopped' as const)]);
        if (outcome === 'stopped' || stopped) break;
        if (outcome === 'quiet')
          return this.print(`(no edit of message ${number} in ${WATCH_TIMEOUT_MS / 1000} s)`);
        shown = this.book.render(number);
        this.print(shown);
      }
    } finally {
      this.#stopWatching = undefined;
    }
  }

  async #answer(interaction: FakeInteraction, origin: string): Promise<void> {
    const answer = await waitForAnswer(this.sandbox.discord, interaction);
    if (answer.kind === 'none') return this.print(`(${answer.why})`);
    if (answer.kind === 'form') {
      const source = interaction.payload.message as { id?: string } | undefined;
      this.#form = { customId: answer.customId, fields: answer.fields, messageId: source?.id };
      return this.print(
        `The bot opened a form "${answer.title}" with field(s): ${answer.fields.join(', ')}\n` +
          `Fill it in with  :form ${answer.fields.map((f) => `${f}="…"`).join(' ')}`,
      );
    }
    const touched: FakeMessage[] = [];
    if (interaction.original) touched.push(interaction.original);
    touched.push(...interaction.followUps);
    const discord = this.sandbox.discord;
    const numbers = touched.map((m) => this.book.add(m.id, origin, () => discord.message(m.id)));
    numbers.push(...this.#sweepChannels());
    this.print([...new Set(numbers)].map((n) => this.book.render(n)).join('\n'));
  }

  /** Adds channel posts (the audit log, public messages) not yet in the book; returns their numbers. */
  #sweepChannels(): number[] {
    const { discord, auditChannelId } = this.sandbox;
    const added: number[] = [];
    for (const [channelId, name] of [
      [discord.channelId, '#general'],
      [auditChannelId, '#audit-log'],
    ] as const) {
      for (const message of discord.channelMessages(channelId)) {
        if (this.book.has(message.id)) continue;
        added.push(this.book.add(message.id, name, () => discord.message(message.id)));
      }
    }
    return added;
  }

  #printIdleChannelPosts(): void {
    if (this.#busy) return;
    const added = this.#sweepChannels();
    if (added.length === 0) return;
    this.print(added.map((n) => this.book.render(n)).join('\n'));
    this.onIdleOutput();
  }
}
