import type { APIEmbed, ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/commands/types.js';
import type { Context } from '../src/context.js';
import { defineConfirmation } from '../src/bot/confirmations.js';
import { defer, respond } from '../src/bot/respond.js';
import { Colors } from '../src/bot/style.js';
import { UserError } from '../src/errors.js';
import type { HeliactylClient } from '../src/heliactyl/client.js';
import { describeHeliactylError } from '../src/heliactyl/errors.js';
import { moderatorCommand } from '../src/moderation/command-data.js';
import { requireDashboard } from '../src/moderation/dashboard.js';
import { readAccount, runWrite, type WriteOutcome } from '../src/moderation/actions.js';
import { formatCoins, formatCount, truncate } from '../src/moderation/format.js';
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

const UNKNOWN_HINT =
  'Check the balance with `/coins balance` before doing anything else — the bot does not retry coin writes by itself.';

type ReadBack = { ok: true; coins: number | null } | { ok: false; reason: string };

/** The balance as the dashboard now reports it; a failed read is reported, not thrown (the write is done). */
async function readBack(dashboard: HeliactylClient, target: Target): Promise<ReadBack> {
  try {
    const info = await dashboard.userInfo(target.id);
    return { ok: true, coins: info.coins };
  } catch (error) {
    return { ok: false, reason: describeHeliactylError(error) };
  }
}

interface Outcome extends WriteOutcome {
  embed: APIEmbed;
}

/** Compares the balance read back with what the write should have produced. */
function judge(
  after: ReadBack,
  expected: number | null,
  before: number | null,
  what: { title: string; notApplied: string },
): Outcome {
  if (!after.ok) {
    return {
      result: 'success',
      detail: `Balance not read back: ${after.reason}`,
      embed: {
        title: what.title,
        color: Colors.warning,
        description: `The dashboard answered success, but the balance could not be read back: ${after.reason}\nCheck it with \`/coins balance\`.`,
      },
    };
  }
  if (after.coins === null) {
    return {
      result: 'success',
      detail: 'Coins are disabled on this dashboard; balance not checked',
      embed: {
        title: what.title,
        color: Colors.warning,
        description:
          'The dashboard answered success, but it reports coins as disabled, so the balance cannot be checked.',
      },
    };
  }
  const balance = `Balance: **${formatCoins(after.coins)}** (read back from the dashboard)`;
  if (expected === null || after.coins === expected) {
    return {
      result: 'success',
      detail: `Balance now ${formatCoins(after.coins)}`,
      embed: { title: what.title, color: Colors.success, description: balance },
    };
  }
  const unchanged = before !== null && after.coins === before;
  const description = unchanged
    ? `${balance}\n**The dashboard answered success but did not apply the change:** the balance should be ${formatCoins(expected)}. ${what.notApplied}`
    : `${balance}\n**This is not what the write should have produced** (${formatCoins(expected)}); another change may have happened at the same time. Check with \`/coins balance\`.`;
  return {
    result: unchanged ? 'not applied' : 'success',
    detail: `Balance read back ${formatCoins(after.coins)}, expected ${formatCoins(expected)}`,
    embed: { title: what.title, color: Colors.warning, description },
  };
}

async function addCoins(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const dashboard = requireDashboard(ctx);
  const target = resolveTarget(interaction);
  const { amount } = parseInput(coinsAddInput, { amount: rawOption(interaction, 'amount') });
  await defer(interaction, { ephemeral: true });
  const before = (await readAccount(target, () => dashboard.userInfo(target.id))).coins;
  const meta = {
    action: 'coins add',
    target,
    values: { amount, 'balance before': before },
    unknownHint: UNKNOWN_HINT,
  };
  // Sent once: addcoins is not idempotent, so it is never retried.
  const outcome = await runWrite(
    ctx,
    interaction.user,
    meta,
    () => dashboard.addCoins(target.id, amount),
    async () =>
      judge(await readBack(dashboard, target), before === null ? null : before + amount, before, {
        title: truncate(`Added ${formatCoins(amount)} to ${target.name}`, 256),
        notApplied:
          "This is the dashboard's known `addcoins` bug: it stores nothing when the account has no balance record " +
          `(a new account, or one whose balance was set to 0). Use \`/coins set\` with amount ${formatCount(expectedOr(before, amount))} instead.`,
      }),
  );
  await respond(interaction, { embeds: [withTarget(outcome.embed, target, before)] });
}

function expectedOr(before: number | null, amount: number): number {
  return (before ?? 0) + amount;
}

function withTarget(embed: APIEmbed, target: Target, before: number | null): APIEmbed {
  return {
    ...embed,
    fields: [
      { name: 'Account', value: target.display, inline: true },
      { name: 'Balance before', value: formatCoins(before), inline: true },
    ],
  };
}

interface SetRequest {
  target: Target;
  amount: number;
  before: number | null;
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
      values: { amount, 'balance before': before },
      unknownHint: UNKNOWN_HINT,
    };
    const outcome = await runWrite(
      ctx,
      interaction.user,
      meta,
      () => dashboard.setCoins(target.id, amount),
      async () =>
        judge(await readBack(dashboard, target), amount, before, {
          title: truncate(`Balance of ${target.name} set to ${formatCoins(amount)}`, 256),
          notApplied: 'Try `/coins set` again, or check the dashboard.',
        }),
    );
    await respond(interaction, { embeds: [withTarget(outcome.embed, target, before)], components: [] });
  },
});

async function setCoins(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const dashboard = requireDashboard(ctx);
  const target = resolveTarget(interaction);
  const { amount } = parseInput(coinsSetInput, { amount: rawOption(interaction, 'amount') });
  await defer(interaction, { ephemeral: true });
  const before = (await readAccount(target, () => dashboard.userInfo(target.id))).coins;
  const zeroNote =
    amount === 0
      ? "\nA balance of 0 removes the account's balance record: until a non-zero balance is set, `/coins add` will not work for it (a dashboard bug)."
      : '';
  await confirmSet.ask(interaction, ctx, {
    embed: {
      title: truncate(`Set the balance of ${target.name}?`, 256),
      description: `${formatCoins(before)} → **${formatCoins(amount)}**${zeroNote}`,
      fields: [
        { name: 'Account', value: target.display, inline: true },
        { name: 'Current balance', value: formatCoins(before), inline: true },
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
  components: [confirmSet.component],
  async execute(interaction, ctx) {
    const sub = interaction.options.getSubcommand();
    if (sub === 'add') return addCoins(interaction, ctx);
    if (sub === 'set') return setCoins(interaction, ctx);
    if (sub === 'balance') return showBalance(interaction, ctx);
    throw new UserError(`Unknown subcommand \`${sub}\`.`);
  },
});
