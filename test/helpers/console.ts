import assert from 'node:assert/strict';
import { WAIT_MS } from '../fakes/discord/fake-interaction.js';
import type { FakeInteraction } from '../fakes/discord/index.js';
import type { E2E } from './e2e.js';
import { bool, command, str, type Embed } from './user-side.js';

/** Helpers for the live-console end-to-end tests. */

export interface ConsoleEmbed extends Embed {
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
}

interface Button {
  custom_id: string;
  label: string;
  disabled?: boolean;
}

/** `/console stream` as `userId`; resolves once the message shows the console. */
export async function openConsole(
  e2e: E2E,
  userId: string,
  serverId: number,
  options: { public?: boolean } = {},
): Promise<FakeInteraction> {
  const opts: Array<{ name: string; type: number; value: unknown }> = [str('server', String(serverId))];
  if (options.public) opts.push(bool('public', true));
  const interaction = command(e2e, userId, 'console', 'stream', opts);
  await interaction.waitFor(() => consoleEmbed(interaction)?.title?.startsWith('Console') === true, WAIT_MS);
  return interaction;
}

/** The console embed the message shows now. */
export function consoleEmbed(interaction: FakeInteraction): ConsoleEmbed | undefined {
  return interaction.original?.embeds[0] as ConsoleEmbed | undefined;
}

/** The lines inside the ```ansi block of an embed (none when there is no block). */
export function blockLines(embed: ConsoleEmbed | undefined): string[] {
  const description = embed?.description ?? '';
  const match = /^```ansi\n([\s\S]*)\n```$/.exec(description);
  return match ? match[1]!.split('\n') : [];
}

/** Lines of each edit of @original that carried an embed, in order, with arrival times. */
export function editLines(
  interaction: FakeInteraction,
): Array<{ at: number; lines: string[]; embed: ConsoleEmbed }> {
  return interaction.edits
    .filter((e) => Array.isArray(e.body?.embeds) && e.body.embeds.length > 0)
    .map((e) => ({ at: e.at, lines: blockLines(e.body.embeds[0]), embed: e.body.embeds[0] as ConsoleEmbed }));
}

export function buttons(interaction: FakeInteraction): Button[] {
  const rows = (interaction.original?.components ?? []) as Array<{ components?: Button[] }>;
  return rows.flatMap((row) => row.components ?? []);
}

export function buttonFor(interaction: FakeInteraction, action: string): Button {
  const found = buttons(interaction).find((b) => b.custom_id.startsWith(`console:${action}:`));
  assert.ok(
    found,
    `the console shows a "${action}" button (has: ${buttons(interaction)
      .map((b) => b.label)
      .join(', ')})`,
  );
  return found;
}

/** Presses one of the console's buttons as `userId`. */
export function press(
  e2e: E2E,
  interaction: FakeInteraction,
  action: string,
  userId: string,
): FakeInteraction {
  return e2e.discord.button({
    customId: buttonFor(interaction, action).custom_id,
    messageId: interaction.original?.id,
    userId,
  });
}

/** Waits until the console's footer says it ended. */
export async function waitForEnd(interaction: FakeInteraction, timeoutMs = WAIT_MS): Promise<ConsoleEmbed> {
  await interaction.waitFor(
    () => consoleEmbed(interaction)?.footer?.text.startsWith('■ Ended') === true,
    timeoutMs,
  );
  return consoleEmbed(interaction)!;
}

export function endedField(embed: ConsoleEmbed): string {
  return embed.fields?.find((f) => f.name === 'Stream ended')?.value ?? '';
}

/** Waits until the visible block's last line is `line`. */
export async function waitForLastLine(
  interaction: FakeInteraction,
  line: string,
  timeoutMs = WAIT_MS,
): Promise<void> {
  await interaction.waitFor(() => blockLines(consoleEmbed(interaction)).at(-1) === line, timeoutMs);
}

/** Waits until the fake holds `count` open streams for the account. */
export async function waitForStreams(e2e: E2E, accountId: number, count: number): Promise<void> {
  await e2e.atomichost.waitFor(
    () => e2e.atomichost.openStreams(accountId) === count,
    WAIT_MS,
    `${count} open streams of account ${accountId}`,
  );
}

const MENTION = /@(everyone|here)|<@[!&]?\d/;

/** Every edit and callback of the interaction was sent with mentions off and holds no live mention. */
export function assertNoPings(interaction: FakeInteraction): void {
  const bodies = [
    ...interaction.edits.map((e) => e.body),
    ...interaction.callbacks.map((c) => c.data),
  ].filter((b) => b && Array.isArray(b.embeds) && b.embeds.length > 0);
  for (const body of bodies) {
    assert.deepEqual(body.allowed_mentions, { parse: [] }, 'every console edit turns mentions off');
    const texts = (body.embeds as ConsoleEmbed[]).flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      e.footer?.text ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ]);
    for (const text of texts) assert.doesNotMatch(text, MENTION, 'no mention survives in an edit');
  }
}

/** Answers the ephemeral reply of a button press or modal: the first embed the presser sees. */
export async function answerOf(interaction: FakeInteraction, timeoutMs = WAIT_MS): Promise<Embed> {
  await interaction.waitFor(() => {
    const first = interaction.callbacks[0];
    if (!first) return false;
    if (first.type === 4) return true;
    return (interaction.original?.embeds.length ?? 0) > 0;
  }, timeoutMs);
  const first = interaction.callbacks[0]!;
  if (first.type === 4) return (first.data?.embeds?.[0] ?? {}) as Embed;
  return interaction.original!.embeds[0] as Embed;
}
