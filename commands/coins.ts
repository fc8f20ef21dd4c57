import type { ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/commands/types.js';
import type { Context } from '../src/context.js';
import { defineConfirmation } from '../src/bot/confirmations.js';
import { defer, respond } from '../src/bot/respond.js';
import { moderatorCommand } from '../src/moderation/command-data.js';
import { requireDashboard } from '../src/moderation/dashboard.js';
import { readAccount } from '../src/moderation/actions.js';
import { defineModeratorWrite } from '../src/moderation/write-flow.js';
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
  type BalanceOutcome,
} from '../src/moderation/balance.js';
import { completionComponents, offerCompletion } from '../src/moderation/coins-completion.js';
import { formatCoins } from '../src/moderation/format.js';
import { clip } from '../src/text.js';
import { MAX_AMOUNT, coinsAddInput, coinsSetInput, parseInput } from '../src/moderation/input.js';
import { balanceEmbed } from '../src/moderation/views.js';
import { bulkGrantComponents, grantHandler, grantSubcommand } from '../src/moderation/bulk-grant.js';
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
  .addSubcommand(grantSubcommand)
  .addSubcommand((sub) =>
    sub
      .setName('balance')
      .setDescription("Show a user's coin balance")
      .addUserOption(targetUserOption)
      .addStringOption(targetIdOption),
  )
  .toJSON();

/** A coin write's request: the amount, and the balance read just before (under the account's lock). */
interface CoinsRequest {
  amount: number;
  before?: Before;
}

const beforeOf = (request: CoinsRequest): Before =>
  request.before ?? { known: false, reason: 'the balance was not read' };

const addWrite = defineModeratorWrite<CoinsRequest, BalanceOutcome>({
  action: 'coins add',
  unknownHint: COIN_WRITE_UNKNOWN_HINT,
  before: async (dashboard, target, request) => ({ ...request, before: await readBefore(dashboard, target) }),
  values: (request) => ({ amount: request.amount, 'balance before': beforeAuditValue(beforeOf(request)) }),
  // Sent once: addcoins is not idempotent, so it is never retried.
  write: (dashboard, target, { amount }) => dashboard.addCoins(target.id, amount),
  readBack: async (dashboard, target, request) =>
    judgeAdd(await readBack(dashboard, target), request.amount, target, beforeOf(request)),
  async reply({ target, request, outcome }, interaction, ctx) {
    const embed = withAccountFields(outcome.embed, target, beforeOf(request));
    if (!outcome.lostGrant) return { embeds: [embed] };
    await offerCompletion.ask(interaction, ctx, {
      embed,
      confirmLabel: 'Complete the grant',
      payload: { target, amount: request.amount, intended: outcome.lostGrant.intended },
    });
  },
});

interface SetRequest {
  target: Target;
  amount: number;
  before: Before;
}

const setWrite = defineModeratorWrite<CoinsRequest, BalanceOutcome>({
  action: 'coins set',
  unknownHint: COIN_WRITE_UNKNOWN_HINT,
  values: (request) => ({ amount: request.amount, 'balance before': beforeAuditValue(beforeOf(request)) }),
  write: (dashboard, target, { amount }) => dashboard.setCoins(target.id, amount),
  readBack: async (dashboard, target, request) =>
    judge(await readBack(dashboard, target), {
      title: clip(`Balance of ${target.name} set to ${formatCoins(request.amount)}`, 256),
      expected: request.amount,
      before: beforeOf(request),
      notApplied: 'Try `/coins set` again, or check the dashboard.',
    }),
  reply: ({ target, request, outcome }) => ({
    embeds: [withAccountFields(outcome.embed, target, beforeOf(request))],
  }),
});

const confirmSet = defineConfirmation<SetRequest>({
  name: 'coins-set-confirm',
  commandPath: 'coins set',
  run: (interaction, { target, amount, before }, ctx) =>
    setWrite.confirmed(interaction, ctx, target, { amount, before }),
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
      title: clip(`Set the balance of ${target.name}?`, 256),
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
  components: [confirmSet.component, ...completionComponents, ...bulkGrantComponents],
  subcommands: {
    add: addWrite.command('admin', (interaction) =>
      parseInput(coinsAddInput, { amount: rawOption(interaction, 'amount') }),
    ),
    set: { tier: 'admin', run: setCoins },
    grant: grantHandler,
    balance: { tier: 'moderator', run: showBalance },
  },
});
