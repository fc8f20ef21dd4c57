import type { ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import { defer, respond } from '../../src/bot/respond.js';
import { Colors } from '../../src/bot/style.js';
import { codeLine } from './code-text.js';

/** Codes shown by `/rewards code list` (newest first); older ones are counted, not listed. */
const LIST_MAX = 25;

/** `/rewards code list`: coins, uses left/total, expiry and revocation; never the code itself. */
export async function codeList(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  await defer(interaction, { ephemeral: true });
  const [codes, total] = await Promise.all([ctx.codes.list(LIST_MAX), ctx.codes.count()]);
  const now = Date.now();
  const lines = codes.map((code) => codeLine(code, now));
  const more = total > codes.length ? `\n…and ${total - codes.length} older.` : '';
  await respond(interaction, {
    embeds: [
      {
        title: 'Reward codes',
        color: Colors.info,
        description:
          lines.length === 0
            ? 'No codes yet: create one with `/rewards code create`.'
            : `${lines.join('\n')}${more}`,
        footer: {
          text: 'Codes are stored hashed: only their first characters are shown. Revoke by code or by id.',
        },
      },
    ],
  });
}
