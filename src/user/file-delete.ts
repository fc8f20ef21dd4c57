import type { ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../context.js';
import type { FileEntry } from '../atomichost/schemas.js';
import { defineConfirmation } from '../bot/confirmations.js';
import { defer, respond } from '../bot/respond.js';
import { Colors } from '../bot/style.js';
import { UserError } from '../errors.js';
import { userApi } from './api.js';
import { withCredits } from './footer.js';
import { baseName, parentOf } from './format.js';
import { clipLine, codeSpan, formatBytes } from '../text.js';
import { serverLabel } from './power.js';

interface DeletePayload {
  serverId: string;
  path: string;
}

/** "a file of 5 B" / "a folder with 3 items", for the question. */
export function describeEntry(entry: FileEntry, itemCount: number | undefined): string {
  if (entry.is_file) return `a file of ${formatBytes(entry.size)}`;
  if (itemCount === undefined) return 'a folder, with everything in it';
  if (itemCount === 0) return 'an empty folder';
  return `a folder with ${itemCount} item${itemCount === 1 ? '' : 's'}, deleted with everything in it`;
}

const deletion = defineConfirmation<DeletePayload>({
  name: 'files-delete',
  commandPath: 'files delete',
  async run(interaction, { serverId, path }, ctx) {
    const api = await userApi(interaction.user, ctx);
    const name = baseName(path);
    const { data: result, limits } = await api.deleteFiles(serverId, parentOf(path), [name]);
    const deleted = result.deleted === undefined || result.deleted.includes(name);
    const where = serverLabel(ctx, interaction.user.id, serverId);
    await respond(interaction, {
      embeds: [
        withCredits(
          deleted
            ? {
                title: 'Deleted',
                description: `${codeSpan(path)} was deleted from ${where}.`,
                color: Colors.success,
              }
            : {
                title: 'Nothing deleted',
                description: `${codeSpan(path)} wasn't found on ${where}.`,
                color: Colors.warning,
              },
          limits,
        ),
      ],
      components: [],
    });
  },
});

export const fileDeletion = {
  component: deletion.component,

  /**
   * Looks the path up in its folder's listing (one files call; a folder's own
   * listing is read too, for its item count) so the question says what is
   * deleted, and a missing path is answered before anything is asked.
   */
  async ask(interaction: ChatInputCommandInteraction, ctx: Context, { serverId, path }: DeletePayload) {
    await defer(interaction, { ephemeral: true });
    const api = await userApi(interaction.user, ctx);
    const name = baseName(path);
    const { data: listing } = await api.listFiles(serverId, parentOf(path));
    const entry = listing.files.find((f) => f.name === name);
    const where = serverLabel(ctx, interaction.user.id, serverId);
    if (!entry) {
      throw new UserError(`${codeSpan(path)} was not found on ${where}: nothing to delete.`, 'Not found');
    }
    const itemCount = entry.is_file ? undefined : (await api.listFiles(serverId, path)).data.files.length;
    await deletion.ask(interaction, ctx, {
      embed: {
        title: `Delete ${clipLine(name, 200)}?`,
        description: `This permanently deletes ${codeSpan(path)} on ${where} — ${describeEntry(entry, itemCount)}.`,
      },
      confirmLabel: 'Delete',
      payload: { serverId, path },
    });
  },
};
