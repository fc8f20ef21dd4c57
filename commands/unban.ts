import { defineCommand } from '../src/commands/types.js';
import { defer, respond } from '../src/bot/respond.js';
import { Colors } from '../src/bot/style.js';
import { moderatorCommand } from '../src/moderation/command-data.js';
import { requireDashboard } from '../src/moderation/dashboard.js';
import { runWrite } from '../src/moderation/actions.js';
import { truncate } from '../src/moderation/format.js';
import { resolveTarget, targetIdOption, targetUserOption } from '../src/moderation/target.js';

const data = moderatorCommand('unban', 'Lift a dashboard ban')
  .addUserOption(targetUserOption)
  .addStringOption(targetIdOption)
  .toJSON();

export default defineCommand({
  data,
  tier: 'moderator',
  async run(interaction, ctx) {
    const dashboard = requireDashboard(ctx);
    const target = resolveTarget(interaction);
    await defer(interaction, { ephemeral: true });
    const meta = { action: 'unban', target, values: {} };
    await runWrite(ctx, interaction.user, meta, () => dashboard.unban(target.id));
    await respond(interaction, {
      embeds: [
        {
          title: truncate(`Unbanned ${target.name}`, 256),
          description: `${target.display} is no longer banned on the dashboard (unbanning an account that was not banned changes nothing).`,
          color: Colors.success,
        },
      ],
    });
  },
});
