import {
  MAX_AMOUNT,
  ZERO_RESOURCES,
  type FakeHeliactylUser,
  type HeliactylState,
  type PanelState,
  type PterodactylServer,
  type Resources,
} from './state.js';

/**
 * The dashboard's `/api` routes after auth (its app/modules/api.js). Every
 * outcome here is HTTP 200, as the real dashboard answers; a Pterodactyl
 * failure on userinfo escapes that as a bare text sentence, or no answer.
 */

/** Applies to every account whose own `panel` state is 'ok'. */
export type PterodactylFailure = 'none' | Exclude<PanelState, 'ok'>;
export type LogFileState = 'ok' | 'missing' | 'unreadable';

export interface RouteContext {
  state: HeliactylState;
  query: URLSearchParams;
  /**
   * What the body parsers left: the parsed JSON, the raw text of a
   * `text/plain` body, or `{}` when no parser applied.
   */
  body: unknown;
  pterodactylFailure: PterodactylFailure;
  logFile: LogFileState;
}

export type RouteOutcome =
  { kind: 'json'; body: unknown } | { kind: 'text'; text: string } | { kind: 'hang' };

type Handler = (ctx: RouteContext) => RouteOutcome;

const reply = (body: unknown): RouteOutcome => ({ kind: 'json', body });
const status = (text: string): RouteOutcome => reply({ status: text });
const failure = (message: string): RouteOutcome => reply({ status: 'error', message });
const HANG: RouteOutcome = { kind: 'hang' };

/** What userinfo sends (`res.send(string)`, so text/html) when the panel account is missing. */
export const PANEL_ACCOUNT_MISSING_TEXT =
  'An error has occurred while attempting to update your account information and server list.';

type Lookup = { user: FakeHeliactylUser } | { outcome: RouteOutcome };

/** GET routes: `?id=` must be present and name a known user. */
function userFromQuery(ctx: RouteContext): Lookup {
  const id = ctx.query.get('id');
  if (!id) return { outcome: status('missing id') };
  const user = ctx.state.users.get(id);
  return user ? { user } : { outcome: status('invalid id') };
}

/** ban, unban, setcoins, addcoins: strict body checks, `id must be a string` when absent. */
function userFromStrictBody(ctx: RouteContext): Lookup & { body?: Record<string, unknown> } {
  const body = ctx.body;
  if (typeof body !== 'object' || body === null) return { outcome: status('body must be an object') };
  if (Array.isArray(body)) return { outcome: status('body cannot be an array') };
  const record = body as Record<string, unknown>;
  if (typeof record.id !== 'string') return { outcome: status('id must be a string') };
  const user = ctx.state.users.get(record.id);
  return user ? { user, body: record } : { outcome: status('invalid id') };
}

/**
 * setplan, setresources, renewal bypass: `if (!req.body)` (only an empty
 * text/plain body is falsy), then `missing id` unless `id` is a string.
 */
function userFromLooseBody(ctx: RouteContext): Lookup & { body?: Record<string, unknown> } {
  if (!ctx.body) return { outcome: status('missing body') };
  const record = ctx.body as Record<string, unknown>;
  if (typeof record.id !== 'string') return { outcome: status('missing id') };
  const user = ctx.state.users.get(record.id);
  return user ? { user, body: record } : { outcome: status('invalid id') };
}

function panelState(ctx: RouteContext, user: FakeHeliactylUser): PanelState {
  return user.panel !== 'ok' || ctx.pterodactylFailure === 'none' ? user.panel : ctx.pterodactylFailure;
}

