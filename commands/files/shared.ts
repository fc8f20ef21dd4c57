import { ButtonStyle, ComponentType, type ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import { type ReplyPayload } from '../../src/bot/respond.js';
import { Colors } from '../../src/bot/style.js';
import { UserError } from '../../src/errors.js';
import { normalizeRemotePath } from '../../src/atomichost/remote-path.js';
import type { Limits } from '../../src/atomichost/limits.js';
import { chosenServerId } from '../../src/user/options.js';
import { withCredits } from '../../src/user/footer.js';

/** Helpers shared by the /files subcommands. */

/** Longest text a modal's paragraph input takes (Discord's limit). */
export const MODAL_TEXT_MAX = 4000;
/** Embed description budget for a file shown inline (fences included). */
export const INLINE_MAX = 3900;
/** Largest file `read` attaches (Discord's attachment limit for bots is 10 MiB). */
export const ATTACH_MAX = 8 * 1024 * 1024;
/** Discord caps link button URLs at 512 characters. */
export const LINK_BUTTON_MAX = 512;

export function done(title: string, description: string, limits: Limits): ReplyPayload {
  return { embeds: [withCredits({ title, description, color: Colors.success }, limits)], components: [] };
}

export function target(interaction: ChatInputCommandInteraction, ctx: Context) {
  return {
    serverId: chosenServerId(interaction, ctx),
  };
}

/** A path naming a file or folder (not the root). */
export function itemPath(raw: string): string {
  const path = normalizeRemotePath(raw);
  if (path === '/') throw new UserError('Give the path of a file, not the root folder `/`.', 'Invalid path');
  return path;
}

export function linkRow(label: string, url: string) {
  return {
    type: ComponentType.ActionRow as const,
    components: [{ type: ComponentType.Button as const, style: ButtonStyle.Link as const, label, url }],
  };
}
