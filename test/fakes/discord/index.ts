export { FakeDiscord, type FakeDiscordOptions } from './fake-discord.js';
export type { RecordedRequest } from '../faults.js';
export type { FakeInteraction, InteractionCallback } from './fake-interaction.js';
export type { FakeAttachment, FakeMessage, FakeUser } from './messages.js';
export { MessageFlags } from './messages.js';
export type { RateLimitOptions } from './rate-limiter.js';
export type { SchemaViolation } from './rest-server.js';
export type { ChannelMessageEdit } from './state.js';
export type { FakeChannel } from './world.js';
export {
  OptionType,
  type AutocompleteInput,
  type ButtonInput,
  type ChatInputInput,
  type CommandOptionInput,
  type ModalSubmitInput,
} from './interaction-builders.js';
export { checkBody } from './schema-validator.js';
export { checkMessageLimits, embedCharacters, EMBED_TOTAL_LIMIT } from './message-limits.js';
