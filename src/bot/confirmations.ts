import { ButtonStyle, ComponentType, type APIEmbed, type ButtonInteraction } from 'discord.js';
import type { Context } from '../context.js';
import type { ComponentHandler } from '../commands/types.js';
import { UserError } from '../errors.js';
import { encodeCustomId } from './custom-id.js';
import { respond, type RepliableInteraction } from './respond.js';
import { Colors } from './style.js';
import { fitEmbed } from './embed-limits.js';
import { isHarmlessDiscordError } from './error-funnel.js';
import type { InteractionState } from '../state/store.js';
import type { Confirmations, PendingConfirmation } from './confirmation-types.js';

export const CONFIRMATION_TTL_MS = 60_000;

type Pending = PendingConfirmation;

const STATE_NAME = 'confirm';

/**
 * Pending confirm/cancel questions, kept in the one interaction state store
 * (src/state/store.ts): a restart simply makes old buttons answer "expired".
 * Each question is bound to the member who asked and expires after `ttlMs`
 * (on the store's clock), when its buttons are disabled.
 */
export class ConfirmationStore implements Confirmations {
  constructor(
    private readonly state: InteractionState,
    readonly ttlMs = CONFIRMATION_TTL_MS,
  ) {}

  add(entry: Pending, onExpire: () => Promise<void>): string {
    return this.state.put(STATE_NAME, entry, { ttlMs: this.ttlMs, onExpire: () => void onExpire() });
  }

  peek(id: string): Pending | undefined {
    return this.state.get<Pending>(STATE_NAME, id);
  }

  take(id: string): Pending | undefined {
    return this.state.take<Pending>(STATE_NAME, id);
  }
}

export interface ConfirmationKind<P> {
  /** Register in the command module's `components`. */
  component: ComponentHandler;
  /**
   * Shows the question (as the interaction's reply, ephemeral unless the
   * command chose otherwise when deferring) with Confirm / Cancel.
   */
  ask(
    interaction: RepliableInteraction,
    ctx: Context,
    question: { embed: APIEmbed; confirmLabel: string; payload: P; ephemeral?: boolean },
  ): Promise<void>;
}

function buttons(name: string, id: string, confirmLabel: string, disabled: boolean) {
  return [
    {
      type: ComponentType.ActionRow as const,
      components: [
        {
          type: ComponentType.Button as const,
          style: ButtonStyle.Danger as const,
          label: confirmLabel,
          custom_id: encodeCustomId(name, id, 'yes'),
          disabled,
        },
        {
          type: ComponentType.Button as const,
          style: ButtonStyle.Secondary as const,
          label: 'Cancel',
          custom_id: encodeCustomId(name, id, 'no'),
          disabled,
        },
      ],
    },
  ];
}

/**
 * A confirm/cancel flow for one kind of action. `run` executes after Confirm,
 * with the button interaction already acknowledged (deferUpdate): it answers
 * with `respond()`, which edits the question in place.
 */
export function defineConfirmation<P>(options: {
  name: string;
  commandPath: string;
  run(interaction: ButtonInteraction, payload: P, ctx: Context): Promise<void>;
}): ConfirmationKind<P> {
  const { name, commandPath } = options;
  return {
    component: {
      name,
      commandPath,
      async button(interaction, state, ctx) {
        const [id = '', choice] = state;
        const pending = ctx.confirmations.peek(id);
        if (!pending) {
          // Expired, already answered, or from before a restart: close the question.
          await interaction.update({ components: [] }).catch((error: unknown) => {
            if (!isHarmlessDiscordError(error)) throw error;
          });
          await interaction.followUp({
            embeds: [
              {
                description: 'This confirmation has expired — nothing was changed. Run the command again.',
                color: Colors.neutral,
              },
            ],
            flags: 64,
            allowedMentions: { parse: [] },
          });
          return;
        }
        if (pending.invokerId !== interaction.user.id) {
          throw new UserError(
            `Only <@${pending.invokerId}> can answer this confirmation.`,
            'Not your confirmation',
          );
        }
        ctx.confirmations.take(id);
        if (choice !== 'yes') {
          await interaction.update({
            embeds: [
              fitEmbed({
                ...pending.embed,
                color: Colors.neutral,
                footer: { text: 'Cancelled — nothing was changed.' },
              }),
            ],
            components: [],
            allowedMentions: { parse: [] },
          });
          return;
        }
        await interaction.deferUpdate();
        await options.run(interaction, pending.payload as P, ctx);
      },
    },
    async ask(interaction, ctx, question) {
      const embed: APIEmbed = { color: Colors.warning, ...question.embed };
      let id = '';
      let shown: Promise<void> = Promise.resolve();
      id = ctx.confirmations.add(
        { invokerId: interaction.user.id, kind: name, payload: question.payload, embed },
        async () => {
          // On a slow day the question may still be on its way: disable it once shown, never before.
          await shown.catch(() => undefined);
          try {
            await interaction.editReply({
              embeds: [
                fitEmbed({
                  ...embed,
                  color: Colors.neutral,
                  footer: {
                    text: `Expired after ${Math.round(ctx.confirmations.ttlMs / 1000)} s — nothing was changed.`,
                  },
                }),
              ],
              components: buttons(name, id, question.confirmLabel, true),
              allowedMentions: { parse: [] },
            });
          } catch (error) {
            ctx.logger.warn({ err: error }, 'Could not disable an expired confirmation');
          }
        },
      );
      shown = respond(interaction, {
        embeds: [
          { ...embed, footer: { text: `Expires in ${Math.round(ctx.confirmations.ttlMs / 1000)} s.` } },
        ],
        components: buttons(name, id, question.confirmLabel, false),
        ephemeral: question.ephemeral ?? true,
      });
      await shown;
    },
  };
}
