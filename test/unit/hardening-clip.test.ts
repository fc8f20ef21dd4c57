import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiscordAPIError } from 'discord.js';
import { clipLine, discordDate } from '../../src/text.js';
import { sanitizeUpstreamMessage } from '../../src/atomichost/errors.js';
import { createLogger } from '../../src/logger.js';
import { captureLogs } from '../helpers/log-capture.js';

/** Issue 8 (hardening), items 5 and 6, on the pure parts. */

test('issue8 item 5: upstream strings are cut to what can be shown before markdown escaping', () => {
  // 20 KB that is not a date: it used to go whole through escapeMarkdown (seconds) into a field.
  const hostile = '*_~`|>'.repeat(20_000 / 6);
  const shown = discordDate(hostile);
  assert.ok(shown.length <= 200, `cut to a field-sized text (${shown.length} chars)`);
  assert.ok(shown.startsWith('\\*\\_'), 'still escaped');
  assert.equal(discordDate('2026-01-02T03:04:05Z', 'D'), '<t:1767323045:D>');
  assert.equal(clipLine(`a\n${'b'.repeat(50_000)}`, 10), 'a bbbbbbb…');
  const key = `ah_${'k'.repeat(52)}`;
  const message = sanitizeUpstreamMessage(`${'x'.repeat(280)} ${key} ${'y'.repeat(100_000)}`);
  assert.ok(message.length <= 300);
  assert.ok(!message.includes('kkkkkk'), 'a key at the cut is still redacted');
});

test('issue8 item 6: a Discord API error is logged as method, route, status and code only', () => {
  const out = captureLogs();
  const logger = createLogger({ level: 'info', destination: out.stream });
  const planted = 'rcon.password=Unit-Planted-Secret-91ac';
  const error = new DiscordAPIError(
    { code: 50035, message: 'Invalid Form Body', errors: {} },
    50035,
    400,
    'PATCH',
    'https://discord.com/api/v10/webhooks/123456789012345678/aW50ZXJhY3Rpb24tdG9rZW4tdmFsdWUtbG9uZw/messages/%40original?with_components=true',
    { body: { embeds: [{ description: planted }] }, files: [] },
  );
  logger.error({ err: error }, 'Unhandled error in interaction');
  const text = out.text();
  assert.ok(!text.includes('Unit-Planted-Secret'), 'the reply body is not in the log');
  const line = JSON.parse(text) as { err: unknown };
  assert.deepEqual(line.err, {
    type: 'DiscordAPIError[50035]',
    method: 'PATCH',
    route: '/api/v10/webhooks/123456789012345678/[redacted]/messages/%40original',
    status: 400,
    code: 50035,
  });
});
