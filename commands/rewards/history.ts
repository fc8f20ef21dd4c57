import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import type { ComponentHandler } from '../../src/commands/types.js';
import { defer, respond, type ReplyPayload } from '../../src/bot/respond.js';
import { memberRoles } from '../../src/bot/router.js';
import { UserError } from '../../src/errors.js';
import { decideAccess } from '../../src/policy/access.js';
import { clampPage, decodePageId, pagingRow } from '../../src/moderation/paging.js';
import { Standings } from '../../src/rewards/standings.js';
import { HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT, historyEmbed, pageCount } from './history-view.js';

export const HISTORY_PAGER = 'rewards-history';

/** What a page button needs; the pages themselves are read from the ledger at each press. */
interface HistoryView {
  subjectId: string;
  invokerId: string;
  limit: number;
}

async function historyPage(
  ctx: Context,
  view: HistoryView,
  key: string,
  page: number,
): Promise<ReplyPayload> {
  const total = await new Standings(ctx.store.db).historyCount(view.subjectId);
  const index = clampPage(page, pageCount(total, view.limit));
  const grants = await ctx.rewards.ledger.history(view.subjectId, view.limit, index * view.limit);
  const own = view.subjectId === view.invokerId;
  return {
    embeds: [historyEmbed(view.subjectId, own, grants, index, total, view.limit)],
    components: pagingRow(HISTORY_PAGER, key, index, pageCount(total, view.limit)),
  };
}

/** `/rewards history`: the caller's own ledger; another member's only for moderators (checked here: the path is member-tier). */
export async function history(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const subjectId = interaction.options.getUser('user')?.id ?? interaction.user.id;
  if (subjectId !== interaction.user.id) {
    const access = decideAccess(
      'rewards history',
      'moderator',
      { roles: memberRoles(interaction) },
      ctx.config,
    );
    if (!access.allowed)
      throw new UserError(
        "Only moderators can see another member's rewards history. Run `/rewards history` without `user` to see yours.",
        'Not allowed',
      );
  }
  const limit = interaction.options.getInteger('limit') ?? HISTORY_DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > HISTORY_MAX_LIMIT)
    throw new UserError(`\`limit\` must be from 1 to ${HISTORY_MAX_LIMIT}.`, 'Invalid limit');
  await defer(interaction, { ephemeral: true });
  const view: HistoryView = { subjectId, invokerId: interaction.user.id, limit };
  const key = ctx.state.put(HISTORY_PAGER, view);
  await respond(interaction, await historyPage(ctx, view, key, 0));
}

export const historyPager: ComponentHandler = {
  name: HISTORY_PAGER,
  commandPath: 'rewards history',
  async button(interaction: ButtonInteraction, rawState: string[], ctx: Context) {
    const button = decodePageId(rawState);
    const view = button ? ctx.state.get<HistoryView>(HISTORY_PAGER, button.key) : undefined;
    if (!button || !view)
      throw new UserError('These pages have expired — run the command again.', 'Pages expired');
    if (view.invokerId !== interaction.user.id)
      throw new UserError('Only the member who ran this command can turn its pages.', 'Not your list');
    await interaction.deferUpdate();
    await respond(interaction, await historyPage(ctx, view, button.key, button.page));
  },
};
