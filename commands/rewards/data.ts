import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { dailyData } from './daily.js';
import { voteData } from './vote.js';
import { roleData } from './role.js';
import { gatesData } from './gates.js';
import { settingsData } from './settings.js';
import { CODE_MAX_LENGTH, CODE_MIN_LENGTH } from '../../src/rewards/code-secret.js';
import { HISTORY_MAX_LIMIT } from './history-view.js';
import { MAX_CODE_COINS, MAX_CODE_USES } from './code-text.js';

/**
 * What /rewards deploys. Members see it (history, leaderboard), so there is
 * no default_member_permissions fence: the admin paths are refused by the
 * bot from the member's roles.
 */
export const data = new SlashCommandBuilder()
  .setName('rewards')
  .setDescription('Coin rewards: your history, the leaderboard, and the reward rules')
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .addSubcommand((sub) =>
    sub
      .setName('history')
      .setDescription('Coins granted to you (moderators: to anyone), newest first')
      .addUserOption((o) => o.setName('user').setDescription('Whose history (others: moderators only)'))
      .addIntegerOption((o) =>
        o
          .setName('limit')
          .setDescription(`Grants per page (1–${HISTORY_MAX_LIMIT}, default 10)`)
          .setMinValue(1)
          .setMaxValue(HISTORY_MAX_LIMIT),
      ),
  )
  .addSubcommand((sub) =>
    sub.setName('leaderboard').setDescription('Top recipients of coins granted through Hostlink'),
  )
  .addSubcommand(settingsData)
  .addSubcommand(dailyData)
  .addSubcommand(voteData)
  .addSubcommandGroup(roleData)
  .addSubcommand(gatesData)
  .addSubcommandGroup((group) =>
    group
      .setName('code')
      .setDescription('Redeemable codes (admins)')
      .addSubcommand((sub) =>
        sub
          .setName('create')
          .setDescription('Create a code members redeem with /redeem')
          .addStringOption((o) =>
            o
              .setName('code')
              .setDescription('The code (letters, digits, - or _; not case-sensitive)')
              .setRequired(true)
              .setMinLength(CODE_MIN_LENGTH)
              .setMaxLength(CODE_MAX_LENGTH),
          )
          .addIntegerOption((o) =>
            o
              .setName('coins')
              .setDescription('Coins each redemption pays')
              .setRequired(true)
              .setMinValue(1)
              .setMaxValue(MAX_CODE_COINS),
          )
          .addIntegerOption((o) =>
            o
              .setName('uses')
              .setDescription('How many members may redeem it in total')
              .setRequired(true)
              .setMinValue(1)
              .setMaxValue(MAX_CODE_USES),
          )
          .addStringOption((o) =>
            o
              .setName('expires')
              .setDescription('When it expires: 12h, 7d, 2w, a date like 2026-12-31, or never')
              .setRequired(true)
              .setMaxLength(64),
          ),
      )
      .addSubcommand((sub) => sub.setName('list').setDescription('Every code: coins, uses left, expiry'))
      .addSubcommand((sub) =>
        sub
          .setName('revoke')
          .setDescription('Stop a code from being redeemed')
          .addStringOption((o) =>
            o
              .setName('code')
              .setDescription('The code, or its id from /rewards code list')
              .setRequired(true)
              .setMaxLength(CODE_MAX_LENGTH),
          ),
      ),
  )
  .addSubcommand((sub) =>
    sub.setName('queue').setDescription('Grants not yet paid: state, age, and re-checks of unknown ones'),
  )
  .toJSON();
