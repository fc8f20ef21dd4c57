import { performance } from 'node:perf_hooks';
import type { ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../src/context.js';
import { defineCommand } from '../src/commands/types.js';
import { moderatorCommand } from '../src/moderation/command-data.js';
import { requireDashboard } from '../src/moderation/dashboard.js';
import { defer, respond } from '../src/bot/respond.js';
import { Colors } from '../src/bot/style.js';
import { plain } from '../src/text.js';

const data = moderatorCommand('panel', 'The Heliactyl dashboard')
  .addSubcommand((sub) =>
    sub.setName('status').setDescription('Check that the dashboard API answers, and its version'),
  )
  .toJSON();

async function showStatus(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const dashboard = requireDashboard(ctx);
  await defer(interaction, { ephemeral: true });
  const started = performance.now();
  const status = await dashboard.status();
  const elapsedMs = Math.round(performance.now() - started);
  await respond(interaction, {
    embeds: [
      {
        title: 'Dashboard is online',
        color: Colors.success,
        fields: [
          { name: 'Version', value: plain(status.version, 100) || 'unknown', inline: true },
          { name: 'Platform', value: plain(status.platformCodename, 100) || 'unknown', inline: true },
          { name: 'Answered in', value: `${elapsedMs} ms`, inline: true },
        ],
        footer: { text: new URL(ctx.config.HELIACTYL_URL ?? 'http://unknown').host },
        timestamp: new Date().toISOString(),
      },
    ],
  });
}

export default defineCommand({
  data,
  subcommands: { status: { tier: 'moderator', run: showStatus } },
});
