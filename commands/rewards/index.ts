import { defineCommand } from '../../src/commands/types.js';
import { data } from './data.js';
import { queue, queueComponents } from './queue.js';

export default defineCommand({
  data,
  subcommands: {
    queue: { tier: 'admin', run: queue },
  },
  components: [...queueComponents],
});
