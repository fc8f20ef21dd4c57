import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ApplicationCommandOptionType } from 'discord.js';
import type { CommandModule, ComponentHandler } from './types.js';
import { tierFor } from '../policy/tiers.js';

const COMMANDS_DIR = fileURLToPath(new URL('../../commands/', import.meta.url));

export interface CommandRegistry {
  commands: Map<string, CommandModule>;
  components: Map<string, ComponentHandler>;
}

function isCommandModule(value: unknown): value is CommandModule {
  const candidate = value as Partial<CommandModule> | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.data?.name === 'string' &&
    typeof candidate.execute === 'function'
  );
}

/** Every invocable path of a command: `name`, `name sub`, `name group sub`. */
export function commandPaths(module: CommandModule): string[] {
  const name = module.data.name;
  const options = module.data.options ?? [];
  const paths: string[] = [];
  for (const option of options) {
    if (option.type === ApplicationCommandOptionType.Subcommand) paths.push(`${name} ${option.name}`);
    if (option.type === ApplicationCommandOptionType.SubcommandGroup) {
      for (const sub of option.options ?? []) paths.push(`${name} ${option.name} ${sub.name}`);
    }
  }
  return paths.length > 0 ? paths : [name];
}

/**
 * Finds every module in commands/ (default export). Shared by the bot and
 * deploy-commands.ts, so what is deployed is exactly what is handled. Fails
 * loudly on duplicates and on any command path without a tier in the policy.
 */
export async function loadCommands(directory = COMMANDS_DIR): Promise<CommandRegistry> {
  const files = (await readdir(directory))
    .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts') && !file.startsWith('_'))
    .sort();
  const commands = new Map<string, CommandModule>();
  const components = new Map<string, ComponentHandler>();
  for (const file of files) {
    const imported = (await import(pathToFileURL(join(directory, file)).href)) as { default?: unknown };
    if (!isCommandModule(imported.default)) {
      throw new Error(`commands/${file} must default-export a command module (data + execute)`);
    }
    const module = imported.default;
    if (commands.has(module.data.name))
      throw new Error(`Duplicate command /${module.data.name} in commands/${file}`);
    for (const path of commandPaths(module)) {
      if (!tierFor(path)) throw new Error(`/${path} (commands/${file}) has no tier in src/policy/tiers.ts`);
    }
    commands.set(module.data.name, module);
    for (const component of module.components ?? []) {
      if (components.has(component.name)) throw new Error(`Duplicate component name "${component.name}"`);
      if (!tierFor(component.commandPath)) {
        throw new Error(
          `Component "${component.name}" names unknown command path "${component.commandPath}"`,
        );
      }
      components.set(component.name, component);
    }
  }
  return { commands, components };
}
