import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import type { ComponentHandler } from '../../src/commands/types.js';
import { defer, respond, type ReplyPayload } from '../../src/bot/respond.js';
import { UserError } from '../../src/errors.js';
import { clampPage, decodePageId, pagingRow } from '../../src/moderation/paging.js';
import { Standings } from '../../src/rewards/standings.js';
import { LEADERBOARD_MAX, LEADERBOARD_PAGE_SIZE, leaderboardEmbed, pageCount } from './history-view.js';

export const LEADERBOARD_PAGER = 'rewards-board';

interface BoardView {
  invokerId: string;
}

async function boardPage(ctx: Context, key: string, page: number): Promise<ReplyPayload> {
  const standings = new Standings(ctx.store.db);
  const total = Math.min(await standings.recipientCount(), LEADERBOARD_MAX);
  const pages = pageCount(total, LEADERBOARD_PAGE_SIZE);
  const index = clampPage(page, pages);
  const rows = await standings.leaderboard(LEADERBOARD_PAGE_SIZE, index * LEADERBOARD_PAGE_SIZE);
  return {
    embeds: [leaderboardEmbed(rows, index, total)],
    components: pagingRow(LEADERBOARD_PAGER, key, index, pages),
  };
}

/** `/rewards leaderboard`: shown in the channel; mentions in it never ping (respond sends parse: []). */
export async function leaderboard(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  await defer(interaction, { ephemeral: false });
  const key = ctx.state.put(LEADERBOARD_PAGER, { invokerId: interaction.user.id } satisfies BoardView);
  await respond(interaction, await boardPage(ctx, key, 0));
}

export const leaderboardPager: ComponentHandler = {
  name: LEADERBOARD_PAGER,
  commandPath: 'rewards leaderboard',
  async button(interaction: ButtonInteraction, rawState: string[], ctx: Context) {
    const button = decodePageId(rawState);
    const view = button ? ctx.state.get<BoardView>(LEADERBOARD_PAGER, button.key) : undefined;
    if (!button || !view)
      throw new UserError('These pages have expired — run the command again.', 'Pages expired');
    if (view.invokerId !== interaction.user.id)
      throw new UserError(
        'Only the member who ran this command can turn its pages: run `/rewards leaderboard` yourself.',
        'Not your list',
      );
    await interaction.deferUpdate();
    await respond(interaction, await boardPage(ctx, button.key, button.page));
  },
};
