import { defineCommand } from '../../src/commands/types.js';
import { data } from './data.js';
import { daily } from './daily.js';
import { vote } from './vote.js';
import { roleRemove, roleSet } from './role.js';
import { gates } from './gates.js';
import { settings } from './settings.js';

/** /rewards: one line per subcommand and its tier. */
export default defineCommand({
  data,
  subcommands: {
    daily: { tier: 'admin', run: daily },
    vote: { tier: 'admin', run: vote },
    role: {
      set: { tier: 'admin', run: roleSet },
      remove: { tier: 'admin', run: roleRemove },
    },
    gates: { tier: 'admin', run: gates },
    settings: { tier: 'moderator', run: settings },
  },
});
