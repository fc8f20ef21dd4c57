import type { APIEmbed } from 'discord.js';
import { defineCommand } from '../src/commands/types.js';
import { allowedEntries } from '../src/commands/catalog.js';
import { helpFields } from '../src/commands/help-fields.js';
import { heliactylConfigured } from '../src/config.js';
import { memberRoles } from '../src/bot/router.js';
import { respond } from '../src/bot/respond.js';
import { Colors } from '../src/bot/style.js';
import { userCommand } from '../src/user/options.js';

const data = userCommand('help', 'What Hostlink does and the commands you can use').toJSON();

const INTRO =
  'Hostlink puts game-server hosting into Discord. With your own **AtomicHost** API key you manage your ' +
  'servers from chat: status, power, a live console, files and backups.';

const MODERATOR_INTRO =
  'As a moderator you also run actions on the **Heliactyl dashboard** (accounts, coins, bans, packages); ' +
  'every change is audited.';

const KEY_HOWTO =
  '**Your API key:** generate it on AtomicHost under **Account Settings → API Access**, then run ' +
  '`/apikey set` and paste it into the private form. It is stored encrypted and only you can use it.';

export default defineCommand({
  data,
  tier: 'user',
  async run(interaction, ctx) {
    const allowed = allowedEntries(ctx.catalog, { roles: memberRoles(interaction) }, ctx.config);
    const userSide = allowed.filter((e) => e.tier === 'user');
    const moderatorSide = allowed.filter((e) => e.tier !== 'user');
    const hasKey = await ctx.vault.has(interaction.user.id).catch(() => undefined);
    const keyState =
      hasKey === true
        ? 'You have a key stored — `/apikey status` shows it and your credits.'
        : hasKey === false
          ? 'You have not added a key yet.'
          : '';
    const paragraphs = [INTRO, `${KEY_HOWTO} ${keyState}`.trim()];
    if (moderatorSide.length > 0) {
      paragraphs.push(
        heliactylConfigured(ctx.config)
          ? MODERATOR_INTRO
          : `${MODERATOR_INTRO} (The dashboard is not configured yet: the operator sets \`HELIACTYL_URL\` and \`HELIACTYL_API_KEY\`.)`,
      );
    }
    const embed: APIEmbed = {
      title: 'Hostlink help',
      color: Colors.info,
      description: paragraphs.join('\n\n'),
      fields: helpFields([...userSide, ...moderatorSide]),
      footer: {
        text:
          moderatorSide.length > 0
            ? 'Moderator commands work in servers only; their answers are private.'
            : 'Answers about your servers are private unless you ask for public:true.',
      },
    };
    await respond(interaction, { embeds: [embed], ephemeral: true });
  },
});
