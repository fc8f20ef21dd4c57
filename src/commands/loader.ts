import { ApplicationCommandOptionType } from 'discord.js';
import { isHandler, type CommandModule, type ComponentHandler, type Handler } from './types.js';
import type { Tier, TierTable } from '../policy/tiers.js';

/** One invocable path (`name`, `name sub`, `name group sub`) and what runs it. */
export interface Route extends Handler {
  path: string;
}

export interface CommandRegistry {
  commands: Map<string, CommandModule>;
  components: Map<string, ComponentHandler>;
  /** Every invocable path, in load order. */
  routes: Map<string, Route>;
  /** Path → tier, derived from the routes (the router and /help read it). */
  tiers: TierTable;
}

function looksLikeCommandModule(value: unknown): value is CommandModule {
  const candidate = value as { data?: { name?: unknown }; subcommands?: unknown } | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.data?.name === 'string' &&
    (isHandler(candidate) || (typeof candidate.subcommands === 'object' && candidate.subcommands !== null))
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

/** The handlers a module declares, by full path. */
function declaredRoutes(module: CommandModule): Map<string, Handler> {
  const name = module.data.name;
  const declared = new Map<string, Handler>();
  if (!('subcommands' in module)) return declared.set(name, module);
  for (const [key, entry] of Object.entries(module.subcommands)) {
    if (isHandler(entry)) declared.set(`${name} ${key}`, entry);
    else for (const [sub, handler] of Object.entries(entry)) declared.set(`${name} ${key} ${sub}`, handler);
  }
  return declared;
}

/**
 * The routes of one module: its declared handlers must match the deployed
 * paths exactly, so nothing is deployed without a handler and tier, and no
 * handler is left unreachable.
 */
export function routesOf(module: CommandModule, source: string): Route[] {
  const declared = declaredRoutes(module);
  const paths = commandPaths(module);
  const missing = paths.filter((path) => !declared.has(path));
  const extra = [...declared.keys()].filter((path) => !paths.includes(path));
  if (missing.length > 0)
    throw new Error(`${source}: no handler for ${missing.map((p) => `/${p}`).join(', ')}`);
  if (extra.length > 0)
    throw new Error(`${source}: handler for undeployed ${extra.map((p) => `/${p}`).join(', ')}`);
  return paths.map((path) => {
    const { tier, run } = declared.get(path)!;
    return { path, tier, run };
  });
}

/**
 * The registry of these command modules (`file` names each in errors).
 * Fails loudly on duplicates, on a path without a handler and on a
 * component that names an unknown path.
 */
export function registryOf(files: ReadonlyArray<{ file: string; module: unknown }>): CommandRegistry {
  const commands = new Map<string, CommandModule>();
  const components = new Map<string, ComponentHandler>();
  const routes = new Map<string, Route>();
  for (const { file, module } of files) {
    if (!looksLikeCommandModule(module)) {
      throw new Error(`commands/${file} must default-export a command module (data + handlers)`);
    }
    if (commands.has(module.data.name))
      throw new Error(`Duplicate command /${module.data.name} in commands/${file}`);
    for (const route of routesOf(module, `commands/${file}`)) routes.set(route.path, route);
    commands.set(module.data.name, module);
    for (const component of module.components ?? []) {
      if (components.has(component.name)) throw new Error(`Duplicate component name "${component.name}"`);
      components.set(component.name, component);
    }
  }
  for (const component of components.values()) {
    if (!routes.has(component.commandPath)) {
      throw new Error(`Component "${component.name}" names unknown command path "${component.commandPath}"`);
    }
  }
  const tiers = new Map<string, Tier>([...routes.values()].map((route) => [route.path, route.tier]));
  return { commands, components, routes, tiers };
}
