import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FakeInteraction } from '../fakes/discord/index.js';
import type { ChatInputInput } from '../fakes/discord/interaction-builders.js';
import { WAIT_MS } from '../fakes/discord/fake-interaction.js';
import { ensureBuilt } from './build.js';
import { npmStart } from './npm-start.js';
import { startProcess, type BotProcess } from './bot-process.js';
import { startE2E, type E2E } from './e2e.js';
import { postgresEngine } from './stores.js';
import { redisSkip, testRedisUrl, uniquePrefix } from './redis.js';

/**
 * The sharded bot as an operator runs it: `npm start`'s command (the
 * shard manager; its shard processes inherit its node flags) with SHARD_COUNT=auto against a fake Discord recommending
 * 2 shards, one guild on each shard, on a fresh Postgres database.
 */

export const SHARDS = 2;
export const GRANT_TOKEN = 'sharded-e2e-grant-token-7f3a9c1d';
export const DBL_SECRET = 'sharded-e2e-dbl-secret';

export interface GuildOnShard {
  guildId: string;
  channelId: string;
}

export interface ShardedRig extends E2E {
  /** guilds[n] routes to shard n. */
  guilds: [GuildOnShard, GuildOnShard];
  /** The manager's HTTP server. */
  http: string;
  close(): Promise<void>;
}

/** Why the sharded suite cannot run here (it needs a real Postgres and Redis), or undefined. */
export const shardedSkip = postgresEngine.skip ?? redisSkip;

/** Variables that make several processes share state: the store and Redis (a key prefix of this run's own). */
function coordinationEnv(storeUrl: string): Record<string, string> {
  return { STORE_URL: storeUrl, REDIS_URL: testRedisUrl(), REDIS_PREFIX: uniquePrefix() };
}

export interface ShardedRigOptions {
  /** The shards this "machine" runs (SHARD_COUNT=2, SHARD_IDS=…); default: all, with SHARD_COUNT=auto. */
  shardIds?: number[];
}

export async function startShardedRig(options: ShardedRigOptions = {}): Promise<ShardedRig> {
  const shardIds = options.shardIds ?? [0, 1];
  ensureBuilt();
  const database = await postgresEngine.create();
  let guilds: [GuildOnShard, GuildOnShard] | undefined;
  let e2e: E2E;
  try {
    e2e = await startE2E({
      process: npmStart(),
      env: ({ discord }) => {
        discord.recommendedShards = SHARDS;
        guilds = [
          discord.addGuild('Guild on shard 0', [0, SHARDS]),
          discord.addGuild('Guild on shard 1', [1, SHARDS]),
        ];
        return {
          ...coordinationEnv(database.url),
          ...(options.shardIds
            ? { SHARD_COUNT: String(SHARDS), SHARD_IDS: options.shardIds.join(',') }
            : { SHARD_COUNT: 'auto' }),
          // Discord's 5 s between IDENTIFYs does not apply to the fake.
          SHARD_SPAWN_DELAY_MS: '0',
          HTTP_PORT: '0',
          REWARDS_API_TOKENS: GRANT_TOKEN,
          DBL_WEBHOOK_SECRET: DBL_SECRET,
          LOG_LEVEL: 'info',
        };
      },
    });
  } catch (error) {
    await database.cleanup();
    throw error;
  }
  try {
    await Promise.all(shardIds.map((shard) => e2e.discord.waitForShard(shard)));
    const listening = await e2e.bot.waitForLog((line) => line.msg === 'HTTP server listening');
    const rig: ShardedRig = {
      ...e2e,
      guilds: guilds!,
      http: String(listening.address),
      async close() {
        try {
          await e2e.close();
        } finally {
          await database.cleanup();
        }
      },
    };
    await waitForManagerReady(rig, shardIds);
    return rig;
  } catch (error) {
    await e2e.close().catch(() => undefined);
    await database.cleanup();
    throw error;
  }
}

/** A manager process: the rig's, or another "machine" started beside it. */
type Manager = Pick<ShardedRig, 'bot'>;

