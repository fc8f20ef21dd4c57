import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, REDACTED } from '../../src/logger.js';
import { captureLogs as capture } from '../helpers/log-capture.js';

const USER_KEY = `ah_${'Ab3'.repeat(17)}x`;
const ADMIN_KEY = 'heliactyl-admin-key-6f1d2c';
const BOT_TOKEN = `MTIzNDU2Nzg5MDEyMzQ1Njc4.${'G'.repeat(6)}.${'x'.repeat(38)}`;

test('secrets never reach the log output, by field name or inside text', () => {
  const out = capture();
  const logger = createLogger({ level: 'debug', secrets: [ADMIN_KEY, BOT_TOKEN], destination: out.stream });

  logger.info(
    {
      request: {
        method: 'GET',
        path: '/api/v3/userinfo',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, accept: 'application/json' },
      },
      config: { DISCORD_TOKEN: BOT_TOKEN, HELIACTYL_API_KEY: ADMIN_KEY },
      apiKey: USER_KEY,
      token: 'interaction-token-value',
    },
    'upstream request',
  );
  logger.error({ err: new Error(`request failed with key ${USER_KEY} and Bearer ${ADMIN_KEY}`) }, 'failed');
  logger.warn(`message text mentioning ${ADMIN_KEY} and ${BOT_TOKEN}`);
  logger.debug(
    { url: '/api/v10/interactions/123456789012345678/aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4/callback' },
    'rest',
  );

  const text = out.text();
  for (const secret of [
    USER_KEY,
    ADMIN_KEY,
    BOT_TOKEN,
    'interaction-token-value',
    'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4',
  ]) {
    assert.ok(!text.includes(secret), `log output contains a secret: ${secret.slice(0, 8)}…`);
  }

  const [request, failure, warning, rest] = out.lines();
  // The structure survives: only the secret values are replaced.
  const headers = (request?.request as { headers: Record<string, string> }).headers;
  assert.equal(headers.accept, 'application/json');
  assert.equal(headers.authorization, REDACTED);
  assert.equal(request?.apiKey, REDACTED);
  assert.equal(
    (failure?.err as { message: string }).message,
    `request failed with key ${REDACTED} and Bearer ${REDACTED}`,
  );
  assert.match(String(warning?.msg), /message text mentioning \[redacted\] and \[redacted\]/);
  assert.equal(rest?.url, `/api/v10/interactions/123456789012345678/${REDACTED}/callback`);
});

test('structured fields are kept as JSON fields', () => {
  const out = capture();
  const logger = createLogger({ level: 'info', destination: out.stream });
  logger.child({ command: 'panel status', userId: '1', guildId: '2' }).info({ errorId: 'abcd1234' }, 'hello');
  const [line] = out.lines();
  assert.equal(line?.command, 'panel status');
  assert.equal(line?.userId, '1');
  assert.equal(line?.guildId, '2');
  assert.equal(line?.errorId, 'abcd1234');
  assert.equal(line?.msg, 'hello');
});

test("a child logger's bindings and deeply nested secret fields are scrubbed too", () => {
  const out = capture();
  const logger = createLogger({ level: 'info', secrets: [ADMIN_KEY], destination: out.stream });
  logger
    .child({ userId: '1' })
    .child({ apiKey: USER_KEY, note: `uses ${ADMIN_KEY}` })
    .info({ a: { b: { c: { token: 'deep-token-value', kept: 'visible' } } } }, 'nested');
  const text = out.text();
  for (const secret of [USER_KEY, ADMIN_KEY, 'deep-token-value'])
    assert.ok(!text.includes(secret), `log output contains a secret: ${secret.slice(0, 8)}…`);
  const [line] = out.lines();
  assert.equal(line?.userId, '1');
  assert.equal(line?.apiKey, REDACTED);
  assert.equal(line?.note, `uses ${REDACTED}`);
  const deep = (line?.a as { b: { c: Record<string, string> } }).b.c;
  assert.deepEqual(deep, { token: REDACTED, kept: 'visible' });
});
