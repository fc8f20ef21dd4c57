import { defineCommand } from '../../src/commands/types.js';
import { data } from './data.js';
import { history, historyPager } from './history.js';
import { leaderboard, leaderboardPager } from './leaderboard.js';
import { codeCreate } from './code-create.js';
import { codeList } from './code-list.js';
import { codeRevoke } from './code-revoke.js';
import { queue, queueComponents } from './queue.js';
import { daily } from './daily.js';
import { vote } from './vote.js';
import { roleRemove, roleSet } from './role.js';
import { gates } from './gates.js';
import { settings } from './settings.js';

/** /rewards: one line per subcommand and its tier (members: history, leaderboard; the rules are admins'). */
export default defineCommand({
  data,
  subcommands: {
    history: { tier: 'user', run: history },
    leaderboard: { tier: 'user', run: leaderboard },
    settings: { tier: 'moderator', run: settings },
    daily: { tier: 'admin', run: daily },
    vote: { tier: 'admin', run: vote },
    role: {
      set: { tier: 'admin', run: roleSet },
      remove: { tier: 'admin', run: roleRemove },
    },
    gates: { tier: 'admin', run: gates },
    code: {
      create: { tier: 'admin', run: codeCreate },
      list: { tier: 'admin', run: codeList },
      revoke: { tier: 'admin', run: codeRevoke },
    },
    queue: { tier: 'admin', run: queue },
  },
  components: [historyPager, leaderboardPager, ...queueComponents],
});
