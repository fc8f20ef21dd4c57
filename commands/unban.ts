import { defineCommand } from '../src/commands/types.js';
import { Colors } from '../src/bot/style.js';
import { moderatorCommand } from '../src/moderation/command-data.js';
import { defineModeratorWrite } from '../src/moderation/write-flow.js';
import { clip } from '../src/text.js';
import { targetIdOption, targetUserOption } from '../src/moderation/target.js';

const data = moderatorCommand('unban', 'Lift a dashboard ban')
  .addUserOption(targetUserOption)
  .addStringOption(targetIdOption)
  .toJSON();

const unbanWrite = defineModeratorWrite<object>({
  action: 'unban',
  values: () => ({}),
  write: (dashboard, target) => dashboard.unban(target.id),
  reply: ({ target }) => ({
    embeds: [
      {
        title: clip(`Unbanned ${target.name}`, 256),
        color: Colors.success,
        description: `${target.display} is no longer banned on the dashboard (unbanning an account that was not banned changes nothing).`,
      },
    ],
  }),
});

export default defineCommand({
  data,
  ...unbanWrite.command('moderator', () => ({})),
});
