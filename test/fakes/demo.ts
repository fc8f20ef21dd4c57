/**
 * `npm run demo`: try Hostlink without a Discord account. Starts the fake
 * Discord, Heliactyl and AtomicHost, the real bot wired to them (no `.env`,
 * no deploy step), makes the sample game servers print console output, links
 * sample AtomicHost keys, then offers the `hostlink>` prompt.
 */
import { loadCommands } from '../../src/commands/registry.js';
import { MissingFileError } from './discord/schema-validator.js';
import { GameServerActivity } from './sandbox/activity.js';
import { startDemoBot } from './sandbox/bot.js';
import { linkSampleKey } from './sandbox/link-key.js';
import { HELP } from './sandbox/prompt.js';
import { runRepl } from './sandbox/repl.js';
import { startSandbox, type Sandbox } from './sandbox/seed.js';

const say = (text: string): void => void process.stdout.write(`${text}\n`);
const warn = (text: string): void => void process.stderr.write(`${text}\n`);

let sandbox: Sandbox;
try {
  sandbox = await startSandbox();
} catch (error) {
  if (!(error instanceof MissingFileError)) throw error;
  warn(error.message);
  process.exit(1);
}
say('Starting Hostlink against local fakes of Discord, Heliactyl and AtomicHost…');
const activity = new GameServerActivity(sandbox.atomichost, sandbox.services);
const bot = startDemoBot(sandbox.botEnv, warn);

let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  activity.stop();
  await bot.stop();
  await sandbox.close();
  process.exit(code);
}
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));

try {
  await bot.ready;
  await sandbox.discord.waitForReady();
  const { admin, member } = sandbox.people;
  await Promise.all([linkSampleKey(sandbox, admin), linkSampleKey(sandbox, member)]);
} catch (error) {
  warn(error instanceof Error ? error.message : String(error));
  await shutdown(1);
}

const definitions = new Map([...loadCommands().commands].map(([name, m]) => [name, m.data]));
const { admin, moderator, member, other } = sandbox.people;
const servers = sandbox.services
  .filter((s) => s.ownerId === admin.account.id)
  .map((s) => `${s.name} (${s.id}, ${s.state})`)
  .join(', ');
say(`
Hostlink is connected to the fake Discord. You are ${admin.username}, an admin.
  People (:as NAME): admin ${admin.username}, moderator ${moderator.username}, member ${member.username}, other ${other.username}
  ${admin.username}'s AtomicHost key is linked: ${servers}
  ${member.username}'s key is linked too; ${moderator.username} and ${other.username} can link theirs with /apikey set:
    ${moderator.username}: ${moderator.account.key}
    ${other.username}: ${other.account.key}
  Dashboard accounts: the four people's Discord ids (${admin.userId} … ${other.userId}).

Try:
  /panel status
  /server list
  /console stream server:${sandbox.services[0]!.id}        then  :watch N  (N as shown) to follow it live
  /coins add user:@${member.username} amount:250      (the audit log post is shown too)
${HELP}
`);

void bot.exited.then((code) => {
  if (stopping) return;
  warn(`The bot stopped (exit code ${code}).`);
  void shutdown(1);
});
const { done } = runRepl(sandbox, definitions);
await done;
await shutdown(0);
