import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/commands/types.js';
import type { Context } from '../src/context.js';
import { defineConfirmation } from '../src/bot/confirmations.js';
import { defer, respond } from '../src/bot/respond.js';
import { moderatorCommand } from '../src/moderation/command-data.js';
import { requireDashboard } from '../src/moderation/dashboard.js';
import { readAccount, runWrite } from '../src/moderation/actions.js';
import {
  COIN_WRITE_UNKNOWN_HINT,
  beforeAuditValue,
  beforeText,
  judge,
  judgeAdd,
  readBack,
  readBefore,
  unknownBeforeNote,
  withAccountFields,
  type Before,
} from '../src/moderation/balance.js';
import { completionComponents, offerCompletion } from '../src/moderation/coins-completion.js';
import { formatCoins, truncate } from '../src/moderation/format.js';
import { MAX_AMOUNT, coinsAddInput, coinsSetInput, parseInput } from '../src/moderation/input.js';
import { balanceEmbed } from '../src/moderation/views.js';
import {
  rawOption,
  resolveTarget,
  targetIdOption,
  targetUserOption,
  type Target,
} from '../src/moderation/target.js';

const data = moderatorCommand('coins', 'Dashboard coin balances')
  .addSubcommand((sub) =>
    sub
      .setName('add')
      .setDescription("Add coins to a user's balance")
      .addIntegerOption((o) =>
        o
          .setName('amount')
          .setDescription('Coins to add')
          .setRequired(true)
          .setMinValue(1)
          .setMaxValue(MAX_AMOUNT),
      )
      .addUserOption(targetUserOption)
      .addStringOption(targetIdOption),
  )
  .addSubcommand((sub) =>
    sub
      .setName('set')
      .setDescription("Set a user's balance to an exact amount (asks to confirm)")
      .addIntegerOption((o) =>
        o
          .setName('amount')
          .setDescription('The new balance')
          .setRequired(true)
          .setMinValue(0)
          .setMaxValue(MAX_AMOUNT),
      )
      .addUserOption(targetUserOption)
      .addStringOption(targetIdOption),
  )
  .addSubcommand((sub) =>
    sub
      .setName('balance')
      .setDescription("Show a user's coin balance")
      .addUserOption(targetUserOption)
      .addStringOption(targetIdOption),
  )
  .toJSON();

async function addCoins(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const dashboard = requireDashboard(ctx);
  const target = resolveTarget(interaction);
  const { amount } = parseInput(coinsAddInput, { amount: rawOption(interaction, 'amount') });
  await defer(interaction, { ephemeral: true });
  const before = await readBefore(dashboard, target);
  const meta = {
    action: 'coins add',
    target,
    values: { amount, 'balance before': beforeAuditValue(before) },
    unknownHint: COIN_WRITE_UNKNOWN_HINT,
  };
  // Sent once: addcoins is not idempotent, so it is never retried.
  const outcome = await runWrite(
    ctx,
    interaction.user,
    meta,
    () => dashboard.addCoins(target.id, amount),
    async () => judgeAdd(await readBack(dashboard, target), amount, target, before),
  );
  const embed = withAccountFields(outcome.embed, target, before);
  if (!outcome.lostGrant) return respond(interaction, { embeds: [embed] });
  await offerCompletion.ask(interaction, ctx, {
    embed,
    confirmLabel: 'Complete the grant',
    payload: { target, amount, intended: outcome.lostGrant.intended },
  });
}

interface SetRequest {
  target: Target;
  amount: number;
  before: Before;
}

const confirmSet = defineConfirmation<SetRequest>({
  name: 'coins-set-confirm',
  commandPath: 'coins set',
  async run(interaction: ButtonInteraction, request, ctx) {
    const dashboard = requireDashboard(ctx);
    const { target, amount, before } = request;
    const meta = {
      action: 'coins set',
      target,
      values: { amount, 'balance before': beforeAuditValue(before) },
      unknownHint: COIN_WRITE_UNKNOWN_HINT,
    };
    const outcome = await runWrite(
      ctx,
      interaction.user,
      meta,
      () => dashboard.setCoins(target.id, amount),
      async () =>
        judge(await readBack(dashboard, target), {
          title: truncate(`Balance of ${target.name} set to ${formatCoins(amount)}`, 256),
          expected: amount,
          before,
          notApplied: 'Try `/coins set` again, or check the dashboard.',
        }),
    );
    await respond(interaction, {
      embeds: [withAccountFields(outcome.embed, target, before)],
      components: [],
    });
  },
});

/** Setting 0 deletes the balance record, which the dashboard's addcoins then trips over once. */
const ZERO_NOTE =
  "\nA balance of 0 removes the account's balance record. The dashboard then loses the next `/coins add` on it, once (a known dashboard bug; the add after that works). The bot notices and offers to complete that grant.";

async function setCoins(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const dashboard = requireDashboard(ctx);
  const target = resolveTarget(interaction);
  const { amount } = parseInput(coinsSetInput, { amount: rawOption(interaction, 'amount') });
  await defer(interaction, { ephemeral: true });
  const before = await readBefore(dashboard, target);
  await confirmSet.ask(interaction, ctx, {
    embed: {
      title: truncate(`Set the balance of ${target.name}?`, 256),
      description: `${beforeText(before)} → **${formatCoins(amount)}**${amount === 0 ? ZERO_NOTE : ''}${unknownBeforeNote(before)}`,
      fields: [
        { name: 'Account', value: target.display, inline: true },
        { name: 'Current balance', value: beforeText(before), inline: true },
        { name: 'New balance', value: formatCoins(amount), inline: true },
      ],
    },
    confirmLabel: 'Set balance',
    payload: { target, amount, before },
  });
}

async function showBalance(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const dashboard = requireDashboard(ctx);
  const target = resolveTarget(interaction);
  await defer(interaction, { ephemeral: true });
  const info = await readAccount(target, () => dashboard.userInfo(target.id));
  await respond(interaction, { embeds: [balanceEmbed(target, info.coins)] });
}

export default defineCommand({
  data,
  components: [confirmSet.component, ...completionComponents],
  subcommands: {
    add: { tier: 'admin', run: addCoins },
    set: { tier: 'admin', run: setCoins },
    balance: { tier: 'moderator', run: showBalance },
  },
});
