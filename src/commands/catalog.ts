import { ApplicationCommandOptionType } from 'discord.js';
import type { Config } from '../config.js';
import { decideAccess, type Caller } from '../policy/access.js';
import type { TierTable } from '../policy/tiers.js';
import type { CatalogEntry } from './catalog-entry.js';
import type { CommandModule } from './types.js';

/**
 * Every path of the loaded commands with its deployed description and tier,
 * in load order (commands/ sorted by file name). Built from the same modules
 * the router and the deploy script use, so /help lists exactly what runs.
 */
export function commandCatalog(modules: Iterable<CommandModule>, tiers: TierTable): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  const add = (path: string, description: string): void => {
    const tier = tiers.get(path);
    if (tier) entries.push({ path, description, tier });
  };
  for (const module of modules) {
    const { name, description, options = [] } = module.data;
    let hasSubcommands = false;
    for (const option of options) {
      if (option.type === ApplicationCommandOptionType.Subcommand) {
        hasSubcommands = true;
        add(`${name} ${option.name}`, option.description);
      }
      if (option.type === ApplicationCommandOptionType.SubcommandGroup) {
        hasSubcommands = true;
        for (const sub of option.options ?? []) add(`${name} ${option.name} ${sub.name}`, sub.description);
      }
    }
    if (!hasSubcommands) add(name, description);
  }
  return entries;
}

/** The entries this caller may run (the same decision the router makes). */
export function allowedEntries(
  catalog: readonly CatalogEntry[],
  caller: Caller,
  config: Config,
): CatalogEntry[] {
  return catalog.filter((entry) => decideAccess(entry.path, entry.tier, caller, config).allowed);
}
