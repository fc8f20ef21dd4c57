import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import { AtomicHostError, AtomicHostInputError } from '../../src/atomichost/errors.js';
import { RemotePathError } from '../../src/atomichost/remote-path.js';
import { UserError } from '../../src/errors.js';
import { HeliactylError } from '../../src/heliactyl/errors.js';
import { TransportError } from '../../src/http/upstream.js';
import { isHarmlessDiscordError, presentError, type Presented } from '../../src/presenter/errors.js';
import { KeyRefusedError } from '../../src/user/key-errors.js';
import { VaultError } from '../../src/vault/errors.js';

/**
 * The one error table, one row per kind: what the user reads (title, text)
 * and the level it is logged at. Every place that words an error goes
 * through presentError, so these rows are what every reply says.
 */

const ah = (
  code: string,
  status?: number,
  extra: Partial<ConstructorParameters<typeof AtomicHostError>[0]> = {},
) =>
  new AtomicHostError({
    code,
    method: 'GET',
    path: '/servers/1/files',
    ...(status ? { status } : {}),
    ...extra,
  });
const hl = (
  kind: HeliactylError['kind'],
  extra: Partial<ConstructorParameters<typeof HeliactylError>[0]> = {},
) =>
  new HeliactylError({
    kind,
    method: 'GET',
    path: '/api/v3/userinfo?id=1',
    mayHaveReachedServer: false,
    ...extra,
  });
const discord = (code: number) =>
  new DiscordAPIError({ code, message: 'x' }, code, 403, 'POST', '/interactions/1/t/callback', {
    body: undefined,
    files: undefined,
  });

type Row = [name: string, error: unknown, title: string, text: RegExp, level: Presented['level']];

