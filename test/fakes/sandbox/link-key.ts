import { waitForAnswer } from './answers.js';
import type { Person, Sandbox } from './seed.js';

/**
 * Links a person's sample AtomicHost key the way they would: `/apikey set`,
 * then the key typed into the bot's form. Through the real bot, no shortcut
 * into its store.
 */
export async function linkSampleKey(sandbox: Sandbox, person: Person): Promise<void> {
  const actor = { userId: person.userId, roles: person.roles };
  const opened = sandbox.discord.chatInput({ name: 'apikey', subcommand: 'set', ...actor });
  const form = await waitForAnswer(sandbox.discord, opened);
  if (form.kind !== 'form') throw new Error(`/apikey set did not open its form for ${person.username}`);
  const submitted = sandbox.discord.modalSubmit({
    customId: form.customId,
    fields: { [form.fields[0] ?? 'key']: person.account.key },
    ...actor,
  });
  const answer = await waitForAnswer(sandbox.discord, submitted);
  if (answer.kind !== 'messages') throw new Error(`the bot did not confirm ${person.username}'s key`);
}