function userInfo(ctx: RouteContext): RouteOutcome {
  const found = userFromQuery(ctx);
  if ('outcome' in found) return found.outcome;
  const { user } = found;
  const panel = panelState(ctx, user);
  // A panel 404 is caught and answered as text; any other panel failure is an
  // unhandled rejection in the dashboard, so the request never gets an answer.
  if (panel === 'missing') return { kind: 'text', text: PANEL_ACCOUNT_MISSING_TEXT };
  if (panel !== 'ok') return HANG;
  const packageName = user.package ?? 'default';
  const limits = ctx.state.packages.get(packageName) ?? ctx.state.packages.get('default') ?? ZERO_RESOURCES;
  // Keys in the dashboard's order; it only names a package the user was explicitly given.
  return reply({
    status: 'success',
    id: user.id,
    package: user.package === undefined ? { ...limits } : { ...limits, name: packageName },
    extra: user.extra ?? ZERO_RESOURCES,
    userinfo: user.pterodactyl,
    // `coins || 0`: a missing record and a stored null both read 0.
    coins: user.coinsEnabled ? (user.coins ?? 0) : null,
    renewalBypass: user.renewalBypass,
  });
}

function ban(ctx: RouteContext): RouteOutcome {
  const found = userFromStrictBody(ctx);
  if ('outcome' in found) return found.outcome;
  // `reason || "No reason provided"`, `expiration || null`: stored as given otherwise.
  found.user.ban = {
    reason: found.body?.reason || 'No reason provided',
    expiration: found.body?.expiration || null,
  };
  return reply({ status: 'success', message: 'User banned successfully' });
}

function unban(ctx: RouteContext): RouteOutcome {
  const found = userFromStrictBody(ctx);
  if ('outcome' in found) return found.outcome;
  found.user.ban = undefined;
  return reply({ status: 'success', message: 'User unbanned successfully' });
}

function userInteractions(ctx: RouteContext): RouteOutcome {
  const found = userFromQuery(ctx);
  if ('outcome' in found) return found.outcome;
  const id = found.user.id;
  // parseInt(...) || 15: '0' and 'abc' fall back to 15, '2.9' becomes 2.
  const limit = Number.parseInt(ctx.query.get('limit') ?? '', 10) || 15;
  if (limit < 1 || limit > 100) return status('limit must be between 1 and 100');
  if (ctx.logFile === 'missing') return failure('Log file not found');
  if (ctx.logFile === 'unreadable') return failure('Failed to read log file');
  // The dashboard reads its log backwards and greps it for the id (a substring
  // match): the newest `limit` matching lines, newest first.
  const interactions = ctx.state.log
    .filter((line) => line.action.includes(id))
    .reverse()
    .slice(0, limit);
  return reply({ status: 'success', userId: id, limit, count: interactions.length, interactions });
}

function checkedCoins(body: Record<string, unknown>, min: number): number | RouteOutcome {
  const coins = body.coins;
  if (typeof coins !== 'number') return status('coins must be number');
  if (coins < min || coins > MAX_AMOUNT) return status('too small or big coins');
  return coins;
}

function setCoins(ctx: RouteContext): RouteOutcome {
  const found = userFromStrictBody(ctx);
  if ('outcome' in found) return found.outcome;
  const coins = checkedCoins(found.body ?? {}, 0);
  if (typeof coins !== 'number') return coins;
  found.user.coins = coins === 0 ? undefined : coins;
  return status('success');
}

function addCoins(ctx: RouteContext): RouteOutcome {
  const found = userFromStrictBody(ctx);
  if ('outcome' in found) return found.outcome;
  const coins = checkedCoins(found.body ?? {}, 1);
  if (typeof coins !== 'number') return coins;
  // `db.set(key, current + coins)`: without a record that is undefined + n = NaN,
  // stored as null, so this grant is lost; the next one computes null + n = n.
  const current = found.user.coins;
  found.user.coins = current === undefined ? null : (current ?? 0) + coins;
  return status('success');
}

function setPlan(ctx: RouteContext): RouteOutcome {
  const found = userFromLooseBody(ctx);
  if ('outcome' in found) return found.outcome;
  const pkg = found.body?.package;
  if (typeof pkg !== 'string') {
    found.user.package = undefined;
    return status('success');
  }
  if (!ctx.state.packages.has(pkg)) return status('invalid package');
  found.user.package = pkg;
  return status('success');
}

const RESOURCE_ERRORS: Record<keyof Resources, string> = {
  ram: 'ram size',
  disk: 'disk size',
  cpu: 'cpu size',
  servers: 'server size',
};

