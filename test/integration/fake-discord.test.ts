import assert from 'node:assert/strict';
import { WAIT_MS } from '../fakes/discord/fake-interaction.js';
import { after, before, describe, test } from 'node:test';
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  type Interaction,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  SlashCommandBuilder,
  TextInputBuilder,
  TextInputStyle,
  type TextChannel,
} from 'discord.js';
import { FakeDiscord, OptionType } from '../fakes/discord/index.js';

/**
 * Drives the real discord.js Client against the fake Discord: every path the
 * bot uses (reply, defer+edit, follow-up, modal, autocomplete, button update,
 * channel messages, files, commands, 429 retries) must work and send bodies
 * that pass Discord's OpenAPI schema; hand-made invalid bodies must be caught.
 */

let fake: FakeDiscord;
let client: Client;
let handler: (interaction: Interaction) => Promise<void> = async () => undefined;

/** Runs `fn` on the next interaction the bot receives and resolves with its result. */
function onNextInteraction<T>(fn: (interaction: Interaction) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    handler = async (interaction) => {
      handler = async () => undefined;
      await fn(interaction).then(resolve, reject);
    };
  });
}

async function rawRequest(
  method: string,
  path: string,
  body?: unknown,
  auth = true,
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const response = await fetch(`${fake.apiUrl}/v10${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(auth ? { authorization: `Bot ${fake.botToken}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

function channel(): TextChannel {
  const found = client.channels.cache.get(fake.channelId);
  assert.ok(found?.isTextBased(), 'the fake channel is cached as a text channel');
  return found as TextChannel;
}

describe('fake Discord with the real discord.js client', () => {
  before(async () => {
    // Discord's 3 s deadline is tested on its own below; a loaded machine must not trip it elsewhere.
    fake = await FakeDiscord.start({ callbackDeadlineMs: WAIT_MS });
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    client.on(Events.InteractionCreate, (interaction) => void handler(interaction));
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(fake.botToken);
    await ready;
    await fake.waitForReady();
  });

  after(async () => {
    await client?.destroy();
    await fake?.close();
  });

  test('login fetches the gateway with the bot token and sees the guild and its channel', () => {
    const gatewayCall = fake.requests.find((r) => r.path === '/api/v10/gateway/bot');
    assert.equal(gatewayCall?.headers.authorization, `Bot ${fake.botToken}`);
    assert.equal(client.user?.id, fake.botUserId);
    assert.equal(client.application?.id, fake.applicationId);
    const guild = client.guilds.cache.get(fake.guildId);
    assert.ok(guild?.available);
    assert.ok(guild.roles.cache.has(fake.guildId), '@everyone role has the guild id');
    assert.ok(guild.members.cache.has(fake.botUserId));
    assert.equal(channel().id, fake.channelId);
  });

  test('chat input: subcommand, USER option and member roles reach the handler; reply lands', async () => {
    const seen = onNextInteraction(async (interaction) => {
      assert.ok(interaction.isChatInputCommand());
      const user = interaction.options.getUser('user', true);
      const result = {
        command: interaction.commandName,
        subcommand: interaction.options.getSubcommand(),
        userId: user.id,
        username: user.username,
        amount: interaction.options.getInteger('amount'),
        roles: interaction.inCachedGuild() ? [...interaction.member.roles.cache.keys()].sort() : [],
        channelId: interaction.channelId,
      };
      await interaction.reply({ content: 'Done.', allowedMentions: { parse: [] } });
      return result;
    });
    const sent = fake.chatInput({
      name: 'coins',
      subcommand: 'add',
      options: [
        { name: 'user', type: OptionType.User, value: '222222222222222222' },
        { name: 'amount', type: OptionType.Integer, value: 50 },
      ],
      resolvedUsers: [{ id: '222222222222222222', username: 'alice' }],
      roles: ['333333333333333333'],
    });
    const result = await seen;
    assert.deepEqual(result, {
      command: 'coins',
      subcommand: 'add',
      userId: '222222222222222222',
      username: 'alice',
      amount: 50,
      roles: [fake.guildId, '333333333333333333'].sort(),
      channelId: fake.channelId,
    });
    const callback = await sent.waitForCallback();
    assert.equal(callback.type, 4);
    assert.deepEqual(callback.data.allowed_mentions, { parse: [] });
    assert.equal(sent.original?.content, 'Done.');
    assert.ok(sent.firstCallbackAt !== undefined && sent.firstCallbackAt >= sent.dispatchedAt);
    assert.deepEqual(fake.violations, []);
  });

  test('subcommand groups nest as Discord sends them', async () => {
    const seen = onNextInteraction(async (interaction) => {
      assert.ok(interaction.isChatInputCommand());
      const names = [interaction.options.getSubcommandGroup(), interaction.options.getSubcommand()];
      await interaction.reply({ content: names.join(' ') });
      return names;
    });
    fake.chatInput({ name: 'admin', group: 'renewal', subcommand: 'give' });
    assert.deepEqual(await seen, ['renewal', 'give']);
  });

  test('deferReply (ephemeral) then editReply with an embed', async () => {
    const done = onNextInteraction(async (interaction) => {
      assert.ok(interaction.isChatInputCommand());
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const embed = new EmbedBuilder()
        .setTitle('User')
        .setDescription('Details')
        .setColor(0x5865f2)
        .addFields({ name: 'Coins', value: '50', inline: true })
        .setFooter({ text: 'Heliactyl' })
        .setTimestamp();
      await interaction.editReply({ content: '', embeds: [embed], allowedMentions: { parse: [] } });
    });
    const sent = fake.chatInput({ name: 'user', subcommand: 'info' });
    await done;
    assert.equal(sent.callbacks[0]?.type, 5);
    assert.equal(sent.callbacks[0]?.data?.flags, 64);
    assert.equal(sent.edits.length, 1);
    const original = sent.original;
    assert.ok(original);
    assert.equal(original.flags & 64, 64, 'still ephemeral');
    assert.equal(original.flags & 128, 0, 'no longer loading');
    assert.equal((original.embeds[0] as { title?: string }).title, 'User');
    assert.deepEqual(fake.violations, []);
  });

  test('reply withResponse returns the created message; follow-ups land', async () => {
    const done = onNextInteraction(async (interaction) => {
      assert.ok(interaction.isChatInputCommand());
      const response = await interaction.reply({ content: 'first', withResponse: true });
      const followUp = await interaction.followUp({ content: 'second', flags: MessageFlags.Ephemeral });
      return { responseId: response.resource?.message?.id, followUpId: followUp.id };
    });
    const sent = fake.chatInput({ name: 'panel', subcommand: 'status' });
    const ids = await done;
    assert.equal(ids.responseId, sent.original?.id);
    assert.equal(sent.followUps.length, 1);
    assert.equal(sent.followUps[0]?.id, ids.followUpId);
    assert.equal(sent.followUps[0]?.content, 'second');
    assert.equal(sent.followUps[0]?.flags, 64);
    assert.deepEqual(fake.violations, []);
  });

  test('showModal, then the modal submit carries the typed fields', async () => {
    const shown = onNextInteraction(async (interaction) => {
      assert.ok(interaction.isChatInputCommand());
      const modal = new ModalBuilder()
        .setCustomId('apikey:set')
        .setTitle('Set your API key')
        .addLabelComponents(
          new LabelBuilder()
            .setLabel('API key')
            .setTextInputComponent(new TextInputBuilder().setCustomId('key').setStyle(TextInputStyle.Short)),
        );
      await interaction.showModal(modal);
    });
    const command = fake.chatInput({ name: 'apikey', subcommand: 'set' });
    await shown;
    assert.equal(command.callbacks[0]?.type, 9);
    assert.equal(command.callbacks[0]?.data?.custom_id, 'apikey:set');

    const submitted = onNextInteraction(async (interaction) => {
      assert.ok(interaction.isModalSubmit());
      const key = interaction.fields.getTextInputValue('key');
      await interaction.reply({ content: 'Saved.', flags: MessageFlags.Ephemeral });
      return { customId: interaction.customId, key };
    });
    const submit = fake.modalSubmit({ customId: 'apikey:set', fields: { key: 'ah_secret' } });
    assert.deepEqual(await submitted, { customId: 'apikey:set', key: 'ah_secret' });
    assert.equal(submit.original?.flags, 64);
    assert.deepEqual(fake.violations, []);
  });

  test('modal built from action rows (older layout) also round-trips', async () => {
    const shown = onNextInteraction(async (interaction) => {
      assert.ok(interaction.isButton());
      const input = new TextInputBuilder()
        .setCustomId('content')
        .setLabel('Content')
        .setStyle(TextInputStyle.Paragraph);
      await interaction.showModal(
        new ModalBuilder()
          .setCustomId('files:write')
          .setTitle('Write file')
          .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)),
      );
    });
    fake.button({ customId: 'open-modal' });
    await shown;
    const submitted = onNextInteraction(async (interaction) => {
      assert.ok(interaction.isModalSubmit());
      await interaction.deferUpdate();
      return interaction.fields.getTextInputValue('content');
    });
    fake.modalSubmit({ customId: 'files:write', fields: { content: 'line 1\nline 2' } });
    assert.equal(await submitted, 'line 1\nline 2');
    assert.deepEqual(fake.violations, []);
  });

  test('autocomplete: the focused option reaches the bot and choices come back', async () => {
    const done = onNextInteraction(async (interaction) => {
      assert.ok(interaction.isAutocomplete());
      const focused = interaction.options.getFocused(true);
      await interaction.respond([{ name: `Server ${focused.value}`, value: 'srv-1' }]);
      return { name: focused.name, value: focused.value, sub: interaction.options.getSubcommand() };
    });
    const sent = fake.autocomplete({
      name: 'server',
      subcommand: 'info',
      focused: 'server',
      options: [{ name: 'server', type: OptionType.String, value: 'mc' }],
    });
    assert.deepEqual(await done, { name: 'server', value: 'mc', sub: 'info' });
    const callback = await sent.waitForCallback();
    assert.deepEqual(callback, { type: 8, data: { choices: [{ name: 'Server mc', value: 'srv-1' }] } });
    assert.deepEqual(fake.violations, []);
  });

  test('button on a channel message: update edits that same message', async () => {
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('power:confirm').setLabel('Confirm').setStyle(ButtonStyle.Danger),
    );
    const message = await channel().send({ content: 'Stop the server?', components: [row] });
    const done = onNextInteraction(async (interaction) => {
      assert.ok(interaction.isButton());
      assert.equal(interaction.message.id, message.id);
      await interaction.update({ content: 'Stopping…', components: [] });
      return interaction.customId;
    });
    const click = fake.button({ customId: 'power:confirm', messageId: message.id });
    assert.equal(await done, 'power:confirm');
    assert.equal(click.callbacks[0]?.type, 7);
    const stored = fake.channelMessages().find((m) => m.id === message.id);
    assert.equal(stored?.content, 'Stopping…');
    assert.deepEqual(stored?.components, []);
    assert.equal(click.original, stored);
    assert.deepEqual(fake.violations, []);
  });

  test('channel message send and edit, with a file (multipart) that is served back', async () => {
    const file = new AttachmentBuilder(Buffer.from('hello file\n'), { name: 'log.txt' });
    const message = await channel().send({
      content: 'console',
      files: [file],
      embeds: [new EmbedBuilder().setDescription('start')],
      allowedMentions: { parse: [] },
    });
    await message.edit({ content: 'console (edited)', allowedMentions: { parse: [] } });
    const stored = fake.channelMessages().find((m) => m.id === message.id);
    assert.equal(stored?.content, 'console (edited)');
    assert.ok(stored?.edited_timestamp);
    assert.equal(stored?.attachments.length, 1, 'the edit keeps the attachment');
    assert.equal(stored?.attachments[0]?.filename, 'log.txt');
    assert.equal(stored?.attachments[0]?.size, 11);
    const download = await fetch(stored?.attachments[0]?.url ?? '');
    assert.equal(await download.text(), 'hello file\n');
    assert.equal(fake.channelEdits.at(-1)?.messageId, message.id);
    const multipart = fake.requests.find(
      (r) => r.method === 'POST' && String(r.headers['content-type']).startsWith('multipart/form-data'),
    );
    assert.equal((multipart?.body as { content?: string } | undefined)?.content, 'console');
    assert.deepEqual(fake.violations, []);
  });

  test('ATTACHMENT options resolve to an uploaded file the bot can download', async () => {
    const upload = fake.addUpload('server.properties', 'motd=hi\n', 'text/plain');
    const done = onNextInteraction(async (interaction) => {
      assert.ok(interaction.isChatInputCommand());
      const attachment = interaction.options.getAttachment('file', true);
      const text = await (await fetch(attachment.url)).text();
      await interaction.reply({ content: 'ok' });
      return { name: attachment.name, size: attachment.size, text };
    });
    fake.chatInput({
      name: 'files',
      subcommand: 'write',
      options: [{ name: 'file', type: OptionType.Attachment, value: upload.id }],
    });
    assert.deepEqual(await done, { name: 'server.properties', size: 8, text: 'motd=hi\n' });
  });

  test('bulk command overwrite (global and guild) stores commands with ids', async () => {
    const data = [
      new SlashCommandBuilder()
        .setName('coins')
        .setDescription('Manage coins')
        .setDefaultMemberPermissions(0n)
        .addSubcommand((s) =>
          s
            .setName('add')
            .setDescription('Add coins')
            .addUserOption((o) => o.setName('user').setDescription('Discord user'))
            .addIntegerOption((o) => o.setName('amount').setDescription('Amount').setRequired(true)),
        )
        .toJSON(),
    ];
    const global = await client.application?.commands.set(data);
    assert.equal(global?.size, 1);
    const guildCommands = await client.guilds.cache.get(fake.guildId)?.commands.set(data);
    assert.equal(guildCommands?.first()?.name, 'coins');
    assert.equal((fake.commands.global[0] as { name: string }).name, 'coins');
    assert.match((fake.commands.global[0] as { id: string }).id, /^\d{17,19}$/);
    assert.equal(fake.commands.guild.get(fake.guildId)?.length, 1);
    assert.deepEqual(fake.violations, []);
  });

  test('a 429 on editReply is retried by discord.js and the edit still lands', async () => {
    const rateLimited: number[] = [];
    client.rest.on('response', (_request, response) => {
      if (response.status === 429) rateLimited.push(response.status);
    });
    fake.faults.add({
      fault: { kind: 'rate_limit', retryAfterSeconds: 0.2 },
      method: 'PATCH',
      path: '/messages/@original',
      times: 1,
    });
    const hitsBefore = fake.rateLimitHits;
    const done = onNextInteraction(async (interaction) => {
      assert.ok(interaction.isChatInputCommand());
      await interaction.deferReply();
      await interaction.editReply({ content: 'after the 429' });
    });
    const sent = fake.chatInput({ name: 'server', subcommand: 'status' });
    await done;
    assert.equal(fake.rateLimitHits, hitsBefore + 1);
    assert.equal(sent.original?.content, 'after the 429');
    const patches = fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(sent.token));
    assert.equal(patches.length, 2, 'one 429, one retry');
    assert.deepEqual(rateLimited, [429], 'discord.js saw the 429 itself');
    assert.deepEqual(fake.violations, []);
  });

  test('per-route limiter: X-RateLimit headers, 429 body beyond the limit, discord.js waits it out', async () => {
    fake.rateLimit = { perRoute: { limit: 2, windowMs: 300 } };
    try {
      const message = await channel().send({ content: 'rate 0' });
      // discord.js reads Remaining/Reset-After and queues edits itself; all must land, in order.
      for (let i = 1; i <= 3; i += 1) await message.edit({ content: `rate ${i}` });
      assert.equal(fake.channelMessages().find((m) => m.id === message.id)?.content, 'rate 3');

      const hitsBefore = fake.rateLimitHits;
      const path = `/channels/${fake.channelId}/messages`;
      const first = await rawRequest('POST', path, { content: 'a' });
      assert.equal(first.headers.get('x-ratelimit-limit'), '2');
      assert.ok(first.headers.get('x-ratelimit-bucket'));
      assert.ok(Number(first.headers.get('x-ratelimit-reset-after')) > 0);
      await rawRequest('POST', path, { content: 'b' });
      const third = await rawRequest('POST', path, { content: 'c' });
      assert.equal(third.status, 429);
      assert.ok(Number(third.headers.get('retry-after')) > 0);
      assert.equal(third.headers.get('x-ratelimit-remaining'), '0');
      const body = third.json as { message: string; retry_after: number; global: boolean };
      assert.equal(body.global, false);
      assert.ok(body.retry_after > 0 && body.retry_after <= 0.3);
      assert.equal(fake.rateLimitHits, hitsBefore + 1);

      // Interaction callbacks are exempt from per-route limits.
      const done = onNextInteraction(async (interaction) => {
        assert.ok(interaction.isChatInputCommand());
        await interaction.reply({ content: 'exempt' });
      });
      const sent = fake.chatInput({ name: 'panel', subcommand: 'status' });
      await done;
      const callbackRequest = fake.requests.find((r) => r.path.includes(`/interactions/${sent.id}/`));
      assert.ok(callbackRequest);
    } finally {
      fake.rateLimit = undefined;
    }
    assert.deepEqual(fake.violations, []);
  });

  test('a second initial response is refused with 40060', async () => {
    const done = onNextInteraction(async (interaction) => {
      assert.ok(interaction.isChatInputCommand());
      await interaction.reply({ content: 'once' });
      // Bypass discord.js's own "already replied" guard to reach the API.
      await client.rest.post(`/interactions/${interaction.id}/${interaction.token}/callback`, {
        body: { type: 4, data: { content: 'twice' } },
        auth: false,
      });
    });
    fake.chatInput({ name: 'panel', subcommand: 'status' });
    await assert.rejects(done, (error: unknown) => error instanceof DiscordAPIError && error.code === 40060);
  });

  test('no schema violations on any discord.js path above', () => {
    assert.deepEqual(fake.violations, []);
    assert.ok(fake.requests.length > 30, 'the paths above did reach the fake');
  });

  test('warmUp compiles every body validator up front', () => {
    const started = performance.now();
    fake.warmUp();
    fake.warmUp();
    assert.ok(performance.now() - started < 5000);
  });

  describe('hand-made requests', () => {
    before(() => {
      handler = async () => undefined; // the bot ignores these interactions
    });

    function callbackPath(sent: { id: string; token: string }): string {
      return `/interactions/${sent.id}/${sent.token}/callback`;
    }

    test('unknown routes and unknown interactions answer Discord errors', async () => {
      const unknownRoute = await rawRequest('GET', '/nope');
      assert.equal(unknownRoute.status, 404);
      const unknown = await rawRequest(
        'POST',
        '/interactions/123456789012345678/abc/callback',
        { type: 6 },
        false,
      );
      assert.equal(unknown.status, 404);
      assert.equal((unknown.json as { code: number }).code, 10062);
      const webhook = await rawRequest(
        'PATCH',
        `/webhooks/${fake.applicationId}/nope/messages/%40original`,
        {},
        false,
      );
      assert.equal((webhook.json as { code: number }).code, 10015);
    });

    test('bot routes need the bot token', async () => {
      assert.equal((await rawRequest('GET', '/users/@me', undefined, false)).status, 401);
      const wrong = await fetch(`${fake.apiUrl}/v10/users/@me`, { headers: { authorization: 'Bot wrong' } });
      assert.equal(wrong.status, 401);
      assert.equal((await rawRequest('GET', '/users/@me')).status, 200);
    });

    test('content over 2000 characters in a reply is a violation and a 50035', async () => {
      const sent = fake.chatInput({ name: 'noop' });
      const before = fake.violations.length;
      const answer = await rawRequest(
        'POST',
        callbackPath(sent),
        { type: 4, data: { content: 'x'.repeat(2001) } },
        false,
      );
      assert.equal(answer.status, 400);
      assert.equal((answer.json as { code: number }).code, 50035);
      const violation = fake.violations[before];
      assert.equal(violation?.route, '/interactions/{interaction_id}/{interaction_token}/callback');
      assert.ok(
        violation?.errors.some((e) => e.startsWith('/data/content')),
        violation?.errors.join('\n'),
      );
      assert.equal(sent.original, undefined, 'a rejected body creates nothing');
    });

    test('an embed description over 4096 characters is flagged', async () => {
      const before = fake.violations.length;
      const answer = await rawRequest('POST', `/channels/${fake.channelId}/messages`, {
        embeds: [{ description: 'y'.repeat(4097) }],
      });
      assert.equal(answer.status, 400);
      const errors = (answer.json as { errors: Record<string, unknown> }).errors;
      assert.ok(errors.embeds, JSON.stringify(errors));
      assert.ok(fake.violations[before]?.errors.some((e) => e.startsWith('/embeds/0/description')));
    });

    test('7000 characters over two valid embeds break the 6000 total', async () => {
      const before = fake.violations.length;
      const embeds = [{ description: 'a'.repeat(3500) }, { description: 'b'.repeat(3500) }];
      const answer = await rawRequest('POST', `/channels/${fake.channelId}/messages`, { embeds });
      assert.equal(answer.status, 400);
      assert.deepEqual(fake.violations[before]?.errors, [
        '/embeds Embed size exceeds maximum size of 6000 (7000 characters)',
      ]);
      const sent = fake.chatInput({ name: 'noop' });
      await rawRequest('POST', callbackPath(sent), { type: 4, data: { embeds } }, false);
      assert.ok(fake.violations[before + 1]?.errors[0]?.startsWith('/data/embeds Embed size exceeds'));
    });

    test('a bad callback type is flagged; a wrong type for the interaction too', async () => {
      const before = fake.violations.length;
      const sent = fake.chatInput({ name: 'noop' });
      const bad = await rawRequest('POST', callbackPath(sent), { type: 99 }, false);
      assert.equal(bad.status, 400);
      assert.ok(fake.violations[before]?.errors.some((e) => e.startsWith('/type')));
      const wrong = await rawRequest('POST', callbackPath(sent), { type: 8, data: { choices: [] } }, false);
      assert.equal(wrong.status, 400);
      assert.match(
        fake.violations[before + 1]?.errors[0] ?? '',
        /type 8 is not valid for interaction type 2/,
      );
    });

    test('an answer after the 3 s window is an unknown interaction', async () => {
      // A window already over when the interaction is sent: every answer is late, without waiting.
      fake.callbackDeadlineMs = -1;
      try {
        const sent = fake.chatInput({ name: 'noop' });
        const late = await rawRequest('POST', callbackPath(sent), { type: 5 }, false);
        assert.equal(late.status, 404);
        assert.equal((late.json as { code: number }).code, 10062);
      } finally {
        fake.callbackDeadlineMs = WAIT_MS;
      }
    });
  });
});
