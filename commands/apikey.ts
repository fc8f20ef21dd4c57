import {
  LabelBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type APIEmbed,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { defineCommand } from '../src/commands/types.js';
import { beginUserAction } from '../src/user/action.js';
import type { Context } from '../src/context.js';
import { defineConfirmation } from '../src/bot/confirmations.js';
import { encodeCustomId } from '../src/bot/custom-id.js';
import { defer, respond } from '../src/bot/respond.js';
import { Colors } from '../src/bot/style.js';
import { UserError } from '../src/errors.js';
import { isWellFormedApiKey } from '../src/atomichost/client.js';
import { AtomicHostError, isKeyRevoked } from '../src/atomichost/errors.js';
import { KeyRefusedError } from '../src/user/key-errors.js';
import type { Me } from '../src/atomichost/schemas.js';
import { forgetUser, refuseWithoutKey } from '../src/user/api.js';
import { userCommand } from '../src/user/options.js';
import { codeSpan, discordDate, plain } from '../src/text.js';
import { formatCount } from '../src/format.js';

const MODAL = 'apikey-set';
const KEY_FIELD = 'key';
/** `ah_` + 52 letters and digits. */
const KEY_LENGTH = 55;

const data = userCommand('apikey', 'Your AtomicHost API key (stored encrypted, used only for you)')
  .addSubcommand((sub) =>
    sub.setName('set').setDescription('Add or replace your AtomicHost API key (opens a private form)'),
  )
  .addSubcommand((sub) =>
    sub.setName('status').setDescription('Show which key is stored and your credits left'),
  )
  .addSubcommand((sub) => sub.setName('remove').setDescription('Delete your stored API key from Hostlink'))
  .toJSON();

/**
 * The account, key and credits. The credits are shown once, in their field
 * (with the reset time): no credits footer, unlike other answers.
 */
function keyEmbed(title: string, me: Me, note?: string): APIEmbed {
  const credits = me.credits;
  return {
    title,
    color: Colors.success,
    ...(note ? { description: note } : {}),
    fields: [
      { name: 'Account', value: `${plain(me.user.username)} (id ${me.user.id})`, inline: true },
      {
        name: 'Key',
        value: `${codeSpan(`${me.api_key.prefix}…`)} · ${plain(me.api_key.name)}`,
        inline: true,
      },
      {
        name: 'Credits',
        value: `${formatCount(credits.remaining)} of ${formatCount(credits.limit)} left today · resets ${discordDate(credits.reset_at, 'R')}`,
        inline: false,
      },
      ...(me.api_key.last_used_at
        ? [{ name: 'Last used', value: discordDate(me.api_key.last_used_at), inline: true }]
        : []),
    ],
  };
}

const removal = defineConfirmation<Record<string, never>>({
  name: 'apikey-remove',
  commandPath: 'apikey remove',
  async run(interaction, _payload, ctx) {
    const removed = await ctx.vault.delete(interaction.user.id);
    forgetUser(interaction.user.id, ctx, 'Your API key was removed from Hostlink, so this console ended.');
    await respond(interaction, {
      embeds: [
        {
          title: removed ? 'API key removed' : 'No API key was stored',
          description: removed
            ? 'Hostlink deleted your stored AtomicHost API key. The key itself still works on AtomicHost — regenerate it there if you want it revoked.'
            : 'There was nothing to remove.',
          color: removed ? Colors.success : Colors.neutral,
        },
      ],
      components: [],
    });
  },
});

async function saveKey(interaction: ModalSubmitInteraction, ctx: Context): Promise<void> {
  const key = interaction.fields.getTextInputValue(KEY_FIELD).trim();
  if (!isWellFormedApiKey(key)) {
    throw new UserError(
      "That doesn't look like an AtomicHost API key: a key is `ah_` followed by 52 letters and digits. " +
        'Copy it again from **Account Settings → API Access** (it is shown only once; generate a new one if you lost it).',
      'Not an API key',
    );
  }
  await defer(interaction, { ephemeral: true });
  let me;
  try {
    me = await ctx.atomichost.forKey(key).me();
  } catch (error) {
    if (error instanceof AtomicHostError && isKeyRevoked(error)) {
      throw new KeyRefusedError(error.code as KeyRefusedError['code'], false, { cause: error });
    }
    throw error;
  }
  const userId = interaction.user.id;
  const replaced = await ctx.vault.has(userId);
  await ctx.vault.set(userId, key);
  forgetUser(userId, ctx, 'You set a new API key, so this console (opened with the old one) ended.');
  ctx.logger.info({ account: me.data.user.id, replaced }, 'Stored an AtomicHost API key');
  await respond(interaction, {
    embeds: [
      keyEmbed(
        'API key saved',
        me.data,
        `Hostlink stored your key encrypted${replaced ? ', replacing the previous one' : ''}. Only you can use it, with \`/server\`, \`/console\`, \`/files\` and \`/backups\`.`,
      ),
    ],
  });
}

async function askForKey(interaction: ChatInputCommandInteraction): Promise<void> {
  const modal = new ModalBuilder()
    .setCustomId(encodeCustomId(MODAL))
    .setTitle('Your AtomicHost API key')
    .addLabelComponents(
      new LabelBuilder()
        .setLabel('API key')
        .setDescription('From AtomicHost → Account Settings → API Access. Stored encrypted.')
        .setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(KEY_FIELD)
            .setStyle(TextInputStyle.Short)
            .setMinLength(KEY_LENGTH)
            .setMaxLength(KEY_LENGTH)
            .setPlaceholder('ah_…')
            .setRequired(true),
        ),
    );
  await interaction.showModal(modal);
}

async function showStatus(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const api = await beginUserAction(interaction, ctx);
  const me = await api.me();
  await respond(interaction, { embeds: [keyEmbed('Your AtomicHost API key', me.data)] });
}

async function askRemoval(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  await refuseWithoutKey(interaction.user.id, ctx);
  await removal.ask(interaction, ctx, {
    embed: {
      title: 'Remove your API key?',
      description:
        'Hostlink will delete the AtomicHost API key it stored for you. You can add one again any time with `/apikey set`.',
    },
    confirmLabel: 'Remove key',
    payload: {},
  });
}

export default defineCommand({
  data,
  subcommands: {
    set: { tier: 'user', run: askForKey },
    status: { tier: 'user', run: showStatus },
    remove: { tier: 'user', run: askRemoval },
  },
  components: [
    {
      name: MODAL,
      commandPath: 'apikey set',
      modal: (interaction, _state, ctx) => saveKey(interaction, ctx),
    },
    removal.component,
  ],
});
