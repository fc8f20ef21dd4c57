import apikey from './apikey.js';
import backups from './backups.js';
import ban from './ban.js';
import claim from './claim/index.js';
import coins from './coins.js';
import consoleCommand from './console.js';
import files from './files/index.js';
import help from './help.js';
import panel from './panel.js';
import plan from './plan.js';
import redeem from './redeem.js';
import renewal from './renewal.js';
import resources from './resources.js';
import rewards from './rewards/index.js';
import server from './server.js';
import unban from './unban.js';
import user from './user.js';

/**
 * Every command module, by its file: the one list the bot and
 * deploy-commands.ts load (src/commands/registry.ts). Static imports, so the
 * build bundles them; test/unit/command-list.test.ts fails when a file in
 * commands/ (`x.ts`, or a folder `x/` with an `index.ts`) is missing here.
 */
export const COMMAND_FILES: ReadonlyArray<{ file: string; module: unknown }> = [
  { file: 'apikey.ts', module: apikey },
  { file: 'backups.ts', module: backups },
  { file: 'ban.ts', module: ban },
  { file: 'claim/index.ts', module: claim },
  { file: 'coins.ts', module: coins },
  { file: 'console.ts', module: consoleCommand },
  { file: 'files/index.ts', module: files },
  { file: 'help.ts', module: help },
  { file: 'panel.ts', module: panel },
  { file: 'plan.ts', module: plan },
  { file: 'redeem.ts', module: redeem },
  { file: 'renewal.ts', module: renewal },
  { file: 'resources.ts', module: resources },
  { file: 'rewards/index.ts', module: rewards },
  { file: 'server.ts', module: server },
  { file: 'unban.ts', module: unban },
  { file: 'user.ts', module: user },
];
