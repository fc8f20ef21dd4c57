import assert from 'node:assert/strict';
import { WAIT_MS } from '../fakes/discord/fake-interaction.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import { FakeHeliactyl } from '../fakes/heliactyl.js';
import { FakeAtomicHost } from '../fakes/atomichost/index.js';
import type { FakeInteraction } from '../fakes/discord/index.js';
import { startProcess, type BotProcess } from './bot-process.js';

/** Role ids the bot under test is configured with. */
export const ROLES = {
  admin: '300000000000000001',
  moderator: '300000000000000002',
  member: '300000000000000003',
} as const;

export const HELIACTYL_KEY = 'hl_e2e_admin_key_5c1f0e9d7b';

export interface E2E {
  discord: FakeDiscord;
  heliactyl: FakeHeliactyl;
  atomichost: FakeAtomicHost;
  bot: BotProcess;
  /** Environment the bot was started with. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface E2EOptions {
  /** Extra or overriding variables for the bot; a function receives the started fakes (e.g. for a channel id). */
  env?:
    | Record<string, string>
    | ((fakes: { discord: FakeDiscord }) => Record<string, string> | Promise<Record<string, string>>);
  discord?: Parameters<typeof FakeDiscord.start>[0];
  heliactyl?: Parameters<typeof FakeHeliactyl.start>[0];
  atomichost?: Parameters<typeof FakeAtomicHost.start>[0];
  /** How the bot process runs (default: src/index.ts under tsx in a fresh folder). */
  process?: Parameters<typeof startProcess>[1];
}

/**
 * Starts the three fakes and the real bot process (src/index.ts) wired to
 * them, and waits until the bot is ready. `close()` stops everything and
 * asserts the fake Discord saw no request that broke Discord's schema.
 */
export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  const [discord, heliactyl, atomichost] = await Promise.all([
    // Discord's 3 s to acknowledge is a timing target (bench/interactions.ts), not something a loaded
    // machine should fail a test on: here the fake forgets an interaction only after the wait limit.
    FakeDiscord.start({ callbackDeadlineMs: WAIT_MS, ...options.discord }),
    FakeHeliactyl.start({ apiKey: HELIACTYL_KEY, ...options.heliactyl }),
    FakeAtomicHost.start(options.atomichost),
  ]);
  const env: Record<string, string> = {
    DISCORD_TOKEN: discord.botToken,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    HELIACTYL_URL: heliactyl.url,
    HELIACTYL_API_KEY: HELIACTYL_KEY,
    ATOMICHOST_API_URL: atomichost.url,
    // The fake hands out one-time links on its own loopback origin: trust exactly that one.
    ATOMICHOST_TRANSFER_HOSTS: atomichost.origin,
    ADMIN_ROLE_IDS: ROLES.admin,
    MODERATOR_ROLE_IDS: ROLES.moderator,
    ENCRYPTION_KEY: Buffer.alloc(32, 42).toString('base64'),
    HTTP_TIMEOUT_MS: '1500',
    LOG_LEVEL: 'debug',
    ...(typeof options.env === 'function' ? await options.env({ discord }) : options.env),
  };
  for (const [key, value] of Object.entries(env)) if (value === '') delete env[key];
  const bot = startProcess(env, options.process);
  try {
    // Together: a bot that exits at start (a bad variable) fails the wait instead of hanging it.
    await Promise.all([discord.waitForReady(), bot.waitForLog((line) => line.msg === 'Hostlink is ready')]);
  } catch (error) {
    await bot.stop();
    await Promise.allSettled([discord.close(), heliactyl.close(), atomichost.close()]);
    throw error;
  }
  return {
    discord,
    heliactyl,
    atomichost,
    bot,
    env,
    async close() {
      await bot.stop();
      await Promise.allSettled([discord.close(), heliactyl.close(), atomichost.close()]);
      assert.deepEqual(
        discord.violations,
        [],
        'requests to Discord must validate against its OpenAPI schema',
      );
    },
  };
}

/** The embeds of the interaction's current visible answer (original message). */
export function answerEmbeds(interaction: FakeInteraction): Array<Record<string, unknown>> {
  return (interaction.original?.embeds ?? []) as Array<Record<string, unknown>>;
}

/** Waits until the interaction's original message has an embed (the final answer after a defer). */
export async function waitForAnswer(
  interaction: FakeInteraction,
  timeoutMs = WAIT_MS,
): Promise<Record<string, unknown>> {
  await interaction.waitFor(() => answerEmbeds(interaction).length > 0, timeoutMs);
  return answerEmbeds(interaction)[0]!;
}

/** True when the first callback asked for an ephemeral answer (flag 64). */
export function isEphemeral(interaction: FakeInteraction): boolean {
  const first = interaction.callbacks[0];
  const flags = (first?.data as { flags?: number } | undefined)?.flags ?? 0;
  return (flags & 64) === 64;
}