/** Waits until the manager reports each of `shardIds` ready and each shard process logged it is ready. */
async function waitForManagerReady(manager: Manager, shardIds: number[]): Promise<void> {
  for (const shard of shardIds) await waitForShardReady(manager, shard, 1);
  await manager.bot.waitForLog(() => readyShards(manager).length === shardIds.length);
}

/**
 * Another machine splitting the same bot: a second manager with its own
 * SHARD_IDS on the rig's fakes and database; resolves once its shards are ready.
 */
export async function startAnotherMachine(
  rig: ShardedRig,
  shardIds: number[],
): Promise<{ bot: BotProcess; http: string }> {
  const bot = startProcess(
    { ...rig.env, SHARD_COUNT: String(SHARDS), SHARD_IDS: shardIds.join(',') },
    npmStart(),
  );
  try {
    const listening = await bot.waitForLog((line) => line.msg === 'HTTP server listening');
    await waitForManagerReady({ bot }, shardIds);
    return { bot, http: String(listening.address) };
  } catch (error) {
    await bot.stop();
    throw error;
  }
}

/** Resolves once `done()` holds, re-checked on every line any of `managers` logs. */
export function waitAcross(managers: Manager[], done: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    // Added after the process helper's own listener, so the line is parsed before this runs.
    const onData = (): void => {
      if (!done()) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting across ${managers.length} managers`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      for (const manager of managers) manager.bot.child.stdout?.off('data', onData);
    };
    for (const manager of managers) manager.bot.child.stdout?.on('data', onData);
  });
}

/** The shard ids of the processes that logged 'Hostlink is ready', sorted. */
export function readyShards(rig: Manager): unknown[] {
  return rig.bot.logs
    .filter((line) => line.msg === 'Hostlink is ready')
    .map((line) => line.shard)
    .sort();
}

/** A slash command in the guild of shard `shard`. */
export function onShard(rig: ShardedRig, shard: 0 | 1, input: ChatInputInput): FakeInteraction {
  return rig.discord.chatInput({ ...input, guildId: rig.guilds[shard].guildId });
}

/** Manager log lines about shard `shard` with message `msg`, in order. */
export function managerLines(rig: Manager, shard: number, msg: string): Array<Record<string, unknown>> {
  return rig.bot.logs.filter(
    (line) => line.shardManager === true && line.shard === shard && line.msg === msg,
  );
}

/** Waits for the manager to have logged shard `shard` ready `times` times (a respawned shard once more). */
export async function waitForShardReady(rig: Manager, shard: number, times: number): Promise<void> {
  await rig.bot.waitForLog(() => managerLines(rig, shard, 'Shard ready').length >= times);
}

/** The pid of shard `shard`'s current process, from the manager's log. */
export function shardPid(rig: Manager, shard: number): number {
  const pid = managerLines(rig, shard, 'Shard process started').at(-1)?.pid;
  assert.equal(typeof pid, 'number', `the manager logged the pid of shard ${shard}`);
  return pid as number;
}

/**
 * True while process `pid` runs. An orphan that exited stays a zombie until
 * whoever adopted it reaps it (in a container PID 1 may never do so), and
 * signal 0 still reaches a zombie: Linux's /proc tells the two apart.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** POST /api/v1/grants to the manager. */
export function postGrant(
  rig: ShardedRig,
  idempotencyKey: string,
  grant: { user_id: string; coins: number; reason: string },
): Promise<Response> {
  return fetch(`${rig.http}/api/v1/grants`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${GRANT_TOKEN}`,
      'idempotency-key': idempotencyKey,
      'content-type': 'application/json',
    },
    body: JSON.stringify(grant),
  });
}

/** `/console stream` for `userId` on `server` in the guild of `shard`. */
export function openConsoleStream(
  rig: ShardedRig,
  shard: 0 | 1,
  userId: string,
  server: string,
): FakeInteraction {
  return onShard(rig, shard, {
    name: 'console',
    subcommand: 'stream',
    userId,
    options: [{ name: 'server', type: 3, value: server }],
  });
}

/** The same member runs `/claim` in the guilds of both shards at once. */
export function claimOnBothShards(rig: ShardedRig, userId: string, roles: string[] = []): FakeInteraction[] {
  return [0, 1].map((shard) => onShard(rig, shard as 0 | 1, { name: 'claim', userId, roles }));
}
