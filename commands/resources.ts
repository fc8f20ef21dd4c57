import type { ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/commands/types.js';
import { Colors } from '../src/bot/style.js';
import type { HeliactylClient } from '../src/heliactyl/client.js';
import { describeHeliactylError } from '../src/presenter/heliactyl-text.js';
import { moderatorCommand } from '../src/moderation/command-data.js';
import type { WriteOutcome } from '../src/moderation/actions.js';
import { defineModeratorWrite } from '../src/moderation/write-flow.js';
import { formatCount, formatCpu, formatMegabytes } from '../src/moderation/format.js';
import { clip } from '../src/text.js';
import {
  MAX_AMOUNT,
  RESOURCE_FIELDS,
  parseInput,
  resourcesInput,
  type ResourceField,
} from '../src/moderation/input.js';
import { rawOption, targetIdOption, targetUserOption, type Target } from '../src/moderation/target.js';
import { resourceLine } from '../src/moderation/views.js';

const DESCRIPTIONS: Record<ResourceField, string> = {
  ram: 'Extra RAM in MB (replaces the current extra RAM)',
  disk: 'Extra disk in MB (replaces the current extra disk)',
  cpu: 'Extra CPU in % — 100 is one core (replaces the current extra CPU)',
  servers: 'Extra server slots (replaces the current extra slots)',
};

const LABELS: Record<ResourceField, string> = { ram: 'RAM', disk: 'Disk', cpu: 'CPU', servers: 'Servers' };

const FORMATS: Record<ResourceField, (n: number) => string> = {
  ram: (n) => formatMegabytes(n),
  disk: (n) => formatMegabytes(n),
  cpu: (n) => formatCpu(n),
  servers: (n) => formatCount(n),
};

const data = moderatorCommand('resources', 'Extra resources on top of a package')
  .addSubcommand((sub) => {
    sub
      .setName('set')
      .setDescription("Set a user's extra resources (give at least one value)")
      .addUserOption(targetUserOption)
      .addStringOption(targetIdOption);
    for (const field of RESOURCE_FIELDS) {
      sub.addIntegerOption((o) =>
        o.setName(field).setDescription(DESCRIPTIONS[field]).setMinValue(0).setMaxValue(MAX_AMOUNT),
      );
    }
    return sub;
  })
  .toJSON();

type ResourceValues = Partial<Record<ResourceField, number>>;

/** The account's resources after the write, or why they could not be read. */
async function readBackResources(dashboard: HeliactylClient, target: Target): Promise<string> {
  try {
    const info = await dashboard.userInfo(target.id);
    return RESOURCE_FIELDS.map(
      (field) => `${LABELS[field]}: ${resourceLine(info.package[field], info.extra[field], FORMATS[field])}`,
    ).join('\n');
  } catch (error) {
    return `The account could not be read back: ${describeHeliactylError(error)}`;
  }
}

const setWrite = defineModeratorWrite<ResourceValues, WriteOutcome & { now: string }>({
  action: 'resources set',
  values: (values) => values as Record<string, number>,
  write: (dashboard, target, values) => dashboard.setResources(target.id, values),
  readBack: async (dashboard, target) => ({
    result: 'success',
    now: await readBackResources(dashboard, target),
  }),
  reply: ({ target, request, outcome }) => {
    const changed = RESOURCE_FIELDS.filter((field) => request[field] !== undefined).map(
      (field) => `${LABELS[field]}: extra set to **${FORMATS[field](request[field]!)}**`,
    );
    return {
      embeds: [
        {
          title: clip(`Extra resources of ${target.name} updated`, 256),
          color: Colors.success,
          description: `${target.display}\n${changed.join('\n')}`,
          fields: [{ name: 'Now (read back from the dashboard)', value: clip(outcome.now, 1024) }],
        },
      ],
    };
  },
});

/** Only the values given, in field order (what is sent and audited). */
function givenValues(interaction: ChatInputCommandInteraction): ResourceValues {
  const raw = Object.fromEntries(RESOURCE_FIELDS.map((field) => [field, rawOption(interaction, field)]));
  const input = parseInput(resourcesInput, raw);
  const given = RESOURCE_FIELDS.filter((field) => input[field] !== undefined);
  return Object.fromEntries(given.map((field) => [field, input[field]!]));
}

export default defineCommand({
  data,
  subcommands: { set: setWrite.command('admin', givenValues) },
});
