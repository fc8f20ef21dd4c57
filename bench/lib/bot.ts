import type { FakeDiscord } from '../../test/fakes/discord/index.js';
import { startProcess, type BotProcess } from '../../test/helpers/bot-process.js';
import { ensureBuilt } from '../../test/helpers/build.js';
import { npmStart } from '../../test/helpers/npm-start.js';

export interface BenchBot {
  bot: BotProcess;
  /** Rejects (with the bot's stderr) if the bot exits; race it against any long wait. */
  exitedEarly: Promise<never>;
}

/**
 * Starts the real bot as `npm start` runs it (the bundle in dist/, built
 * first when the sources are newer; the start script's node flags) with
 * `env`, and resolves once it is connected to the fake Discord (or fails if
 * it exits).
 */
export async function startBenchBot(
  discord: FakeDiscord,
  env: Record<string, string>,
  options: {
    /** Node flags added to the start script's. */
    nodeArgs?: string[];
    /** Flags of the start script left out (to measure what one of them does). */
    withoutStartFlags?: string[];
  } = {},
): Promise<BenchBot> {
  const { nodeArgs = [], withoutStartFlags = [] } = options;
  ensureBuilt();
  const start = npmStart();
  const startFlags = start.nodeArgs.filter((flag) => !withoutStartFlags.includes(flag));
  const bot = startProcess(
    {
      DISCORD_TOKEN: discord.botToken,
      DISCORD_API_URL: discord.apiUrl,
      LOG_LEVEL: 'warn',
      ...env,
    },
    { compiled: start.compiled, nodeArgs: [...startFlags, ...nodeArgs] },
  );
  const exitedEarly = new Promise<never>((_, reject) =>
    bot.child.once('exit', (code) => reject(new Error(`bot exited early (${code}): ${bot.stderr()}`))),
  );
  exitedEarly.catch(() => undefined); // only observed through the races that use it
  await Promise.race([discord.waitForReady(), exitedEarly]);
  return { bot, exitedEarly };
}
