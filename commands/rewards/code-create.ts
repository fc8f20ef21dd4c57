import type { ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../../src/context.js';
import { defer, respond } from '../../src/bot/respond.js';
import { Colors } from '../../src/bot/style.js';
import { UserError } from '../../src/errors.js';
import { discordTime } from '../../src/text.js';
import { formatCoins } from '../../src/moderation/format.js';
import { CODE_FORMAT_HELP, normalizeCode } from '../../src/rewards/code-secret.js';
import { parseCodeExpiry } from './code-expiry.js';
import { MAX_CODE_COINS, MAX_CODE_USES } from './code-text.js';

function boundedInteger(value: number, min: number, max: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new UserError(`\`${what}\` must be a whole number from ${min} to ${max.toLocaleString('en-US')}.`);
  return value;
}

/** `/rewards code create`: stores the code's keyed hash only; the admin sees the code once, here. */
export async function codeCreate(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const code = normalizeCode(interaction.options.getString('code', true));
  if (!code) throw new UserError(`That code cannot be used. ${CODE_FORMAT_HELP}`, 'Invalid code');
  const coins = boundedInteger(interaction.options.getInteger('coins', true), 1, MAX_CODE_COINS, 'coins');
  const uses = boundedInteger(interaction.options.getInteger('uses', true), 1, MAX_CODE_USES, 'uses');
  const now = Date.now();
  const expiry = parseCodeExpiry(interaction.options.getString('expires', true), new Date(now));
  if (!expiry.ok) throw new UserError(expiry.error, 'Invalid expiry');
  await defer(interaction, { ephemeral: true });
  const created = await ctx.codes.create(
    { code, coins, usesTotal: uses, expiresAt: expiry.expiresAt, createdBy: interaction.user.id },
    now,
  );
  const invoker = { id: interaction.user.id, username: interaction.user.username };
  if (created === 'duplicate') {
    await ctx.audit.record({
      action: 'rewards code create',
      invoker,
      target: { id: 'code', display: 'a code that already exists' },
      values: { coins, uses },
      result: 'failure',
      detail: 'A code with this text exists already.',
    });
    throw new UserError(
      'A code with this text exists already (perhaps revoked or expired): choose another one.',
      'Code exists',
    );
  }
  const expires = created.expiresAt === null ? 'never' : discordTime(new Date(created.expiresAt), 'R');
  await ctx.audit.record({
    action: 'rewards code create',
    invoker,
    target: { id: created.id, display: `code \`${created.hint}\` (id \`${created.id}\`)` },
    values: {
      coins,
      uses,
      expires: created.expiresAt === null ? 'never' : new Date(created.expiresAt).toISOString(),
    },
    result: 'success',
  });
  await respond(interaction, {
    embeds: [
      {
        title: 'Code created',
        color: Colors.success,
        description:
          `Members redeem it with \`/redeem code:${code}\`. This is the only time the bot shows the code: ` +
          `it is stored as a keyed hash and listed as \`${created.hint}\` (id \`${created.id}\`).`,
        fields: [
          { name: 'Coins', value: formatCoins(coins), inline: true },
          { name: 'Uses', value: String(uses), inline: true },
          { name: 'Expires', value: expires, inline: true },
        ],
      },
    ],
  });
}
