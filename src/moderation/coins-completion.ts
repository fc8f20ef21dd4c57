import { defineConfirmation } from '../bot/confirmations.js';
import { defineModeratorWrite } from './write-flow.js';
import {
  COIN_WRITE_UNKNOWN_HINT,
  beforeAuditValue,
  beforeText,
  judge,
  readBack,
  readBefore,
  unknownBeforeNote,
  withAccountFields,
  type Before,
  type BalanceOutcome,
} from './balance.js';
import { requireDashboard } from './dashboard.js';
import { formatCoins, formatCount } from './format.js';
import { clip } from '../text.js';
import type { Target } from './target.js';

/**
 * Completing an `addcoins` the dashboard lost (see judgeAdd): the /coins add
 * reply offers it, a second question shows the balance as it is now, and
 * only then is the intended balance set with `setcoins` — audited.
 */

export interface LostGrant {
  target: Target;
  /** The amount of the lost `/coins add`. */
  amount: number;
  /** The balance that completes it. */
  intended: number;
}

type Completion = Omit<LostGrant, 'target'> & { current: Before };

/** Audited as `coins set`: that is the call it makes. */
const completionWrite = defineModeratorWrite<Completion, BalanceOutcome>({
  action: 'coins set',
  unknownHint: COIN_WRITE_UNKNOWN_HINT,
  values: ({ amount, intended, current }) => ({
    amount: intended,
    'balance before': beforeAuditValue(current),
    completes: `a /coins add of ${formatCount(amount)} the dashboard lost`,
  }),
  write: (dashboard, target, { intended }) => dashboard.setCoins(target.id, intended),
  readBack: async (dashboard, target, { intended, current }) =>
    judge(await readBack(dashboard, target), {
      title: clip(`Grant completed: balance of ${target.name} set to ${formatCoins(intended)}`, 256),
      expected: intended,
      before: current,
      notApplied: 'Check the account with `/coins balance`.',
    }),
  reply: ({ target, request, outcome }) => ({
    embeds: [withAccountFields(outcome.embed, target, request.current)],
  }),
});

const confirmCompletion = defineConfirmation<LostGrant & { current: Before }>({
  name: 'coins-complete',
  commandPath: 'coins add',
  run: (interaction, { target, ...request }, ctx) =>
    completionWrite.confirmed(interaction, ctx, target, request),
});

/** The button on a /coins add reply whose grant was lost: asks again with the balance read now. */
export const offerCompletion = defineConfirmation<LostGrant>({
  name: 'coins-complete-offer',
  commandPath: 'coins add',
  async run(interaction, request, ctx) {
    const dashboard = requireDashboard(ctx);
    const { target, amount, intended } = request;
    const current = await readBefore(dashboard, target);
    const changed =
      current.known && current.coins !== 0
        ? `\n**The balance is now ${formatCoins(current.coins)}, not 0:** it changed after the grant was lost. Setting it replaces that balance.`
        : '';
    await confirmCompletion.ask(interaction, ctx, {
      embed: {
        title: clip(`Complete the lost grant to ${target.name}?`, 256),
        description:
          `Sets the balance to **${formatCoins(intended)}** — what the lost \`/coins add\` of ${formatCoins(amount)} should have given.` +
          changed +
          unknownBeforeNote(current),
        fields: [
          { name: 'Account', value: target.display, inline: true },
          { name: 'Current balance', value: beforeText(current), inline: true },
          { name: 'New balance', value: formatCoins(intended), inline: true },
        ],
      },
      confirmLabel: 'Set balance',
      payload: { ...request, current },
    });
  },
});

export const completionComponents = [offerCompletion.component, confirmCompletion.component];
