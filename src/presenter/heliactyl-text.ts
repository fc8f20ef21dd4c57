import { formatDuration, plain } from '../text.js';
import { HeliactylError } from '../heliactyl/errors.js';

const MAX = '999999999999999';

/** The dashboard's refusal texts, reworded for a moderator. */
const REFUSALS: Record<string, string> = {
  'invalid package': 'The dashboard has no package with that name.',
  'coins must be number': 'The dashboard refused the amount: it must be a number.',
  'too small or big coins': `The dashboard refused the amount: coins must be between 0 and ${MAX} (at least 1 when adding).`,
  'missing variables': 'Give at least one of ram, disk, cpu or servers.',
  'ram size': `The RAM value is out of range (0–${MAX}).`,
  'disk size': `The disk value is out of range (0–${MAX}).`,
  'cpu size': `The CPU value is out of range (0–${MAX}).`,
  'server size': `The servers value is out of range (0–${MAX}).`,
  'limit must be between 1 and 100': 'The activity limit must be between 1 and 100.',
  'missing body': 'The dashboard received no request body — this is a bug in the bot.',
  'body must be an object': 'The dashboard received a malformed request body — this is a bug in the bot.',
  'body cannot be an array': 'The dashboard received a malformed request body — this is a bug in the bot.',
};

const UPSTREAM_MESSAGES: Record<string, string> = {
  'Failed to fetch user data': "The dashboard could not fetch the user's panel account from Pterodactyl.",
  'Failed to fetch servers': "The dashboard could not fetch the user's servers from Pterodactyl.",
  'Failed to fetch server details':
    "The dashboard could not fetch the user's server details from Pterodactyl.",
  'Log file not found': 'The dashboard has no activity log file to read.',
  'Failed to read log file': 'The dashboard could not read its activity log file.',
};

const UNKNOWN_OUTCOME =
  ' The change may or may not have been applied — check the account before trying again.';

/** The dashboard's own words, quoted so they cannot format the message. */
function quote(text: string): string {
  return `"${plain(text, 300)}"`;
}

function unknownOutcome(error: HeliactylError): string {
  return error.mayHaveReachedServer && error.method !== 'GET' ? UNKNOWN_OUTCOME : '';
}

/**
 * One clear sentence (two for an uncertain write) for the moderator who ran
 * the command. Never includes the API key: errors never carry it.
 */
function describeKnownError(error: HeliactylError): string {
  const upstream = error.upstreamMessage;
  switch (error.kind) {
    case 'api_disabled':
      return "The dashboard's API is disabled (api.client.api.enabled in its config.toml).";
    case 'unauthorized':
      return "The dashboard rejected the bot's API key — the bot is misconfigured; ask the operator to check HELIACTYL_API_KEY.";
    case 'missing_id':
      return 'The dashboard did not receive a user id — this is a bug in the bot.';
    case 'unknown_user':
      return 'The dashboard has no account with that id.';
    case 'invalid_request':
      if (upstream && REFUSALS[upstream]) return REFUSALS[upstream];
      return upstream
        ? `The dashboard refused the request: ${quote(upstream)}.`
        : `The dashboard refused the request (HTTP ${error.status ?? '?'}).`;
    case 'upstream_error':
      if (upstream && UPSTREAM_MESSAGES[upstream]) return UPSTREAM_MESSAGES[upstream] + unknownOutcome(error);
      if (error.status === 404)
        return 'The dashboard answered "not found" — its panel may be unreachable, or the URL is wrong.';
      return (
        (upstream
          ? `The dashboard reported an error: ${quote(upstream)}.`
          : `The dashboard failed (HTTP ${error.status ?? '?'}).`) + unknownOutcome(error)
      );
    case 'panel_unavailable':
      return (
        "The dashboard could not load this user's panel account (Pterodactyl)" +
        (upstream ? `; it said: ${quote(upstream)}` : '.')
      );
    case 'rate_limited':
      return `The dashboard is rate-limiting the bot; try again in ${formatDuration(error.retryAfterMs ?? 60_000, 'up')}.`;
    case 'malformed':
      return 'The dashboard sent an answer the bot could not read.' + unknownOutcome(error);
    case 'timeout':
      return (
        `The dashboard did not answer within ${formatDuration(error.timeoutMs ?? 0, 'up')}.` +
        unknownOutcome(error)
      );
    case 'network':
      return error.mayHaveReachedServer
        ? 'The connection to the dashboard broke before it answered.' + unknownOutcome(error)
        : 'The bot could not connect to the dashboard.';
  }
}

/**
 * A clear, specific sentence for the moderator in Discord, e.g. "The
 * dashboard is rate-limiting the bot; try again in 3 min." Anything that is
 * not a HeliactylError gets a generic sentence.
 */
export function describeHeliactylError(error: unknown): string {
  if (!(error instanceof HeliactylError)) return 'Something went wrong while talking to the dashboard.';
  return describeKnownError(error);
}
