import assert from 'node:assert/strict';
import { WAIT_MS } from '../fakes/discord/fake-interaction.js';
import { OptionType, type CommandOptionInput, type FakeInteraction } from '../fakes/discord/index.js';
import type { RecordedRequest } from '../fakes/faults.js';
import { ROLES, answerEmbeds, type E2E } from './e2e.js';

/** Helpers shared by the moderation end-to-end tests. */

export const opt = {
  user: (id: string): CommandOptionInput => ({ name: 'user', type: OptionType.User, value: id }),
  id: (value: unknown): CommandOptionInput => ({ name: 'id', type: OptionType.String, value }),
  int: (name: string, value: unknown): CommandOptionInput => ({ name, type: OptionType.Integer, value }),
  str: (name: string, value: unknown): CommandOptionInput => ({ name, type: OptionType.String, value }),
  bool: (name: string, value: unknown): CommandOptionInput => ({ name, type: OptionType.Boolean, value }),
  role: (name: string, value: string): CommandOptionInput => ({ name, type: OptionType.Role, value }),
};

export interface Invocation {
  /** `user info`, `ban`, … */
  path: string;
  options?: CommandOptionInput[];
  roles?: string[];
  userId?: string;
}

export function invoke(e2e: E2E, invocation: Invocation): FakeInteraction {
  // `name`, `name sub` or `name group sub`.
  const [name = '', first, second] = invocation.path.split(' ');
  return e2e.discord.chatInput({
    name,
    ...(second ? { group: first, subcommand: second } : first ? { subcommand: first } : {}),
    options: invocation.options ?? [],
    roles: invocation.roles ?? [ROLES.admin],
    ...(invocation.userId ? { userId: invocation.userId } : {}),
    resolvedUsers: (invocation.options ?? [])
      .filter((o) => o.type === OptionType.User)
      .map((o) => ({ id: String(o.value), username: `member${String(o.value).slice(-3)}` })),
  });
}

export type Embed = {
  title?: string;
  description?: string;
  color?: number;
  footer?: { text: string };
  fields?: Array<{ name: string; value: string }>;
};

/** The embed of the interaction's current answer, whether it came by callback or by edit. */
export async function answer(interaction: FakeInteraction, timeoutMs = WAIT_MS): Promise<Embed> {
  await interaction.waitFor(() => answerEmbeds(interaction).length > 0, timeoutMs);
  return answerEmbeds(interaction)[0] as Embed;
}

/** Waits until the current answer's title matches. */
export async function answerTitled(
  interaction: FakeInteraction,
  title: RegExp,
  timeoutMs = WAIT_MS,
): Promise<Embed> {
  await interaction.waitFor(() => {
    const embed = answerEmbeds(interaction)[0] as Embed | undefined;
    return embed !== undefined && title.test(embed.title ?? '');
  }, timeoutMs);
  return answerEmbeds(interaction)[0] as Embed;
}

export function field(embed: Embed, name: string): string {
  const found = embed.fields?.find((f) => f.name === name);
  assert.ok(found, `field "${name}" in ${JSON.stringify(embed.fields?.map((f) => f.name))}`);
  return found.value;
}

/** Every text of an embed, for broad matches. */
export function text(embed: Embed): string {
  return [
    embed.title,
    embed.description,
    embed.footer?.text,
    ...(embed.fields ?? []).flatMap((f) => [f.name, f.value]),
  ]
    .filter(Boolean)
    .join('\n');
}

export function dashboardRequests(e2e: E2E, since = 0): RecordedRequest[] {
  return e2e.heliactyl.requests.slice(since);
}

export function writesSince(e2e: E2E, since: number): RecordedRequest[] {
  return dashboardRequests(e2e, since).filter((r) => r.method === 'POST');
}

interface Button {
  custom_id: string;
  label: string;
  disabled?: boolean;
}

export function buttons(interaction: FakeInteraction): Button[] {
  const rows = (interaction.original?.components ?? []) as Array<{ components: Button[] }>;
  return rows.flatMap((row) => row.components);
}

export function button(interaction: FakeInteraction, label: string): Button {
  const found = buttons(interaction).find((b) => b.label === label);
  assert.ok(found, `button "${label}" in ${JSON.stringify(buttons(interaction).map((b) => b.label))}`);
  return found;
}

/** Presses a button on the interaction's answer (as the same test user unless told). */
export function press(
  e2e: E2E,
  interaction: FakeInteraction,
  label: string,
  actor: { roles?: string[]; userId?: string } = {},
): FakeInteraction {
  const target = button(interaction, label);
  return e2e.discord.button({
    customId: target.custom_id,
    messageId: interaction.original!.id,
    roles: actor.roles ?? [ROLES.admin],
    ...(actor.userId ? { userId: actor.userId } : {}),
  });
}

/** Waits for the confirmation question (buttons shown). */
export async function question(interaction: FakeInteraction): Promise<Embed> {
  await interaction.waitFor(() => buttons(interaction).length === 2, WAIT_MS);
  return answerEmbeds(interaction)[0] as Embed;
}

export function auditPosts(e2e: E2E, channelId: string): Embed[] {
  return e2e.discord.channelMessages(channelId).flatMap((m) => m.embeds as Embed[]);
}

export async function nextAudit(e2e: E2E, channelId: string, count: number): Promise<Embed> {
  await e2e.discord.waitFor(() => auditPosts(e2e, channelId).length >= count, WAIT_MS);
  return auditPosts(e2e, channelId)[count - 1]!;
}

/** The embed of a reply sent as the first callback (refusals, invalid input). */
export async function immediateReply(interaction: FakeInteraction): Promise<Embed> {
  const callback = await interaction.waitForCallback();
  assert.equal(callback.type, 4, 'answered at once, without deferring');
  assert.equal(((callback.data as { flags?: number }).flags ?? 0) & 64, 64, 'ephemeral');
  return (callback.data as { embeds: Embed[] }).embeds[0]!;
}
