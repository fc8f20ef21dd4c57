import assert from 'node:assert/strict';
import { WAIT_MS } from '../fakes/discord/fake-interaction.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionType } from '../fakes/discord/interaction-builders.js';
import type { FakeInteraction } from '../fakes/discord/index.js';
import type { FakeAccount } from '../fakes/atomichost/index.js';
import { answerEmbeds, type E2E } from './e2e.js';

/** Helpers for the user-side (AtomicHost) end-to-end tests. */

export interface Embed {
  title?: string;
  description?: string;
  footer?: { text: string };
  fields?: Array<{ name: string; value: string }>;
  color?: number;
}

let nextUser = 1;
/** A fresh Discord user id for each test user (distinct from the fake's default user). */
export function newUserId(): string {
  nextUser += 1;
  return `19${String(Date.now()).slice(-6)}${String(nextUser).padStart(9, '0')}`.slice(0, 18);
}

export const str = (name: string, value: string) => ({ name, type: OptionType.String, value });
export const bool = (name: string, value: boolean) => ({ name, type: OptionType.Boolean, value });
export const attach = (name: string, id: string) => ({ name, type: OptionType.Attachment, value: id });

export function command(
  e2e: E2E,
  userId: string,
  name: string,
  subcommand: string,
  options: Array<{ name: string; type: number; value: unknown }> = [],
): FakeInteraction {
  return e2e.discord.chatInput({ name, subcommand, options, userId });
}

/** The first embed the user sees: from an immediate reply (callback 4) or the edited deferred reply. */
export async function seen(interaction: FakeInteraction, timeoutMs = WAIT_MS): Promise<Embed> {
  await interaction.waitFor(() => {
    const first = interaction.callbacks[0];
    if (first?.type === 4) return true;
    return answerEmbeds(interaction).length > 0;
  }, timeoutMs);
  const first = interaction.callbacks[0];
  if (first?.type === 4) return (first.data?.embeds?.[0] ?? {}) as Embed;
  return answerEmbeds(interaction)[0] as Embed;
}

/** The first answer's flags include Ephemeral (64). */
export function ephemeral(interaction: FakeInteraction): boolean {
  return ((interaction.callbacks[0]?.data?.flags ?? 0) & 64) === 64;
}

/** Runs `/apikey set` through its modal for `userId`. */
export async function setKey(
  e2e: E2E,
  userId: string,
  key: string,
): Promise<{ modal: FakeInteraction; embed: Embed }> {
  const opened = command(e2e, userId, 'apikey', 'set');
  const callback = await opened.waitForCallback();
  assert.equal(callback.type, 9, '/apikey set opens a modal');
  const modal = e2e.discord.modalSubmit({
    customId: String(callback.data.custom_id),
    fields: { key },
    userId,
  });
  return { modal, embed: await seen(modal) };
}

/** A fresh AtomicHost account with its key stored for a fresh Discord user. */
export async function userWithKey(
  e2e: E2E,
  username: string,
): Promise<{ userId: string; account: FakeAccount }> {
  const account = e2e.atomichost.addAccount({ username });
  const userId = newUserId();
  const { embed } = await setKey(e2e, userId, account.key);
  assert.equal(embed.title, 'API key saved');
  return { userId, account };
}

/** The custom id of the confirm (first) button of a confirmation question (asked at once, or after a defer). */
export function confirmButton(interaction: FakeInteraction, which: 'yes' | 'no' = 'yes'): string {
  const data = (
    interaction.callbacks[0]?.type === 5 ? interaction.original : interaction.callbacks[0]?.data
  ) as { components?: Array<{ components: Array<{ custom_id: string }> }> } | undefined;
  const buttons = data?.components?.[0]?.components ?? [];
  const button = buttons.find((b) => b.custom_id.endsWith(`:${which}`));
  assert.ok(button, 'the answer has Confirm / Cancel buttons');
  return button.custom_id;
}

/** Clicks Confirm/Cancel as `userId`; resolves with the embed the question turned into. */
export async function answerConfirmation(
  e2e: E2E,
  question: FakeInteraction,
  userId: string,
  which: 'yes' | 'no' = 'yes',
): Promise<{ click: FakeInteraction; embed: Embed }> {
  await seen(question);
  const click = e2e.discord.button({
    customId: confirmButton(question, which),
    messageId: question.original?.id,
    userId,
  });
  await click.waitFor(() => {
    const first = click.callbacks[0];
    if (!first) return false;
    if (first.type === 4) return true;
    if (first.type === 7) return true;
    return click.edits.length > 0;
  }, WAIT_MS);
  const first = click.callbacks[0]!;
  if (first.type === 4) return { click, embed: (first.data?.embeds?.[0] ?? {}) as Embed };
  if (first.type === 7) return { click, embed: (first.data?.embeds?.[0] ?? {}) as Embed };
  return { click, embed: (click.edits.at(-1)!.body.embeds?.[0] ?? {}) as Embed };
}

/** Requests the fake AtomicHost received after `since` (an index into requests). */
export function apiCallsSince(
  e2e: E2E,
  since: number,
): Array<{ method: string; path: string; body: unknown; query: Record<string, string> }> {
  return e2e.atomichost.requests.slice(since);
}

/** Every file under the bot's data folder, as bytes. */
export function dataFiles(e2e: E2E): Array<{ path: string; bytes: Buffer }> {
  const root = join(e2e.bot.cwd, 'data');
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).flatMap((file) => {
    const path = join(root, file);
    try {
      return [{ path, bytes: readFileSync(path) }];
    } catch {
      return [];
    }
  });
}

export const CREDITS_FOOTER = /^[\d,]+ of [\d,]+ credits left today · resets \w{3} \d{1,2}, \d{2}:\d{2} UTC$/;