const AH = 'AtomicHost error';
const rows: Row[] = [
  ['UserError', new UserError('Give a number.', 'Bad amount'), 'Bad amount', /^Give a number\.$/, 'info'],
  ['UserError untitled', new UserError('No.'), 'Cannot do that', /^No\.$/, 'info'],
  [
    'RemotePathError',
    new RemotePathError('Paths cannot contain control characters.'),
    'Invalid path',
    /control characters/,
    'info',
  ],
  [
    'AtomicHostInputError',
    new AtomicHostInputError("That isn't a valid server id."),
    'Cannot do that',
    /valid server id/,
    'info',
  ],
  // One answer for missing_token: not the user's key, which is kept.
  [
    'ah missing_token',
    ah('missing_token', 401),
    AH,
    /without your API key \(missing_token\).*not with your key, which is kept/,
    'warn',
  ],
  ['ah invalid_key', ah('invalid_key', 401), AH, /refused this API key.*`\/apikey set`/, 'warn'],
  ['ah account_banned', ah('account_banned', 403), AH, /banned or suspended/, 'warn'],
  [
    'ah insufficient_service_permission',
    ah('insufficient_service_permission', 403),
    AH,
    /don't have the files permission/,
    'warn',
  ],
  ['ah feature_unavailable', ah('feature_unavailable', 403), AH, /package doesn't include files/, 'warn'],
  ['ah service_inactive', ah('service_inactive', 403), AH, /isn't active/, 'warn'],
  [
    'ah not_found',
    ah('not_found', 404, { upstreamMessage: 'File not found.' }),
    AH,
    /^AtomicHost says: File not found\.$/,
    'warn',
  ],
  ['ah validation_failed', ah('validation_failed', 422), AH, /refused the request as invalid/, 'warn'],
  [
    'ah rate_limited',
    ah('rate_limited', 429, { retryAfterMs: 3000 }),
    AH,
    /too fast — try again in 3 seconds/,
    'warn',
  ],
  [
    'ah daily_credit_limit_reached',
    ah('daily_credit_limit_reached', 429, { resetAt: new Date(1_790_000_000_000) }),
    AH,
    /reset <t:1790000000:t> \(<t:1790000000:R>\)/,
    'warn',
  ],
  ['ah too_many_streams', ah('too_many_streams', 429), AH, /3 console streams open/, 'warn'],
  ['ah backend_unavailable', ah('backend_unavailable', 502), AH, /backend is unreachable.*refunded/, 'warn'],
  ['ah malformed_response', ah('malformed_response'), AH, /couldn't read/, 'warn'],
  ['ah timeout', ah('timeout'), AH, /didn't answer in time\. Try again/, 'warn'],
  ['ah network', ah('network'), AH, /couldn't reach AtomicHost/, 'warn'],
  ['ah aborted', ah('aborted'), AH, /was cancelled/, 'warn'],
  ['ah too_large', ah('too_large'), AH, /too large to show \(over 1 MiB\)/, 'warn'],
  ['ah http_error 5xx', ah('http_error', 500), AH, /internal error \(HTTP 500\)/, 'warn'],
  ['ah http_error 4xx', ah('http_error', 418), AH, /unexpected HTTP 418/, 'warn'],
  ['ah undocumented code', ah('brand_new_code', 400), AH, /refused the request: brand_new_code/, 'warn'],
  [
    'ah write, outcome unknown',
    ah('network', undefined, { method: 'POST', path: '/servers/1/power', mayHaveBeenApplied: true }),
    'Outcome unknown',
    /may or may not have been applied.*check the server's status/,
    'warn',
  ],
  [
    'stored key revoked',
    new KeyRefusedError('invalid_key', true),
    'API key removed',
    /regenerated or revoked.*deleted the copy/,
    'info',
  ],
  [
    'stored key banned',
    new KeyRefusedError('account_banned', true),
    'API key removed',
    /banned or suspended.*deleted the copy/,
    'info',
  ],
  [
    'new key refused',
    new KeyRefusedError('invalid_key', false),
    'Key not accepted',
    /invalid, revoked.*Nothing was stored/,
    'info',
  ],
  [
    'new key banned',
    new KeyRefusedError('account_banned', false),
    'Key not accepted',
    /banned or suspended\. Nothing was stored/,
    'info',
  ],
  ['hl api_disabled', hl('api_disabled', { status: 403 }), 'Dashboard error', /API is disabled/, 'error'],
  [
    'hl unauthorized',
    hl('unauthorized', { status: 401 }),
    'Dashboard error',
    /rejected the bot's API key/,
    'error',
  ],
  ['hl missing_id', hl('missing_id'), 'Dashboard error', /did not receive a user id/, 'warn'],
  ['hl unknown_user', hl('unknown_user'), 'Dashboard error', /no account with that id/, 'warn'],
  [
    'hl invalid_request',
    hl('invalid_request', { upstreamMessage: 'invalid package' }),
    'Dashboard error',
    /no package with that name/,
    'warn',
  ],
  [
    'hl upstream_error',
    hl('upstream_error', { status: 500 }),
    'Dashboard error',
    /failed \(HTTP 500\)/,
    'warn',
  ],
  [
    'hl panel_unavailable',
    hl('panel_unavailable'),
    'Dashboard error',
    /could not load this user's panel account/,
    'warn',
  ],
  [
    'hl rate_limited',
    hl('rate_limited', { retryAfterMs: 180_000 }),
    'Dashboard error',
    /try again in 3 min/,
    'warn',
  ],
  ['hl malformed', hl('malformed'), 'Dashboard error', /could not read/, 'warn'],
  ['hl timeout', hl('timeout', { timeoutMs: 1000 }), 'Dashboard error', /did not answer within 1 s/, 'warn'],
  ['hl network', hl('network'), 'Dashboard error', /could not connect/, 'warn'],
  [
    'hl write, outcome unknown',
    hl('timeout', { method: 'POST', mayHaveReachedServer: true, timeoutMs: 1000 }),
    'Outcome unknown',
    /may or may not have been applied/,
    'warn',
  ],
  [
    'vault unavailable',
    new VaultError('unavailable'),
    'Key store unavailable',
    /key store is unavailable/,
    'error',
  ],
  [
    'vault unreadable',
    new VaultError('unreadable'),
    'Stored key unreadable',
    /set it again with `\/apikey set`/,
    'warn',
  ],
  [
    'transport, not sent',
    new TransportError('network', 'GET', '/x', 'ECONNREFUSED', false),
    'Connection failed',
    /couldn't reach/,
    'warn',
  ],
  [
    'transport, maybe sent',
    new TransportError('timeout', 'POST', '/x', 'headers'),
    'Outcome unknown',
    /may or may not have been applied/,
    'warn',
  ],
  [
    'discord missing permissions',
    discord(RESTJSONErrorCodes.MissingPermissions),
    'Missing permission',
    /lacks a permission/,
    'warn',
  ],
];

for (const [name, error, title, text, level] of rows) {
  test(`error table: ${name}`, () => {
    const presented = presentError(error);
    assert.ok(presented, 'a known kind');
    assert.equal(presented.title, title);
    assert.match(presented.text, text);
    assert.equal(presented.level, level);
  });
}

test('error table: every row reads differently', () => {
  const texts = new Set(rows.map(([, error]) => presentError(error)?.text));
  assert.equal(texts.size, rows.length);
});

test('error table: a late Discord answer is harmless (logged, no reply); a bug is not in the table', () => {
  assert.equal(isHarmlessDiscordError(discord(RESTJSONErrorCodes.UnknownInteraction)), true);
  assert.equal(isHarmlessDiscordError(discord(RESTJSONErrorCodes.MissingPermissions)), false);
  assert.equal(presentError(new TypeError('x is undefined')), undefined);
});
