import { GuildMember, type AutocompleteInteraction, type Interaction } from 'discord.js';
import type { Context } from '../context.js';
import type { CommandRegistry } from '../commands/loader.js';
import { decideAccess } from '../policy/access.js';
import { UserError } from '../errors.js';
import { decodeCustomId } from './custom-id.js';
import { replyWithError } from './error-funnel.js';
import { lazyChild } from './lazy-logger.js';
import { interactionArrived } from './after-ack.js';

/** Autocomplete must answer within 3 s; give up a little before that. */
const AUTOCOMPLETE_BUDGET_MS = 2_500;

/** Role ids from the interaction itself (not from a cache that may be stale). */
export function memberRoles(interaction: Interaction): string[] | null {
  const member = interaction.member;
  if (!member || !interaction.inGuild()) return null;
  if (member instanceof GuildMember) return [...member.roles.cache.keys()];
  return member.roles;
}

function commandPathOf(interaction: Interaction): string | undefined {
  if (!interaction.isChatInputCommand() && !interaction.isAutocomplete()) return undefined;
  const group = interaction.options.getSubcommandGroup(false);
  const sub = interaction.options.getSubcommand(false);
  return [interaction.commandName, group, sub].filter(Boolean).join(' ');
}

/**
 * The single `interactionCreate` handler: finds the command or component,
 * checks the caller's tier from their roles, runs the handler, and sends any
 * error through the error funnel. Never throws.
 */
export function createRouter(
  registry: CommandRegistry,
  ctx: Context,
): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    interactionArrived();
    const bindings = {
      interactionId: interaction.id,
      userId: interaction.user.id,
      guildId: interaction.guildId ?? undefined,
    };
    let logger = lazyChild(ctx.logger, bindings);
    try {
      if (interaction.isChatInputCommand() || interaction.isAutocomplete()) {
        const command = registry.commands.get(interaction.commandName);
        const path = commandPathOf(interaction) ?? interaction.commandName;
        logger = lazyChild(ctx.logger, { ...bindings, command: path });
        const scoped = { ...ctx, logger };
        if (!command) throw new UserError('This command is not known to the bot (it may be outdated).');
        const route = registry.routes.get(path);
        const access = decideAccess(path, route?.tier, { roles: memberRoles(interaction) }, ctx.config);
        if (interaction.isAutocomplete()) {
          if (!access.allowed || !command.autocomplete) return void (await interaction.respond([]));
          await answerAutocomplete(interaction, () => command.autocomplete!(interaction, scoped));
          return;
        }
        if (!access.allowed) {
          scoped.logger.info({ reason: access.reason }, 'Refused by role policy');
          throw new UserError(access.reason, 'Not allowed');
        }
        scoped.logger.debug('Command received');
        if (!route) throw new UserError('This command is not known to the bot (it may be outdated).');
        await route.run(interaction, scoped);
        return;
      }

      if (interaction.isButton() || interaction.isModalSubmit()) {
        const { name, state } = decodeCustomId(interaction.customId);
        const component = registry.components.get(name);
        if (!component) throw new UserError('This button or form is no longer handled by the bot.');
        logger = lazyChild(ctx.logger, { ...bindings, command: component.commandPath, component: name });
        const scoped = { ...ctx, logger };
        const access = decideAccess(
          component.commandPath,
          registry.tiers.get(component.commandPath),
          { roles: memberRoles(interaction) },
          ctx.config,
        );
        if (!access.allowed) {
          scoped.logger.info({ reason: access.reason }, 'Refused by role policy');
          throw new UserError(access.reason, 'Not allowed');
        }
        if (interaction.isButton() && component.button)
          return await component.button(interaction, state, scoped);
        if (interaction.isModalSubmit() && component.modal)
          return await component.modal(interaction, state, scoped);
        throw new UserError('This button or form is no longer handled by the bot.');
      }
    } catch (error) {
      await replyWithError(interaction, error, logger);
    } finally {
      // The end of an interaction's work, for logs and for tests that prove nothing else followed.
      logger.debug('Interaction handled');
    }
  };
}

async function answerAutocomplete(
  interaction: AutocompleteInteraction,
  run: () => Promise<void>,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), AUTOCOMPLETE_BUDGET_MS);
  });
  try {
    const outcome = await Promise.race([run().then(() => 'done' as const), late]);
    if (outcome === 'late' && !interaction.responded) await interaction.respond([]);
  } finally {
    clearTimeout(timer);
  }
}
