import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import type { ComponentHandler } from '../../src/commands/types.js';
import { NO_MENTIONS, defer, respond } from '../../src/bot/respond.js';
import { Colors } from '../../src/bot/style.js';
import { UserError } from '../../src/errors.js';
import { requireDashboard } from '../../src/moderation/dashboard.js';
import { readAccount } from '../../src/moderation/actions.js';
import { clampPage, decodePageId, pagingRow } from '../../src/moderation/paging.js';
import { formatCoins } from '../../src/moderation/format.js';
import { readQueue } from '../../src/rewards/queue/list.js';
import {
  RECHECK_BUTTON,
  RESOLVE_BUTTON,
  alreadyResolvedEmbed,
  decisionRow,
  grantTarget,
  queuePages,
  recheckEmbed,
  recheckRow,
  resentEmbed,
  type Decision,
  type KnownBalance,
  type QueuePage,
} from './queue-view.js';
import type { Grant } from '../../src/rewards/ledger.js';
import { realClock } from '../../src/clock.js';

const PAGER = 'rewards-queue-page';
const COMMAND_PATH = 'rewards queue';

interface StoredQueue {
  pages: QueuePage[];
  invokerId: string;
}

function pageMessage(stored: StoredQueue, page: number, key: string) {
  const index = clampPage(page, stored.pages.length);
  const shown = stored.pages[index]!;
  return {
    embeds: [shown.embed],
    components: [...recheckRow(shown), ...pagingRow(PAGER, key, index, stored.pages.length)],
  };
}

/** `/rewards queue`: grants not yet granted, unknown ones first, paged. */
export async function queue(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  await defer(interaction, { ephemeral: true });
  const snapshot = await readQueue(ctx.rewards.ledger, Date.now());
  const stored: StoredQueue = { pages: queuePages(snapshot), invokerId: interaction.user.id };
  // Pages live as long as an interaction token (the state store's default); Re-check buttons carry the grant id.
  const key = ctx.state.put(PAGER, stored);
  await respond(interaction, pageMessage(stored, 0, key));
}

const pager: ComponentHandler = {
  name: PAGER,
  commandPath: COMMAND_PATH,
  async button(interaction, rawState, ctx) {
    const button = decodePageId(rawState);
    const stored = button ? ctx.state.get<StoredQueue>(PAGER, button.key) : undefined;
    if (!button || !stored)
      throw new UserError('These pages have expired — run /rewards queue again.', 'Pages expired');
    await interaction.deferUpdate();
    await respond(interaction, pageMessage(stored, button.page, button.key));
  },
};

/** The newest balance read back after another grant to this account, as context for the re-check. */
async function knownBalance(ctx: Context, grant: Grant): Promise<KnownBalance | undefined> {
  const history = await ctx.rewards.ledger.history(grant.userId, 25);
  const earlier = history.find((g) => g.id !== grant.id && g.state === 'granted' && g.balanceAfter !== null);
  return earlier
    ? { balance: earlier.balanceAfter!, at: earlier.updatedAt, coins: earlier.coins }
    : undefined;
}

async function unknownGrant(
  ctx: Context,
  interaction: ButtonInteraction,
  grantId: string,
): Promise<Grant | undefined> {
  const grant = await ctx.rewards.ledger.get(grantId);
  if (grant?.state === 'unknown') return grant;
  await respond(interaction, { embeds: [alreadyResolvedEmbed(grant)], components: [] });
  return undefined;
}

const recheck: ComponentHandler = {
  name: RECHECK_BUTTON,
  commandPath: COMMAND_PATH,
  async button(interaction, [grantId = ''], ctx) {
    const dashboard = requireDashboard(ctx);
    await defer(interaction, { ephemeral: true });
    const grant = await unknownGrant(ctx, interaction, grantId);
    if (!grant) return;
    // A moderator-side read: it goes ahead of queued grants (the worker leaves budget for it).
    const info = await readAccount(grantTarget(grant.userId), () => dashboard.userInfo(grant.userId));
    await respond(interaction, {
      embeds: [recheckEmbed(grant, info.coins, await knownBalance(ctx, grant))],
      components: decisionRow(grant.id, info.coins),
    });
  },
};

