import { ApplicationCommandOptionType, type APIApplicationCommandOption } from 'discord.js';
import type { CommandOptionInput } from '../discord/interaction-builders.js';
import { splitPairs } from './quoted.js';

/**
 * Turns `/name [group] [sub] option:value …` into the interaction Discord
 * would send, checked against the command definitions the bot's loader
 * produces — the way the Discord client checks them before sending: unknown
 * or repeated options, a missing required option, an integer that is not a
 * whole number (`1e9`, `abc`, `1.5`), a value outside min/max or a length
 * outside min_length/max_length, and a value that is not one of the choices
 * are refused here and never reach the bot.
 */

export interface CommandDefinition {
  name: string;
  options?: readonly APIApplicationCommandOption[];
}

export interface ParsedCommand {
  name: string;
  group?: string;
  subcommand?: string;
  options: CommandOptionInput[];
  /** `/coins add` — the path the bot routes on. */
  path: string;
  /** For `:complete`: the option being typed (the last one given). */
  focused?: string;
}

export type ParseResult = { command: ParsedCommand } | { error: string };

const Type = ApplicationCommandOptionType;
/** Discord's integer options span ±2^53. */
const MAX_INTEGER = 2 ** 53;
const SNOWFLAKE = /^[1-9][0-9]{15,19}$/;

type LeafOption = Exclude<
  APIApplicationCommandOption,
  { type: ApplicationCommandOptionType.Subcommand | ApplicationCommandOptionType.SubcommandGroup }
>;

