import type { ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/commands/types.js';
import type { Context } from '../src/context.js';
import { defineConfirmation } from '../src/bot/confirmations.js';
import { Colors } from '../src/bot/style.js';
import { moderatorCommand } from '../src/moderation/command-data.js';
import { requireDashboard } from '../src/moderation/dashboard.js';
import { defineModeratorWrite } from '../src/moderation/write-flow.js';
import { clip } from '../src/text.js';
import { resolveTarget, targetIdOption, targetUserOption, type Target } from '../src/moderation/target.js';

const data = moderatorCommand('renewal', 'Renewal bypass: servers that never expire')
  .addSubcommand((sub) =>
    sub
      .setName('give')
      .setDescription("Grant renewal bypass: the user's servers never expire")
      .addUserOption(targetUserOption)
      .addStringOption(targetIdOption),
  )
  .addSubcommand((sub) =>
    sub
      .setName('remove')
      .setDescription('Remove renewal bypass (asks to confirm)')
      .addUserOption(targetUserOption)
      .addStringOption(targetIdOption),
  )
  .toJSON();

const giveWrite = defineModeratorWrite<object>({
  action: 'renewal give',
  values: () => ({}),
  write: (dashboard, target) => dashboard.giveRenewalBypass(target.id),
  reply: ({ target }) => ({
    embeds: [
      {
        title: clip(`Renewal bypass granted to ${target.name}`, 256),
        color: Colors.success,
        description: `${target.display}'s servers no longer need renewing.`,
      },
    ],
  }),
});

const removeWrite = defineModeratorWrite<object>({
  action: 'renewal remove',
  values: () => ({}),
  write: (dashboard, target) => dashboard.removeRenewalBypass(target.id),
  reply: ({ target }) => ({
    embeds: [
      {
        title: clip(`Renewal bypass removed from ${target.name}`, 256),
        color: Colors.success,
        description: `${target.display}'s servers must be renewed again as usual.`,
      },
    ],
  }),
});

const confirmRemove = defineConfirmation<{ target: Target }>({
  name: 'renewal-remove-confirm',
  commandPath: 'renewal remove',
  run: (interaction, { target }, ctx) => removeWrite.confirmed(interaction, ctx, target, {}),
});

async function remove(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  requireDashboard(ctx);
  const target = resolveTarget(interaction);
  await confirmRemove.ask(interaction, ctx, {
    embed: {
      title: clip(`Remove renewal bypass from ${target.name}?`, 256),
      description: `${target.display}'s servers will have to be renewed again, and may expire if they are not.`,
    },
    confirmLabel: 'Remove bypass',
    payload: { target },
  });
}

export default defineCommand({
  data,
  components: [confirmRemove.component],
  subcommands: {
    give: giveWrite.command('admin', () => ({})),
    remove: { tier: 'admin', run: remove },
  },
});
