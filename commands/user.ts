import type { APIEmbed, ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/commands/types.js';
import type { ComponentHandler } from '../src/commands/types.js';
import type { Context } from '../src/context.js';
import { defer, respond } from '../src/bot/respond.js';
import { UserError } from '../src/errors.js';
import { moderatorCommand } from '../src/moderation/command-data.js';
import { requireDashboard } from '../src/moderation/dashboard.js';
import { readAccount } from '../src/moderation/actions.js';
import {
  DEFAULT_ACTIVITY_LIMIT,
  MAX_ACTIVITY_LIMIT,
  activityInput,
  parseInput,
  serversInput,
} from '../src/moderation/input.js';
import { clampPage, decodePageId, pagingRow } from '../src/moderation/paging.js';
import {
  rawOption,
  resolveTarget,
  targetIdOption,
  targetUserOption,
  type Target,
} from '../src/moderation/target.js';
import {
  activityPages,
  serverDetailPages,
  serverListPages,
  userInfoEmbed,
  withPageFooter,
  type ListPages,
} from '../src/moderation/views.js';

const data = moderatorCommand('user', "A user's dashboard account")
  .addSubcommand((sub) =>
    sub
      .setName('info')
      .setDescription('Package, extra resources, coins, renewal bypass and panel account')
      .addUserOption(targetUserOption)
      .addStringOption(targetIdOption),
  )
  .addSubcommand((sub) =>
    sub
      .setName('servers')
      .setDescription("The user's servers on the panel")
      .addUserOption(targetUserOption)
      .addStringOption(targetIdOption)
      .addBooleanOption((o) =>
        o.setName('detailed').setDescription('Show limits, node, egg and status of each server'),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName('activity')
      .setDescription("The user's latest entries in the dashboard's activity log")
      .addUserOption(targetUserOption)
      .addStringOption(targetIdOption)
      .addIntegerOption((o) =>
        o
          .setName('limit')
          .setDescription(`How many entries (1–${MAX_ACTIVITY_LIMIT}, default ${DEFAULT_ACTIVITY_LIMIT})`)
          .setMinValue(1)
          .setMaxValue(MAX_ACTIVITY_LIMIT),
      ),
  )
  .toJSON();

/** Component names: one per command path, so the router checks the right tier. */
const SERVERS_PAGER = 'user-servers-page';
const ACTIVITY_PAGER = 'user-activity-page';

/** What a paged list shows. */
type View = { kind: 'servers'; detailed: boolean } | { kind: 'activity'; limit: number };

/** A rendered list in the state store (ctx.state), under the key its page buttons carry. */
interface StoredList {
  list: ListPages;
  /** Only this user may turn the pages. */
  invokerId: string;
}

async function fetchList(ctx: Context, target: Target, view: View): Promise<ListPages> {
  const dashboard = requireDashboard(ctx);
  if (view.kind === 'activity') {
    const result = await readAccount(target, () => dashboard.userInteractions(target.id, view.limit));
    return activityPages(target, result.interactions, view.limit);
  }
  if (view.detailed) {
    const result = await readAccount(target, () => dashboard.userServerDetails(target.id));
    return serverDetailPages(target, result.servers);
  }
  const result = await readAccount(target, () => dashboard.userServers(target.id));
  return serverListPages(target, result.servers);
}

function pageMessage(
  list: ListPages,
  page: number,
  key: string,
  pager: string,
): { embeds: APIEmbed[]; components: ReturnType<typeof pagingRow> } {
  const index = clampPage(page, list.pages.length);
  return {
    embeds: [withPageFooter(list, index)],
    components: pagingRow(pager, key, index, list.pages.length),
  };
}

function pagerFor(view: View): string {
  return view.kind === 'activity' ? ACTIVITY_PAGER : SERVERS_PAGER;
}

async function showList(
  interaction: ChatInputCommandInteraction,
  ctx: Context,
  target: Target,
  view: View,
): Promise<void> {
  requireDashboard(ctx);
  await defer(interaction, { ephemeral: true });
  const list = await fetchList(ctx, target, view);
  const pager = pagerFor(view);
  // Kept for the default 15 minutes (an interaction token's life); later presses answer "expired".
  const key = ctx.state.put(pager, { list, invokerId: interaction.user.id } satisfies StoredList);
  await respond(interaction, pageMessage(list, 0, key, pager));
}

function pager(name: string, commandPath: string): ComponentHandler {
  return {
    name,
    commandPath,
    async button(interaction: ButtonInteraction, rawState: string[], ctx: Context) {
      const button = decodePageId(rawState);
      const stored = button ? ctx.state.get<StoredList>(name, button.key) : undefined;
      if (!button || !stored) {
        throw new UserError('These pages have expired — run the command again.', 'Pages expired');
      }
      if (stored.invokerId !== interaction.user.id) {
        throw new UserError(
          `Only <@${stored.invokerId}> can turn these pages; run the command yourself to see the list.`,
          'Not your list',
        );
      }
      await interaction.deferUpdate();
      await respond(interaction, pageMessage(stored.list, button.page, button.key, name));
    },
  };
}

async function showInfo(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const target = resolveTarget(interaction);
  const dashboard = requireDashboard(ctx);
  await defer(interaction, { ephemeral: true });
  const info = await readAccount(target, () => dashboard.userInfo(target.id));
  await respond(interaction, { embeds: [userInfoEmbed(target, info)] });
}

async function showServers(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const target = resolveTarget(interaction);
  requireDashboard(ctx);
  const input = parseInput(serversInput, { detailed: rawOption(interaction, 'detailed') });
  await showList(interaction, ctx, target, { kind: 'servers', detailed: input.detailed ?? false });
}

async function showActivity(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const target = resolveTarget(interaction);
  requireDashboard(ctx);
  const input = parseInput(activityInput, { limit: rawOption(interaction, 'limit') });
  const limit = input.limit ?? DEFAULT_ACTIVITY_LIMIT;
  await showList(interaction, ctx, target, { kind: 'activity', limit });
}

export default defineCommand({
  data,
  components: [pager(SERVERS_PAGER, 'user servers'), pager(ACTIVITY_PAGER, 'user activity')],
  subcommands: {
    info: { tier: 'moderator', run: showInfo },
    servers: { tier: 'moderator', run: showServers },
    activity: { tier: 'moderator', run: showActivity },
  },
});