export function parseCommandLine(
  line: string,
  definitions: ReadonlyMap<string, CommandDefinition>,
  mode: 'run' | 'complete' = 'run',
  /** Turns a typed name (`alex`, `@alex`) into a user id, as picking a member in Discord does. */
  userIdOf: (name: string) => string | undefined = () => undefined,
): ParseResult {
  const text = line.trim().replace(/^\//, '');
  const name = /^\S*/.exec(text)![0];
  const definition = definitions.get(name);
  if (!definition) {
    const known = [...definitions.keys()].map((n) => `/${n}`).join(', ');
    return { error: `Unknown command /${name}. Commands: ${known}` };
  }
  let rest = text.slice(name.length).trimStart();
  let level = definition.options ?? [];
  const path = [name];
  let group: string | undefined;
  let subcommand: string | undefined;
  while (level.some(isBranch)) {
    const word = /^[^\s:]+(?=\s|$)/.exec(rest)?.[0];
    const branch = level.find((o) => isBranch(o) && o.name === word);
    if (!word || !branch || !('options' in branch)) {
      const names = level.filter(isBranch).map((o) => o.name);
      return { error: `/${path.join(' ')} needs one of: ${names.join(', ')}` };
    }
    if (branch.type === Type.SubcommandGroup) group = word;
    else subcommand = word;
    path.push(word);
    rest = rest.slice(word.length).trimStart();
    level = branch.options ?? [];
  }
  const leaves = level as readonly LeafOption[];
  const split = splitPairs(
    rest,
    ':',
    leaves.map((o) => o.name),
  );
  if ('error' in split) return { error: split.error };
  const where = `/${path.join(' ')}`;
  const options: CommandOptionInput[] = [];
  for (const { name: optionName, value } of split.pairs) {
    const option = leaves.find((o) => o.name === optionName);
    if (!option) return { error: unknownOption(where, optionName, leaves) };
    if (options.some((o) => o.name === optionName)) return { error: `${optionName} is given twice` };
    // An unknown `name:` after a number or a choice ran into its value: name the real mistake.
    const strayName = option.type !== Type.String && /\s([a-z_][\w-]*):/.exec(value)?.[1];
    if (strayName) return { error: unknownOption(where, strayName, leaves) };
    const focused = mode === 'complete' && optionName === split.pairs.at(-1)?.name;
    const checked = focused ? { value } : checkValue(option, value, userIdOf);
    if ('error' in checked) return { error: `${optionName}: ${checked.error}` };
    options.push({ name: optionName, type: option.type, value: checked.value });
  }
  const command: ParsedCommand = { name, group, subcommand, options, path: path.join(' ') };
  if (mode === 'complete') {
    const last = split.pairs.at(-1);
    const option = leaves.find((o) => o.name === last?.name);
    if (!option || !('autocomplete' in option) || !option.autocomplete) {
      const names = leaves.filter((o) => 'autocomplete' in o && o.autocomplete).map((o) => o.name);
      return {
        error: names.length
          ? `End with the option you are typing: ${names.map((n) => `${n}:…`).join(' or ')}`
          : `${where} has no option that autocompletes`,
      };
    }
    return { command: { ...command, focused: option.name } };
  }
  const missing = leaves.filter((o) => o.required && !options.some((g) => g.name === o.name));
  if (missing.length > 0) {
    return { error: `${where} needs ${missing.map((o) => `${o.name}:…`).join(' ')} (required)` };
  }
  return { command };
}

function unknownOption(where: string, name: string, leaves: readonly LeafOption[]): string {
  return `${where} has no option "${name}" (options: ${leaves.map((o) => o.name).join(', ') || 'none'})`;
}

function isBranch(option: APIApplicationCommandOption): boolean {
  return option.type === Type.Subcommand || option.type === Type.SubcommandGroup;
}

type Checked = { value: string | number | boolean } | { error: string };

/** The value as Discord would send it, or why the Discord client would not send it. */
export function checkValue(
  option: LeafOption,
  raw: string,
  userIdOf: (name: string) => string | undefined = () => undefined,
): Checked {
  switch (option.type) {
    case Type.Integer:
    case Type.Number: {
      const integer = option.type === Type.Integer;
      const pattern = integer ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
      const value = Number(raw);
      if (!pattern.test(raw) || !Number.isFinite(value) || Math.abs(value) > MAX_INTEGER) {
        return { error: `"${raw}" is not ${integer ? 'a whole number' : 'a number'}` };
      }
      if (option.min_value !== undefined && value < option.min_value)
        return { error: `must be at least ${option.min_value}` };
      if (option.max_value !== undefined && value > option.max_value)
        return { error: `must be at most ${option.max_value}` };
      return fromChoices(option.choices, value) ?? { value };
    }
    case Type.String: {
      const choice = option.choices?.find(
        (c) => c.value === raw || c.name.toLowerCase() === raw.toLowerCase(),
      );
      if (option.choices?.length) {
        return choice
          ? { value: choice.value }
          : { error: `"${raw}" is not one of: ${option.choices.map((c) => c.value).join(', ')}` };
      }
      const length = [...raw].length;
      if (length < (option.min_length ?? 1))
        return { error: `needs at least ${option.min_length ?? 1} character(s)` };
      if (length > (option.max_length ?? 6000))
        return { error: `at most ${option.max_length ?? 6000} characters` };
      return { value: raw };
    }
    case Type.Boolean: {
      const lower = raw.toLowerCase();
      if (lower === 'true' || lower === 'false') return { value: lower === 'true' };
      return { error: `"${raw}" is not true or false` };
    }
    case Type.User:
    case Type.Mentionable:
    case Type.Channel:
    case Type.Role: {
      const named = option.type === Type.User || option.type === Type.Mentionable;
      const id =
        /^<(?:@[!&]?|#)?(\d+)>$/.exec(raw)?.[1] ??
        (named ? userIdOf(raw.replace(/^@/, '')) : undefined) ??
        raw;
      if (SNOWFLAKE.test(id)) return { value: id };
      return { error: `"${raw}" is not a Discord id or mention${named ? ", nor a person's name" : ''}` };
    }
    case Type.Attachment:
      return { error: 'files cannot be attached at this prompt; leave the option out' };
  }
}

function fromChoices(
  choices: ReadonlyArray<{ name: string; value: number }> | undefined,
  value: number,
): Checked | undefined {
  if (!choices?.length || choices.some((c) => c.value === value)) return undefined;
  return { error: `${value} is not one of: ${choices.map((c) => c.value).join(', ')}` };
}
