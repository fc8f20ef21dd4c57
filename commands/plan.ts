import type { ChatInputCommandInteraction } from 'discord.js';
import { defineCommand } from '../src/commands/types.js';
import type { Context } from '../src/context.js';
import { defineConfirmation } from '../src/bot/confirmations.js';
import { defer, respond } from '../src/bot/respond.js';
import { Colors } from '../src/bot/style.js';
import { UserError } from '../src/errors.js';
import type { HeliactylClient, UserInfo } from '../src/heliactyl/client.js';
import { HeliactylError } from '../src/heliactyl/errors.js';
import { describeHeliactylError } from '../src/presenter/heliactyl-text.js';
import { moderatorCommand } from '../src/moderation/command-data.js';
import { requireDashboard } from '../src/moderation/dashboard.js';
import { readAccount, type WriteOutcome } from '../src/moderation/actions.js';
import { defineModeratorWrite } from '../src/moderation/write-flow.js';
import { formatCpu, formatMegabytes, plural } from '../src/moderation/format.js';
import { clip, codeSpan } from '../src/text.js';
import { MAX_PACKAGE_LENGTH, parseInput, planSetInput } from '../src/moderation/input.js';
import {
  rawOption,
  resolveTarget,
  targetIdOption,
  targetUserOption,
  type Target,
} from '../src/moderation/target.js';

const data = moderatorCommand('plan', 'Dashboard packages')
  .addSubcommand((sub) =>
    sub
      .setName('set')
      .setDescription('Assign a package to a user')
      .addStringOption((o) =>
        o
          .setName('package')
          .setDescription('Package name as configured on the dashboard')
          .setRequired(true)
          .setMinLength(1)
          .setMaxLength(MAX_PACKAGE_LENGTH),
      )
      .addUserOption(targetUserOption)
      .addStringOption(targetIdOption),
  )
  .addSubcommand((sub) =>
    sub
      .setName('remove')
      .setDescription("Remove a user's package: back to the default (asks to confirm)")
      .addUserOption(targetUserOption)
      .addStringOption(targetIdOption),
  )
  .toJSON();

function packageName(name: string | null): string {
  return name === null ? 'default' : codeSpan(clip(name, 100));
}

function packageSummary(info: UserInfo): string {
  const p = info.package;
  return `${packageName(p.name)}: ${formatMegabytes(p.ram)} RAM · ${formatMegabytes(p.disk)} disk · ${formatCpu(p.cpu)} CPU · ${plural(p.servers, 'server')}`;
}

/** Reads the account back after a plan change; a failed read is mentioned, not thrown. */
async function readBackLine(dashboard: HeliactylClient, target: Target): Promise<string> {
  try {
    const info = await dashboard.userInfo(target.id);
    return `Now: ${packageSummary(info)} (read back from the dashboard)`;
  } catch (error) {
    return `The plan was changed, but the account could not be read back: ${describeHeliactylError(error)}`;
  }
}

/** A plan write whose outcome carries the account as read back afterwards. */
interface PlanOutcome extends WriteOutcome {
  now: string;
}

const readBackPlan = async (dashboard: HeliactylClient, target: Target): Promise<PlanOutcome> => ({
  result: 'success',
  now: await readBackLine(dashboard, target),
});

const setWrite = defineModeratorWrite<{ package: string }, PlanOutcome>({
  action: 'plan set',
  values: (request) => ({ package: request.package }),
  async write(dashboard, target, { package: pkg }) {
    try {
      // Always a string: any other type would make the dashboard remove the plan.
      await dashboard.setPlan(target.id, String(pkg));
    } catch (error) {
      if (error instanceof HeliactylError && error.upstreamMessage === 'invalid package') {
        throw new UserError(
          `The dashboard has no package named ${codeSpan(clip(pkg, 100))}. Check the package names in its config.`,
          'Unknown package',
        );
      }
      throw error;
    }
  },
  readBack: readBackPlan,
  reply: ({ target, request, outcome }) => ({
    embeds: [
      {
        title: clip(`Package of ${target.name} set to ${request.package}`, 256),
        color: Colors.success,
        description: `${target.display}\n${outcome.now}`,
      },
    ],
  }),
});

const removeWrite = defineModeratorWrite<{ current: string | null }, PlanOutcome>({
  action: 'plan remove',
  values: (request) => ({ 'package before': request.current }),
  write: (dashboard, target) => dashboard.setPlan(target.id, null),
  readBack: readBackPlan,
  reply: ({ target, outcome }) => ({
    embeds: [
      {
        title: clip(`Package of ${target.name} removed`, 256),
        color: Colors.success,
        description: `${target.display}\n${outcome.now}`,
      },
    ],
  }),
});

interface RemoveRequest {
  target: Target;
  current: string | null;
}

const confirmRemove = defineConfirmation<RemoveRequest>({
  name: 'plan-remove-confirm',
  commandPath: 'plan remove',
  run: (interaction, { target, current }, ctx) =>
    removeWrite.confirmed(interaction, ctx, target, { current }),
});

async function removePlan(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void> {
  const dashboard = requireDashboard(ctx);
  const target = resolveTarget(interaction);
  await defer(interaction, { ephemeral: true });
  const info = await readAccount(target, () => dashboard.userInfo(target.id));
  if (info.package.name === null) {
    await respond(interaction, {
      embeds: [
        {
          title: clip(`${target.name} is on the default package`, 256),
          color: Colors.neutral,
          description: `${target.display} has no package assigned, so there is nothing to remove. Nothing was changed.`,
        },
      ],
    });
    return;
  }
  await confirmRemove.ask(interaction, ctx, {
    embed: {
      title: clip(`Remove the package of ${target.name}?`, 256),
      description: `${target.display}\nCurrent: ${packageSummary(info)}\nAfter: the default package.`,
    },
    confirmLabel: 'Remove package',
    payload: { target, current: info.package.name },
  });
}

export default defineCommand({
  data,
  components: [confirmRemove.component],
  subcommands: {
    set: setWrite.command('admin', (interaction) =>
      parseInput(planSetInput, { package: rawOption(interaction, 'package') }),
    ),
    remove: { tier: 'admin', run: removePlan },
  },
});
