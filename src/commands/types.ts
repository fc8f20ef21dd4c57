import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Context } from '../context.js';

/** A button or modal handler, found by the `name` part of its custom id. */
export interface ComponentHandler {
  name: string;
  /** Command path whose tier guards this component (see src/policy/tiers.ts). */
  commandPath: string;
  button?(interaction: ButtonInteraction, state: string[], ctx: Context): Promise<void>;
  modal?(interaction: ModalSubmitInteraction, state: string[], ctx: Context): Promise<void>;
}

/** One top-level slash command: what is deployed and how it is handled. */
export interface CommandModule {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: Context): Promise<void>;
  components?: ComponentHandler[];
}

/** Identity helper so command files get full type checking on their export. */
export function defineCommand(module: CommandModule): CommandModule {
  return module;
}
