import type { FakeDiscord, FakeInteraction } from '../discord/index.js';

/**
 * Waiting for the bot's answer to one interaction, as a person watching
 * Discord would: the first response, then the deferred reply or update
 * filled in, then a short quiet spell so follow-ups and audit posts that come
 * right after are shown together with it.
 */

const FIRST_RESPONSE_MS = 20_000;
const QUIET_MS = 400;
const MAX_SETTLE_MS = 2_500;

export type Answer =
  | { kind: 'form'; customId: string; title: string; fields: string[] }
  | { kind: 'choices'; choices: Array<{ name: string; value: unknown }> }
  | { kind: 'messages' }
  | { kind: 'none'; why: string };

export async function waitForAnswer(discord: FakeDiscord, interaction: FakeInteraction): Promise<Answer> {
  let first;
  try {
    first = await interaction.waitForCallback(FIRST_RESPONSE_MS);
  } catch {
    return { kind: 'none', why: `no answer within ${FIRST_RESPONSE_MS / 1000} s — is the bot running?` };
  }
  if (first.type === 9) {
    const modal = first.data as { custom_id: string; title?: string; components?: unknown };
    return {
      kind: 'form',
      customId: modal.custom_id,
      title: modal.title ?? '',
      fields: textInputs(modal.components),
    };
  }
  if (first.type === 8) {
    return {
      kind: 'choices',
      choices: (first.data as { choices?: Array<{ name: string; value: unknown }> }).choices ?? [],
    };
  }
  try {
    await interaction.waitFor(() => filledIn(interaction, first.type), FIRST_RESPONSE_MS);
  } catch {
    return { kind: 'none', why: 'the bot acknowledged but did not answer in time' };
  }
  await quiet(discord);
  return { kind: 'messages' };
}

/** A deferred reply (5) counts once it has content; a deferred update (6) once it was edited. */
function filledIn(interaction: FakeInteraction, type: number): boolean {
  if (interaction.followUps.length > 0) return true;
  if (type === 6) return interaction.edits.length > 0;
  const original = interaction.original;
  return Boolean(original && (original.content || original.embeds.length > 0));
}

/** Resolves once nothing changed for QUIET_MS, or after MAX_SETTLE_MS at most. */
function quiet(discord: FakeDiscord): Promise<void> {
  return new Promise((resolve) => {
    let timer = setTimeout(done, QUIET_MS);
    const cap = setTimeout(done, MAX_SETTLE_MS);
    const unsubscribe = discord.onChange(() => {
      clearTimeout(timer);
      timer = setTimeout(done, QUIET_MS);
    });
    function done(): void {
      clearTimeout(timer);
      clearTimeout(cap);
      unsubscribe();
      resolve();
    }
  });
}

/** Text inputs of a modal, whatever layout (action rows or labels) it uses. */
export function textInputs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((child) => textInputs(child, found));
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 4 && typeof record.custom_id === 'string') found.push(record.custom_id);
    for (const value of Object.values(record)) if (typeof value === 'object') textInputs(value, found);
  }
  return found;
}