const DECISION_TEXT: Record<Decision, string> = { granted: 'mark granted', queued: 'send again' };

const resolve: ComponentHandler = {
  name: RESOLVE_BUTTON,
  commandPath: COMMAND_PATH,
  async button(interaction, [grantId = '', to = '', seen = 'none'], ctx) {
    if (to !== 'granted' && to !== 'queued')
      throw new UserError('This button is no longer handled by the bot.');
    await interaction.deferUpdate();
    const grant = await unknownGrant(ctx, interaction, grantId);
    if (!grant) return;
    const balance = /^\d{1,16}$/.test(seen) ? formatCoins(Number(seen)) : 'not read';
    const by = `<@${interaction.user.id}>`;
    const detail =
      to === 'granted'
        ? `Marked granted by ${by} after a re-check (balance ${balance}).`
        : `Sent again by ${by} after a re-check (balance ${balance}).`;
    if (!(await ctx.rewards.ledger.resolveUnknown(grant.id, to, detail))) {
      // Another admin decided in between.
      await respond(interaction, {
        embeds: [alreadyResolvedEmbed(await ctx.rewards.ledger.get(grant.id))],
        components: [],
      });
      return;
    }
    if (to === 'queued') ctx.rewards.worker?.wake();
    else ctx.metrics.grants.inc({ source: grant.source, state: 'granted' });
    const target = grantTarget(grant.userId);
    await ctx.audit.record(
      {
        action: COMMAND_PATH,
        invoker: { id: interaction.user.id, username: interaction.user.username },
        target,
        values: {
          grant: grant.id,
          coins: grant.coins,
          source: grant.source,
          decision: DECISION_TEXT[to],
          'balance seen': balance,
        },
        result: 'success',
        detail,
      },
      ctx.logger,
    );
    await respond(interaction, {
      embeds: [
        {
          title: to === 'granted' ? 'Marked granted' : 'Queued to be sent again',
          color: to === 'granted' ? Colors.success : Colors.info,
          description:
            to === 'granted'
              ? `${formatCoins(grant.coins)} to ${target.display} is recorded as paid; nothing was sent.`
              : `${formatCoins(grant.coins)} to ${target.display} is queued: the worker sends one more addcoins and reads the balance back.`,
        },
      ],
      components: [],
    });
    if (to === 'queued') await followResend(interaction, ctx, grant.id);
  },
};

/** Discord lets a reply be edited for 15 minutes: a resend that takes longer is left to /rewards queue. */
const FOLLOW_MS = 14 * 60_000;

/**
 * Edits the answer once the resent grant settles (its outcome, the balance
 * read back). Called after the "queued" answer is shown, so it never lands
 * before it; a grant settled in between is read from the ledger.
 */
async function followResend(interaction: ButtonInteraction, ctx: Context, grantId: string): Promise<void> {
  let finished = false;
  const show = async (settled: Grant): Promise<void> => {
    if (finished) return;
    finished = true;
    unsubscribe();
    realClock.clearTimeout(timer);
    await interaction
      .editReply({ embeds: [resentEmbed(settled)], components: [], allowedMentions: NO_MENTIONS })
      .catch((error: unknown) =>
        ctx.logger.warn({ err: error, grantId }, 'Could not show the outcome of a resent grant'),
      );
  };
  const unsubscribe = ctx.rewards.onSettled((settled) => {
    if (settled.id === grantId) void show(settled);
  });
  const timer = realClock.setTimeout(() => {
    finished = true;
    unsubscribe();
  }, FOLLOW_MS);
  const now = await ctx.rewards.ledger.get(grantId);
  if (now && now.state !== 'queued' && now.state !== 'sending') await show(now);
}

export const queueComponents: ComponentHandler[] = [pager, recheck, resolve];
