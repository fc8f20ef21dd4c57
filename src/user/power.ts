import type { APIEmbed } from 'discord.js';
import type { Context } from '../context.js';
import type { Limits } from '../atomichost/limits.js';
import type { PowerSignal } from '../atomichost/schemas.js';
import { defineConfirmation } from '../bot/confirmations.js';
import { defer, respond, type RepliableInteraction } from '../bot/respond.js';
import { Colors } from '../bot/style.js';
import { refuseWithoutKey, userApi } from './api.js';
import { withCredits } from './footer.js';
import { clipLine, codeSpan, plain } from '../text.js';
import { knownServerName } from './options.js';

export const SIGNAL_WORDS: Record<PowerSignal, { verb: string; warning: string; past: string }> = {
  start: { verb: 'Start', warning: '', past: 'Start signal sent' },
  stop: { verb: 'Stop', warning: 'Players will be disconnected.', past: 'Stop signal sent' },
  restart: {
    verb: 'Restart',
    warning: 'Players will be disconnected while it restarts.',
    past: 'Restart signal sent',
  },
  kill: {
    verb: 'Kill',
    warning: 'The process is ended at once, **without saving** — unsaved progress can be lost or corrupted.',
    past: 'Kill signal sent',
  },
};

/** The server's cached name for a title, else its id (no API call). */
export function serverTitle(ctx: Context, userId: string, serverId: string): string {
  const name = knownServerName(ctx.userCaches, userId, serverId);
  return name ? clipLine(name, 200) : `server #${serverId}`;
}

/** The server's cached name in bold with its id, for running text (no API call). */
export function serverLabel(ctx: Context, userId: string, serverId: string): string {
  const name = knownServerName(ctx.userCaches, userId, serverId);
  return name ? `**${plain(name)}** (#${serverId})` : `server #${serverId}`;
}

export interface PowerPayload {
  serverId: string;
  signal: PowerSignal;
}

/**
 * Sending a power signal, from a command or a console button: `start` and
 * `restart` go at once via `send`; `stop` and `kill` go through `ask`, a
 * confirmation bound to the invoker. AtomicHost checks the `console`
 * permission on every call.
 */
export function definePowerFlow(options: {
  /** Custom id name of the confirmation buttons. */
  name: string;
  /** Command path whose tier guards the buttons. */
  commandPath: string;
  /** Appended to the success text (e.g. where to check the result). */
  hint?: string;
  /** Sees the credit figures of every answer (e.g. to refresh a live console's footer). */
  onLimits?(ctx: Context, userId: string, serverId: string, limits: Limits): void;
}) {
  async function send(interaction: RepliableInteraction, ctx: Context, { serverId, signal }: PowerPayload) {
    // The key is looked up at the moment of sending: it may have been removed since the question.
    await defer(interaction, { ephemeral: true });
    const api = await userApi(interaction.user, ctx);
    const { data: result, limits } = await api.power(serverId, signal);
    options.onLimits?.(ctx, interaction.user.id, serverId, limits);
    const label = serverLabel(ctx, interaction.user.id, serverId);
    const embed: APIEmbed = result.accepted
      ? {
          title: SIGNAL_WORDS[signal].past,
          description: `${codeSpan(signal)} was sent to ${label}.${options.hint ?? ''}`,
          color: Colors.success,
        }
      : {
          title: 'Signal not accepted',
          description: `AtomicHost did not accept ${codeSpan(signal)} for ${label}.`,
          color: Colors.warning,
        };
    await respond(interaction, { embeds: [withCredits(embed, limits)], components: [] });
  }

  const confirmation = defineConfirmation<PowerPayload>({
    name: options.name,
    commandPath: options.commandPath,
    run: (interaction, payload, ctx) => send(interaction, ctx, payload),
  });

  return {
    component: confirmation.component,
    send,
    async ask(interaction: RepliableInteraction, ctx: Context, payload: PowerPayload): Promise<void> {
      await refuseWithoutKey(interaction.user.id, ctx); // no key: say so now rather than after Confirm
      const words = SIGNAL_WORDS[payload.signal];
      const userId = interaction.user.id;
      await confirmation.ask(interaction, ctx, {
        embed: {
          title: `${words.verb} ${serverTitle(ctx, userId, payload.serverId)}?`,
          description: `This sends ${codeSpan(payload.signal)} to ${serverLabel(ctx, userId, payload.serverId)}. ${words.warning}`,
        },
        confirmLabel: words.verb,
        payload,
      });
    },
  };
}
