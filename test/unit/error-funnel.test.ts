import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiscordAPIError, type Interaction } from 'discord.js';
import { createLogger } from '../../src/logger.js';
import { replyWithError } from '../../src/bot/error-funnel.js';
import { UserError } from '../../src/errors.js';
import { captureLogs } from '../helpers/log-capture.js';

/** The parts of a discord.js interaction the funnel touches, recording what it sends. */
function fakeInteraction(state: { deferred?: boolean; replied?: boolean; failWith?: unknown } = {}) {
  const sent: Array<{
    via: string;
    body: { embeds: Array<{ title: string; description: string }>; flags?: number };
  }> = [];
  const record = (via: string) => async (body: never) => {
    if (state.failWith) throw state.failWith;
    sent.push({ via, body });
  };
  const interaction = {
    deferred: state.deferred ?? false,
    replied: state.replied ?? false,
    ephemeral: state.deferred ? true : null,
    isRepliable: () => true,
    isAutocomplete: () => false,
    isButton: () => false,
    reply: record('reply'),
    editReply: record('editReply'),
    followUp: record('followUp'),
  };
  return { interaction: interaction as unknown as Interaction, sent };
}

function capturedLogger() {
  const out = captureLogs();
  return { logger: createLogger({ level: 'debug', destination: out.stream }), lines: out.lines };
}

test('an unexpected error is logged with an id and answered generically with that id', async () => {
  const { interaction, sent } = fakeInteraction();
  const { logger, lines } = capturedLogger();
  await replyWithError(
    interaction,
    new TypeError('Cannot read properties of undefined (reading "x")'),
    logger,
  );
  const logged = lines().find((l) => l.msg === 'Unhandled error in interaction');
  assert.match(String(logged?.errorId), /^[0-9a-f]{8}$/);
  assert.equal(sent.length, 1);
  assert.equal(sent[0]?.via, 'reply');
  assert.equal(sent[0]?.body.flags, 64, 'ephemeral');
  const embed = sent[0]!.body.embeds[0]!;
  assert.equal(embed.title, 'Unexpected error');
  assert.ok(embed.description.includes(String(logged?.errorId)));
  assert.ok(!embed.description.includes('Cannot read properties'), 'internals are not shown');
});

test('a UserError is shown as written; a deferred interaction gets its reply edited', async () => {
  const { interaction, sent } = fakeInteraction({ deferred: true });
  const { logger } = capturedLogger();
  await replyWithError(
    interaction,
    new UserError('That path leaves the server folder.', 'Invalid path'),
    logger,
  );
  assert.equal(sent[0]?.via, 'editReply');
  assert.deepEqual(
    { title: sent[0]?.body.embeds[0]?.title, description: sent[0]?.body.embeds[0]?.description },
    { title: 'Invalid path', description: 'That path leaves the server folder.' },
  );
});

test('an already answered interaction gets an ephemeral follow-up', async () => {
  const { interaction, sent } = fakeInteraction({ replied: true });
  const { logger } = capturedLogger();
  await replyWithError(interaction, new UserError('No.'), logger);
  assert.equal(sent[0]?.via, 'followUp');
  assert.equal(sent[0]?.body.flags, 64);
});

const unknownInteraction = new DiscordAPIError(
  { code: 10062, message: 'Unknown interaction' },
  10062,
  404,
  'POST',
  '/interactions/1/x/callback',
  { body: undefined, files: undefined },
);

test('harmless Discord errors are logged as warnings and never thrown, even while replying', async () => {
  const { logger, lines } = capturedLogger();
  const first = fakeInteraction();
  await replyWithError(first.interaction, unknownInteraction, logger);
  assert.equal(first.sent.length, 0, 'no reply to an interaction Discord forgot');
  assert.equal(lines().at(-1)?.level, 40);

  const second = fakeInteraction({ failWith: unknownInteraction });
  await assert.doesNotReject(replyWithError(second.interaction, new UserError('x'), logger));
  assert.equal(lines().at(-1)?.msg, 'Could not deliver the error reply');
});
