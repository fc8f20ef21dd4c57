import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Context } from '../context.js';
import type { Tier } from '../policy/tiers.js';

/** A button or modal handler, found by the `name` part of its custom id. */
export interface ComponentHandler {
  name: string;
  /** Command path whose tier guards this component (declared by its command module). */
  commandPath: string;
  button?(interaction: ButtonInteraction, state: string[], ctx: Context): Promise<void>;
  modal?(interaction: ModalSubmitInteraction, state: string[], ctx: Context): Promise<void>;
}

/** What runs one invocable path, and who may run it. */
export interface Handler {
  tier: Tier;
  run(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void>;
}

/** Subcommand name → handler, or subcommand-group name → (subcommand name → handler). */
export type Subcommands = Readonly<Record<string, Handler | Readonly<Record<string, Handler>>>>;

interface CommandBase {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  autocomplete?(interaction: AutocompleteInteraction, ctx: Context): Promise<void>;
  components?: ComponentHandler[];
}

/**
 * One top-level slash command: what is deployed, and per invocable path its
 * handler and tier. The loader derives dispatch and the tier table from this,
 * so no command switches on subcommand names.
 */
export type CommandModule = CommandBase & (Handler | { subcommands: Subcommands });

/** Identity helper so command files get full type checking on their export. */
export function defineCommand(module: CommandModule): CommandModule {
  return module;
}

export function isHandler(value: unknown): value is Handler {
  const candidate = value as Partial<Handler> | undefined;
  return typeof candidate?.run === 'function' && typeof candidate.tier === 'string';
}
