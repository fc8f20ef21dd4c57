import { defineCommand } from '../../src/commands/types.js';
import { data } from './data.js';
import { history, historyPager } from './history.js';
import { leaderboard, leaderboardPager } from './leaderboard.js';
import { codeCreate } from './code-create.js';
import { codeList } from './code-list.js';
import { codeRevoke } from './code-revoke.js';
import { queue, queueComponents } from './queue.js';

export default defineCommand({
  data,
  subcommands: {
    history: { tier: 'user', run: history },
    leaderboard: { tier: 'user', run: leaderboard },
    code: {
      create: { tier: 'admin', run: codeCreate },
      list: { tier: 'admin', run: codeList },
      revoke: { tier: 'admin', run: codeRevoke },
    },
    queue: { tier: 'admin', run: queue },
  },
  components: [historyPager, leaderboardPager, ...queueComponents],
});
