import { discordError, type Reply, route, type RouteDefinition } from './route-definition.js';
import type { DiscordState } from './state.js';

/** Bulk overwrite and listing of global and guild application commands. */
export function commandRoutes(state: DiscordState): RouteDefinition[] {
  const { world } = state;
  const unknownApplication = (): Reply => discordError(404, 10002, 'Unknown Application');
  const unknownGuild = (): Reply => discordError(404, 10004, 'Unknown Guild');
  const check = (p: Record<string, string>): Reply | undefined => {
    if (p.application_id !== world.applicationId) return unknownApplication();
    if (p.guild_id !== undefined && !world.guilds.has(p.guild_id)) return unknownGuild();
    return undefined;
  };
  const globalTemplate = '/applications/{application_id}/commands';
  const guildTemplate = '/applications/{application_id}/guilds/{guild_id}/commands';
  return [
    route('PUT', globalTemplate, 'bot', {
      majorParameter: (p) => p.application_id ?? '',
      handle: (ctx) => check(ctx.params) ?? { status: 200, body: state.overwriteCommands(ctx.json) },
    }),
    route('GET', globalTemplate, 'bot', {
      majorParameter: (p) => p.application_id ?? '',
      handle: (ctx) => check(ctx.params) ?? { status: 200, body: state.commands.global },
    }),
    route('PUT', guildTemplate, 'bot', {
      majorParameter: (p) => p.guild_id ?? '',
      handle: (ctx) =>
        check(ctx.params) ?? { status: 200, body: state.overwriteCommands(ctx.json, ctx.params.guild_id) },
    }),
    route('GET', guildTemplate, 'bot', {
      majorParameter: (p) => p.guild_id ?? '',
      handle: (ctx) =>
        check(ctx.params) ?? { status: 200, body: state.commands.guild.get(ctx.params.guild_id ?? '') ?? [] },
    }),
  ];
}
