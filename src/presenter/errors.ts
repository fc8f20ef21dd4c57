import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import { AtomicHostError, AtomicHostInputError } from '../atomichost/errors.js';
import { RemotePathError } from '../atomichost/remote-path.js';
import { UserError } from '../errors.js';
import { HeliactylError } from '../heliactyl/errors.js';
import { TransportError } from '../http/upstream.js';
import { KeyRefusedError } from '../user/key-errors.js';
import { VaultError } from '../vault/errors.js';
import { CoordinationUnavailableError } from '../coordination/errors.js';
import { describeAtomicHostError } from './atomichost-text.js';
import { describeHeliactylError } from './heliactyl-text.js';

/**
 * The one error table: every error kind the bot understands → the title and
 * text a Discord user reads and the level it is logged at. The error funnel,
 * the console and the moderator flows all word errors through here;
 * anything not in the table is a bug (logged with an id, answered generically).
 */

export type LogLevel = 'info' | 'warn' | 'error';

export interface Presented {
  title: string;
  text: string;
  level: LogLevel;
}

/** Discord answers that mean "too late / already done": worth a log line, never a crash or a reply. */
const HARMLESS_DISCORD_CODES = new Set<number>([
  RESTJSONErrorCodes.UnknownInteraction,
  RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
  RESTJSONErrorCodes.UnknownWebhook,
  RESTJSONErrorCodes.InvalidWebhookToken,
  RESTJSONErrorCodes.UnknownMessage,
]);

export function isHarmlessDiscordError(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    typeof error.code === 'number' &&
    HARMLESS_DISCORD_CODES.has(error.code)
  );
}

/** Discord refusals a server admin can fix. */
const DISCORD_PERMISSION_CODES = new Set<number>([
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
]);

const STORED_KEY_REVOKED =
  'AtomicHost no longer accepts your API key: it was regenerated or revoked (a key stops working the ' +
  'moment a new one is generated), so Hostlink deleted the copy it stored for you. Generate a new key ' +
  'under **Account Settings → API Access** and run `/apikey set`.';

const STORED_KEY_BANNED =
  'Your AtomicHost account is banned or suspended, and AtomicHost revoked its API key — so Hostlink ' +
  "deleted the copy it stored for you. Lifting a ban doesn't bring the old key back: once your account " +
  'is in good standing, generate a new key and run `/apikey set`.';

function presentKeyRefused(error: KeyRefusedError): Presented {
  if (error.stored) {
    const text = error.code === 'account_banned' ? STORED_KEY_BANNED : STORED_KEY_REVOKED;
    return { title: 'API key removed', text, level: 'info' };
  }
  const text =
    error.code === 'account_banned'
      ? 'AtomicHost refused this key: the account is banned or suspended. Nothing was stored.'
      : 'AtomicHost refused this key: it is invalid, revoked or was replaced by a newer one. Nothing was stored.';
  return { title: 'Key not accepted', text, level: 'info' };
}

function presentAtomicHost(error: AtomicHostError): Presented {
  const title = error.mayHaveBeenApplied ? 'Outcome unknown' : 'AtomicHost error';
  return { title, text: describeAtomicHostError(error), level: 'warn' };
}

function presentHeliactyl(error: HeliactylError): Presented {
  // A rejected or disabled key is the operator's problem: log it loudly.
  const level = error.kind === 'unauthorized' || error.kind === 'api_disabled' ? 'error' : 'warn';
  const unknown = error.mayHaveReachedServer && error.method !== 'GET';
  return {
    title: unknown ? 'Outcome unknown' : 'Dashboard error',
    text: describeHeliactylError(error),
    level,
  };
}

const VAULT: Record<VaultError['kind'], Presented> = {
  unavailable: {
    title: 'Key store unavailable',
    text: "Hostlink's key store is unavailable right now. Try again in a moment.",
    level: 'error',
  },
  unreadable: {
    title: 'Stored key unreadable',
    text:
      'Stored key unreadable — set it again with `/apikey set`. (It was damaged, or sealed with an ' +
      'encryption key the bot no longer has.)',
    level: 'warn',
  },
};

function presentTransport(error: TransportError): Presented {
  const text = error.mayHaveArrived
    ? 'The connection to an upstream service failed after the request was sent, so it may or may not have been applied — check before retrying.'
    : "Hostlink couldn't reach an upstream service. Try again in a moment.";
  return { title: error.mayHaveArrived ? 'Outcome unknown' : 'Connection failed', text, level: 'warn' };
}

/** What the user reads for an error the bot understands; undefined for bugs. */
export function presentError(error: unknown): Presented | undefined {
  if (error instanceof UserError)
    return { title: error.title ?? 'Cannot do that', text: error.message, level: 'info' };
  if (error instanceof RemotePathError) return { title: 'Invalid path', text: error.message, level: 'info' };
  if (error instanceof AtomicHostInputError)
    return { title: 'Cannot do that', text: error.message, level: 'info' };
  if (error instanceof KeyRefusedError) return presentKeyRefused(error);
  if (error instanceof AtomicHostError) return presentAtomicHost(error);
  if (error instanceof HeliactylError) return presentHeliactyl(error);
  if (error instanceof VaultError) return VAULT[error.kind];
  if (error instanceof TransportError) return presentTransport(error);
  if (error instanceof CoordinationUnavailableError)
    return {
      title: 'Temporarily unavailable',
      text: 'This is temporarily unavailable: Hostlink cannot reach the service its processes share (Redis). Nothing was done — try again in a minute.',
      level: 'warn',
    };
  if (
    error instanceof DiscordAPIError &&
    typeof error.code === 'number' &&
    DISCORD_PERMISSION_CODES.has(error.code)
  )
    return {
      title: 'Missing permission',
      text: "Discord refused: Hostlink lacks a permission in this channel. Ask a server admin to check the bot's role.",
      level: 'warn',
    };
  return undefined;
}

/** The reply for an error not in the table: it names the id of the log line. */
export function unexpectedText(errorId: string): string {
  return `Something went wrong on our side. If it keeps happening, give the bot operator this error id: \`${errorId}\`.`;
}