function setResources(ctx: RouteContext): RouteOutcome {
  const found = userFromLooseBody(ctx);
  if ('outcome' in found) return found.outcome;
  const body = found.body ?? {};
  const fields = Object.keys(RESOURCE_ERRORS) as Array<keyof Resources>;
  if (!fields.some((field) => typeof body[field] === 'number')) return status('missing variables');
  const extra = { ...(found.user.extra ?? ZERO_RESOURCES) };
  for (const field of fields) {
    const value = body[field];
    if (typeof value !== 'number') continue;
    if (value < 0 || value > MAX_AMOUNT) return status(RESOURCE_ERRORS[field]);
    extra[field] = value;
  }
  found.user.extra = fields.every((field) => extra[field] === 0) ? undefined : extra;
  return status('success');
}

function renewalBypass(grant: boolean): Handler {
  return (ctx) => {
    const found = userFromLooseBody(ctx);
    if ('outcome' in found) return found.outcome;
    found.user.renewalBypass = grant;
    return reply({
      status: 'success',
      message: grant ? 'Renewal bypass granted successfully.' : 'Renewal bypass removed successfully.',
    });
  };
}

function serversOf(user: FakeHeliactylUser): PterodactylServer['attributes'][] {
  return user.pterodactyl.attributes.relationships.servers.data.map((server) => server.attributes);
}

/** The server listings catch panel failures: a 404 reads as no user data, anything else as `onError`. */
function panelFailure(ctx: RouteContext, user: FakeHeliactylUser, onError: string): RouteOutcome | undefined {
  const panel = panelState(ctx, user);
  if (panel === 'missing') return failure('Failed to fetch user data');
  if (panel === 'error') return failure(onError);
  if (panel === 'hang') return HANG;
  return undefined;
}

function userServers(ctx: RouteContext): RouteOutcome {
  const found = userFromQuery(ctx);
  if ('outcome' in found) return found.outcome;
  const panel = panelFailure(ctx, found.user, 'Failed to fetch servers');
  if (panel) return panel;
  const servers = serversOf(found.user).map((s) => ({ id: s.id, identifier: s.identifier, name: s.name }));
  return reply({ status: 'success', userId: found.user.id, serverCount: servers.length, servers });
}

function userServerDetails(ctx: RouteContext): RouteOutcome {
  const found = userFromQuery(ctx);
  if ('outcome' in found) return found.outcome;
  const panel = panelFailure(ctx, found.user, 'Failed to fetch server details');
  if (panel) return panel;
  const servers = serversOf(found.user).map((s) => ({
    id: s.id,
    identifier: s.identifier,
    uuid: s.uuid,
    name: s.name,
    description: s.description,
    status: s.status,
    limits: {
      memory: s.limits.memory,
      disk: s.limits.disk,
      cpu: s.limits.cpu,
      swap: s.limits.swap,
      io: s.limits.io,
    },
    featureLimits: { ...s.feature_limits },
    suspended: s.suspended,
    node: s.node,
    allocation: s.allocation,
    egg: s.egg,
  }));
  return reply({ status: 'success', userId: found.user.id, serverCount: servers.length, servers });
}

function apiStatus(): RouteOutcome {
  return reply({ status: true, version: '3.2.1-beta.1', platform_codename: 'Avalanche 2' });
}

/** Keyed by `METHOD /path`; anything else is Express's HTML 404. */
export const ROUTES: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['GET /api', apiStatus],
  ['GET /api/v3/userinfo', userInfo],
  ['POST /api/v3/ban', ban],
  ['POST /api/v3/unban', unban],
  ['GET /api/v3/userinteractions', userInteractions],
  ['POST /api/v3/setcoins', setCoins],
  ['POST /api/v3/addcoins', addCoins],
  ['POST /api/v3/setplan', setPlan],
  ['POST /api/v3/setresources', setResources],
  ['POST /api/v3/give_renewalbypass', renewalBypass(true)],
  ['POST /api/v3/remove_renewalbypass', renewalBypass(false)],
  ['GET /api/v3/userservers', userServers],
  ['GET /api/v3/userserverdetails', userServerDetails],
]);
