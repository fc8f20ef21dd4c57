import { randomBytes } from 'node:crypto';

/** Discord's epoch (2015-01-01T00:00:00Z); snowflakes count milliseconds from it. */
const DISCORD_EPOCH = 1_420_070_400_000n;

let increment = 0n;

/**
 * A fresh snowflake: 18–19 digits today, unique within the process, ordered by
 * creation time — the shape discord.js and the schema's `^(0|[1-9][0-9]*)$` expect.
 */
export function snowflake(at: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

/** A fresh snowflake that routes to `shard` of `count`: Discord's shard of a guild is (id >> 22) % count. */
export function snowflakeOnShard(shard: number, count: number, at: number = Date.now()): string {
  const sinceEpoch = BigInt(at) - DISCORD_EPOCH;
  const shift = (BigInt(shard) - (sinceEpoch % BigInt(count)) + BigInt(count)) % BigInt(count);
  return snowflake(Number(sinceEpoch + shift + DISCORD_EPOCH));
}

/** The shard a guild's events go to (Discord: (guild_id >> 22) % shard_count); DMs go to shard 0. */
export function shardOf(guildId: string | null, count: number): number {
  return guildId === null ? 0 : Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** When a snowflake was minted (ms since the Unix epoch). */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** An interaction token: Discord's are long and URL-safe ([A-Za-z0-9_-]). */
export function interactionToken(): string {
  return `aW50ZXJhY3Rpb246${randomBytes(48).toString('base64url')}`;
}

/** A bot token shaped like Discord's: base64(user id) . timestamp . hmac. */
export function botTokenFor(userId: string): string {
  const id = Buffer.from(userId).toString('base64url');
  return `${id}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
}
