import type { ChatInputCommandInteraction } from 'discord.js';
import type { Context } from '../src/context.js';
import { defineCommand } from '../src/commands/types.js';
import { defer, respond } from '../src/bot/respond.js';
import { Colors } from '../src/bot/style.js';
import { describeHeliactylError } from '../src/heliactyl/errors.js';
import { moderatorCommand } from '../src/moderation/command-data.js';
import { requireDashboard } from '../src/moderation/dashboard.js';
import { runWrite } from '../src/moderation/actions.js';
import { formatCount, formatCpu, formatMegabytes, truncate } from '../src/moderation/format.js';
import {
  MAX_AMOUNT,
  RESOURCE_FIELDS,
  parseInput,
  resourcesInput,
  type ResourceField,
} from '../src/moderation/input.js';
import { rawOption, resolveTarget, targetIdOption, targetUserOption } from '../src/moderation/target.js';
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

async function setResources(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const dashboard = requireDashboard(ctx);
  const target = resolveTarget(interaction);
  const raw = Object.fromEntries(RESOURCE_FIELDS.map((field) => [field, rawOption(interaction, field)]));
  const input = parseInput(resourcesInput, raw);
  const given = RESOURCE_FIELDS.filter((field) => input[field] !== undefined);
  const values = Object.fromEntries(given.map((field) => [field, input[field]!]));
  await defer(interaction, { ephemeral: true });
  const meta = { action: 'resources set', target, values };
  await runWrite(ctx, interaction.user, meta, () => dashboard.setResources(target.id, values));
  const changed = given.map((field) => `${LABELS[field]}: extra set to **${FORMATS[field](input[field]!)}**`);
  let now: string;
  try {
    const info = await dashboard.userInfo(target.id);
    now = RESOURCE_FIELDS.map(
      (field) => `${LABELS[field]}: ${resourceLine(info.package[field], info.extra[field], FORMATS[field])}`,
    ).join('\n');
  } catch (error) {
    now = `The account could not be read back: ${describeHeliactylError(error)}`;
  }
  await respond(interaction, {
    embeds: [
      {
        title: truncate(`Extra resources of ${target.name} updated`, 256),
        color: Colors.success,
        description: `${target.display}\n${changed.join('\n')}`,
        fields: [{ name: 'Now (read back from the dashboard)', value: truncate(now, 1024) }],
      },
    ],
  });
}

export default defineCommand({
  data,
  subcommands: { set: { tier: 'admin', run: setResources } },
});
