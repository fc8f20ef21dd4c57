import type { ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import { defer, respond } from '../../src/bot/respond.js';
import { Colors } from '../../src/bot/style.js';
import { UserError } from '../../src/errors.js';
import { normalizeCode } from '../../src/rewards/code-secret.js';
import type { RewardCode } from '../../src/rewards/codes.js';

/** A code's id as `/rewards code list` shows it. */
const CODE_ID = /^[0-9a-f]{12}$/;

async function findCode(ctx: Context, input: string): Promise<RewardCode | undefined> {
  const text = normalizeCode(input);
  const byText = text ? await ctx.codes.find(text) : undefined;
  if (byText) return byText;
  const id = input.trim().toLowerCase();
  return CODE_ID.test(id) ? ctx.codes.get(id) : undefined;
}

/** `/rewards code revoke`: by the code's text or its id; redemptions already made stay paid. */
export async function codeRevoke(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  await defer(interaction, { ephemeral: true });
  const code = await findCode(ctx, interaction.options.getString('code', true));
  if (!code)
    throw new UserError(
      'No code matches that text or id. `/rewards code list` shows every code with its id.',
      'Unknown code',
    );
  const revoked = await ctx.codes.revoke(code.id, Date.now());
  const target = { id: code.id, display: `code \`${code.hint}\` (id \`${code.id}\`)` };
  await ctx.audit.record({
    action: 'rewards code revoke',
    invoker: { id: interaction.user.id, username: interaction.user.username },
    target,
    values: { used: code.usesCount, uses: code.usesTotal },
    result: revoked ? 'success' : 'not applied',
    ...(revoked ? {} : { detail: 'It was revoked already.' }),
  });
  await respond(interaction, {
    embeds: [
      {
        title: revoked ? 'Code revoked' : 'Already revoked',
        color: revoked ? Colors.success : Colors.neutral,
        description: revoked
          ? `\`${code.hint}\` (id \`${code.id}\`) can no longer be redeemed. ` +
            `${code.usesCount} of ${code.usesTotal} uses were redeemed; those grants stand.`
          : `\`${code.hint}\` (id \`${code.id}\`) was revoked already.`,
      },
    ],
  });
}
