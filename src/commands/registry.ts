import { COMMAND_FILES } from '../../commands/_all.js';
import { registryOf, type CommandRegistry } from './loader.js';

/**
 * Every module of commands/ (listed in commands/_all.ts): the one loader of
 * the bot and deploy-commands.ts, so what is deployed is exactly what is
 * handled. Apart from loader.ts because the commands themselves import the
 * router, which imports the loader.
 */
export function loadCommands(): CommandRegistry {
  return registryOf(COMMAND_FILES);
}
