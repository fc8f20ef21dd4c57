import type { APIEmbed, Client } from 'discord.js';
import type { Logger } from '../logger.js';
import { Colors } from '../bot/style.js';
import { NO_MENTIONS } from '../bot/respond.js';
import { fitEmbed } from '../bot/embed-limits.js';
import { clip, codeSpan, discordTime, plain } from '../text.js';
import { formatCount } from '../format.js';

/**
 * Every moderator-side write, successful or not, is audited twice: a
 * structured log line (`audit: true`) and an embed in AUDIT_CHANNEL_ID. The
 * channel is best effort: unset or unwritable, the action still completes and
 * one warning is logged. Never throws; never carries secrets (only what the
 * moderator typed and what the dashboard answered about balances).
 */

/** success; failure (nothing changed); unknown (may have reached the dashboard); not applied (success answered, state unchanged); partial (some of several writes failed). */
export type AuditResult = 'success' | 'failure' | 'unknown' | 'not applied' | 'partial';

export type AuditValue = string | number | boolean | null;

export interface AuditEntry {
  /** The command path, e.g. `coins add`. */
  action: string;
  invoker: { id: string; username?: string };
  target: { id: string; display: string };
  values: Record<string, AuditValue>;
  result: AuditResult;
  /** One human sentence about the outcome (balance read back, the error shown to the moderator). */
  detail?: string;
}

const RESULT_TEXT: Record<AuditResult, string> = {
  success: '✅ Success',
  failure: '❌ Failed — nothing changed',
  unknown: '⚠️ Outcome unknown',
  'not applied': '⚠️ Answered success, but not applied',
  partial: '⚠️ Partly applied',
};

const RESULT_COLOR: Record<AuditResult, number> = {
  success: Colors.success,
  failure: Colors.error,
  unknown: Colors.warning,
  'not applied': Colors.warning,
  partial: Colors.warning,
};

function valueText(value: AuditValue): string {
  if (value === null) return 'none';
  if (typeof value === 'number') return formatCount(value);
  // Typed by a moderator (a ban reason, a package): shown, never rendered as markdown or a masked link.
  return typeof value === 'string' ? plain(value, 300) : String(value);
}

/** The audit embed (pure, unit-tested). */
export function auditEmbed(entry: AuditEntry, at: Date): APIEmbed {
  const values = Object.entries(entry.values)
    .map(([key, value]) => `${key}: ${valueText(value)}`)
    .join('\n');
  const result = entry.detail ? `${RESULT_TEXT[entry.result]}\n${entry.detail}` : RESULT_TEXT[entry.result];
  return fitEmbed({
    title: clip(`Moderator action: /${entry.action}`, 256),
    color: RESULT_COLOR[entry.result],
    fields: [
      { name: 'Invoker', value: `<@${entry.invoker.id}> (${codeSpan(entry.invoker.id)})`, inline: true },
      { name: 'Action', value: `/${entry.action}`, inline: true },
      { name: 'Target', value: clip(entry.target.display, 1024), inline: true },
      { name: 'Values', value: clip(values || 'none', 1024) },
      { name: 'Result', value: clip(result, 1024) },
      { name: 'Time', value: `${discordTime(at)} (${at.toISOString()})` },
    ],
    timestamp: at.toISOString(),
  });
}

export class AuditLog {
  #client: Client | null = null;
  /** True while a channel problem has been reported and not yet resolved. */
  #warned = false;

  constructor(
    private readonly options: {
      channelId: string | undefined;
      logger: Logger;
      now?: () => Date;
      /** Keeps posts in flight known, so shutdown waits for them (src/bot/in-flight.ts). */
      track?: <T>(work: Promise<T>) => Promise<T>;
    },
  ) {}

  get channelId(): string | undefined {
    return this.options.channelId;
  }

  /** Called once the Discord client exists; warns (once) when no channel is configured. */
  attach(client: Client): void {
    this.#client = client;
    if (!this.options.channelId) {
      this.#warnOnce(
        {},
        'AUDIT_CHANNEL_ID is not set: moderator writes are audited in the logs only, not in a channel',
      );
    }
  }

  /** Logs the entry, then posts it to the audit channel. Resolves when done; never rejects. */
  record(entry: AuditEntry, logger: Logger = this.options.logger): Promise<void> {
    const work = this.#record(entry, logger);
    return this.options.track ? this.options.track(work) : work;
  }

  async #record(entry: AuditEntry, logger: Logger): Promise<void> {
    const at = this.options.now?.() ?? new Date();
    try {
      logger.info(
        {
          audit: true,
          action: entry.action,
          invokerId: entry.invoker.id,
          targetId: entry.target.id,
          values: entry.values,
          result: entry.result,
          ...(entry.detail ? { detail: entry.detail } : {}),
        },
        `Audit: /${entry.action} ${entry.result}`,
      );
      await this.#post(auditEmbed(entry, at));
    } catch (error) {
      this.#warnOnce({ err: error }, 'Could not audit a moderator action');
    }
  }

  /** Posts a ready-made embed to the audit channel (batched grant audits); never rejects. */
  async postEmbed(embed: APIEmbed): Promise<void> {
    try {
      await this.#post(embed);
    } catch (error) {
      this.#warnOnce({ err: error }, 'Could not post to the audit channel');
    }
  }

  async #post(embed: APIEmbed): Promise<void> {
    const channelId = this.options.channelId;
    const client = this.#client;
    if (!channelId || !client) return;
    let channel;
    try {
      channel = client.channels.cache.get(channelId) ?? (await client.channels.fetch(channelId));
    } catch (error) {
      this.#warnOnce(
        { err: error, channelId },
        'The audit channel (AUDIT_CHANNEL_ID) cannot be found: moderator writes are audited in the logs only',
      );
      return;
    }
    if (!channel || !channel.isSendable()) {
      this.#warnOnce(
        { channelId },
        'AUDIT_CHANNEL_ID is not a text channel the bot can post in: moderator writes are audited in the logs only',
      );
      return;
    }
    try {
      await channel.send({ embeds: [embed], allowedMentions: NO_MENTIONS });
      this.#warned = false;
    } catch (error) {
      this.#warnOnce(
        { err: error, channelId },
        'Cannot post to the audit channel (AUDIT_CHANNEL_ID); check the bot may send messages and embed links there. Moderator writes are audited in the logs only until it works',
      );
    }
  }

  #warnOnce(fields: Record<string, unknown>, message: string): void {
    if (this.#warned) {
      // Warned already until a post works again; still traced, so each failure leaves a line.
      this.options.logger.debug({ ...fields, auditChannel: true }, 'The audit channel is still failing');
      return;
    }
    this.#warned = true;
    this.options.logger.warn({ ...fields, auditChannel: true }, message);
  }
}
