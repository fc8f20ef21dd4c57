/**
 * `npm run fakes`: starts the fake Discord, Heliactyl and AtomicHost on
 * 127.0.0.1 with the sample world, prints a ready-to-paste `.env` block for a
 * bot you run yourself (`npm start`), then offers the `hostlink>` prompt.
 * `npm run demo` does all of this and starts the bot too.
 */
import { loadCommands } from '../../src/commands/registry.js';
import { MissingFileError } from './discord/schema-validator.js';
import { GameServerActivity } from './sandbox/activity.js';
import { HELP } from './sandbox/prompt.js';
import { runRepl } from './sandbox/repl.js';
import { startSandbox, type Sandbox } from './sandbox/seed.js';

let sandbox: Sandbox;
try {
  sandbox = await startSandbox();
} catch (error) {
  if (!(error instanceof MissingFileError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const activity = new GameServerActivity(sandbox.atomichost, sandbox.services);
const { discord, heliactyl, atomichost, people } = sandbox;
const env = Object.entries({ ...sandbox.botEnv, LOG_PRETTY: 'true' })
  .map(([key, value]) => `${key}=${value}`)
  .join('\n');

console.log(`Fakes are up:
  Discord     REST ${discord.apiUrl}   gateway ${discord.gatewayUrl}
  Heliactyl   ${heliactyl.url}   (the four people's dashboard accounts)
  AtomicHost  ${atomichost.url}   (${sandbox.services.length} game servers)

Paste into .env, run \`npm run deploy\` once if you like, then \`npm start\` in another terminal
(or run \`npm run demo\` instead, which does all of this in one terminal):

${env}

Sample AtomicHost keys for /apikey set (then :form key=…):
${Object.values(people)
  .map((p) => `  ${p.name} (${p.username}): ${p.account.key}`)
  .join('\n')}

When the bot is connected, type a slash command here (you act as ${people.admin.username}, an admin).
${HELP}
Ctrl+C or :quit stops the fakes.
`);

const definitions = new Map([...loadCommands().commands].map(([name, m]) => [name, m.data]));
const { done } = runRepl(sandbox, definitions);
await done;
activity.stop();
await sandbox.close();
process.exit(0);
