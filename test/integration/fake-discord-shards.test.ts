import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, Events, GatewayIntentBits, MessageFlags, type Interaction } from 'discord.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import { shardOf } from '../fakes/discord/ids.js';

/** Replies the shard clients could not send (the test fails on any). */
const replyErrors: unknown[] = [];

/** A real discord.js client running one shard of two against the fake. */
async function shardClient(fake: FakeDiscord, shard: number, seen: Interaction[]): Promise<Client> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: fake.apiUrl },
    shards: [shard],
    shardCount: 2,
  });
  client.on(Events.InteractionCreate, (interaction) => {
    seen.push(interaction);
    if (interaction.isChatInputCommand())
      interaction
        .reply({ content: `shard ${shard}`, flags: MessageFlags.Ephemeral })
        .catch((error: unknown) => replyErrors.push(error));
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(fake.botToken);
  await ready;
  return client;
}

/**
 * Issue 13 item 7: the fake Discord speaks sharding as Discord does —
 * GET /gateway/bot recommends `shards`, IDENTIFY carries [id, count], each
 * shard is told only of its guilds, a guild's interactions reach the shard
 * (guild_id >> 22) % count, and DMs reach shard 0.
 */
describe('fake Discord: two shards', () => {
  let fake: FakeDiscord;
  let onShard0: { guildId: string; channelId: string };
  let onShard1: { guildId: string; channelId: string };
  const seen: [Interaction[], Interaction[]] = [[], []];
  const clients: Client[] = [];

  before(async () => {
    // Discord's 3 s answer deadline is not the subject here (a loaded machine must not trip it).
    fake = await FakeDiscord.start({ callbackDeadlineMs: Infinity });
    fake.recommendedShards = 2;
    onShard0 = fake.addGuild('Shard zero guild', [0, 2]);
    onShard1 = fake.addGuild('Shard one guild', [1, 2]);
    clients.push(await shardClient(fake, 0, seen[0]), await shardClient(fake, 1, seen[1]));
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.destroy()));
    await fake.close();
    assert.deepEqual(fake.violations, []);
    assert.deepEqual(replyErrors, []);
  });

  test('GET /gateway/bot recommends the configured number of shards', async () => {
    const response = await fetch(`${fake.apiUrl}/v10/gateway/bot`, {
      headers: { authorization: `Bot ${fake.botToken}` },
    });
    const body = (await response.json()) as { shards: number; url: string };
    assert.equal(body.shards, 2);
    assert.equal(body.url, fake.gatewayUrl);
  });

  test('each shard identifies with [id, 2] and is told of its own guilds only', () => {
    assert.equal(fake.gatewayIdentifies(0), 1);
    assert.equal(fake.gatewayIdentifies(1), 1);
    const [zero, one] = clients.map((client) => [...client.guilds.cache.keys()].sort());
    const expected = (shard: number): string[] =>
      [fake.guildId, onShard0.guildId, onShard1.guildId].filter((id) => shardOf(id, 2) === shard).sort();
    assert.deepEqual(zero, expected(0));
    assert.deepEqual(one, expected(1));
    assert.ok(zero!.includes(onShard0.guildId) && one!.includes(onShard1.guildId));
    assert.equal(clients[1]!.guilds.cache.get(onShard1.guildId)?.name, 'Shard one guild');
    assert.ok(clients[1]!.channels.cache.has(onShard1.channelId), "the guild's channel comes with it");
  });

  test('a guild interaction reaches the shard owning the guild; a DM reaches shard 0', async () => {
    const inGuild1 = fake.chatInput({ name: 'ping', guildId: onShard1.guildId });
    const inGuild0 = fake.chatInput({
      name: 'ping',
      guildId: onShard0.guildId,
      roles: ['300000000000000077'],
    });
    const inDm = fake.chatInput({ name: 'ping', dm: true });
    const answers = await Promise.all([inGuild1, inGuild0, inDm].map((i) => i.waitForCallback()));
    assert.deepEqual(
      answers.map((answer) => answer.data.content),
      ['shard 1', 'shard 0', 'shard 0'],
    );
    assert.deepEqual(
      seen[1].map((i) => [i.guildId, i.channelId]),
      [[onShard1.guildId, onShard1.channelId]],
    );
    assert.deepEqual(
      seen[0].map((i) => i.guildId),
      [onShard0.guildId, null],
    );
    const member = seen[0][0]!.member;
    assert.ok(
      member &&
        'roles' in member &&
        !Array.isArray(member.roles) &&
        member.roles.cache.has('300000000000000077'),
      "a role new to the fake is announced to the guild's shard before the interaction",
    );
    assert.equal(seen[0][1]!.user.id, fake.testUserId, 'the DM comes from the user');
  });

  test('an interaction for a shard that is not connected fails loudly instead of reaching another', async () => {
    await clients[1]!.destroy();
    await fake.waitForShardDisconnected(1);
    assert.throws(
      () => fake.chatInput({ name: 'ping', guildId: onShard1.guildId }),
      /no gateway client is ready to receive INTERACTION_CREATE for guild \d+/,
    );
    assert.equal(seen[0].length, 2, 'shard 0 got nothing more');
  });
});
