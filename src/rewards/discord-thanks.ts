import { Routes, type Client, type REST } from 'discord.js';
import type { VoteThanksPort } from './rewards.js';
import { formatCount } from '../format.js';

function thanksText(coins: number): string {
  return `Thanks for voting! ${formatCount(coins)} coins are on their way to your dashboard account.`;
}

/** DMs a voter their thanks; closed DMs (or no client yet) are silently fine. */
export function discordVoteThanks(client: () => Client | null): VoteThanksPort {
  return {
    async thank(userId, coins) {
      const bot = client();
      if (!bot) return;
      const user = await bot.users.fetch(userId);
      await user.send({ content: thanksText(coins), allowedMentions: { parse: [] } });
    },
  };
}

/** The same thanks over plain REST, for the shard manager (which has no gateway client). */
export function restVoteThanks(rest: REST): VoteThanksPort {
  return {
    async thank(userId, coins) {
      const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
        id: string;
      };
      await rest.post(Routes.channelMessages(dm.id), {
        body: { content: thanksText(coins), allowed_mentions: { parse: [] } },
      });
    },
  };
}
