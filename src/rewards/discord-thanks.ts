import type { Client } from 'discord.js';
import type { VoteThanksPort } from './rewards.js';

/** DMs a voter their thanks; closed DMs (or no client yet) are silently fine. */
export function discordVoteThanks(client: () => Client | null): VoteThanksPort {
  return {
    async thank(userId, coins) {
      const bot = client();
      if (!bot) return;
      const user = await bot.users.fetch(userId);
      await user.send({
        content: `Thanks for voting! ${new Intl.NumberFormat('en-US').format(coins)} coins are on their way to your dashboard account.`,
        allowedMentions: { parse: [] },
      });
    },
  };
}
