import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, type E2E } from '../helpers/e2e.js';
import { startProcess, type BotProcess } from '../helpers/bot-process.js';
import { coinWrites, holdSecondAddcoins } from '../helpers/rewards-rig.js';
import { auditPosts, field, invoke, opt, press, question, type Embed } from '../helpers/moderation.js';

const INVOKER = '191000000000000001';
const ANN = '421000000000000001';
const BEN = '421000000000000002';
const CAT = '421000000000000003';
/** A cold start of the bot under tsx on a loaded 2-core machine. */
const STARTUP_MS = 60_000;

let e2e: E2E;
let audit: string;
let restarted: BotProcess | undefined;
let releaseHeld!: () => void;
before(async () => {
  e2e = await startE2E({
    // A grant interrupted while being sent is settled as unknown 3 × this + 5 s after it was sent.
    env: ({ discord }) => ({ AUDIT_CHANNEL_ID: discord.channelId, HTTP_TIMEOUT_MS: '2000' }),
  });
  audit = e2e.discord.channelId;
  for (const id of [ANN, BEN, CAT]) e2e.heliactyl.addUser({ id, coins: 100 });
});
after(async () => {
  releaseHeld();
  if (restarted && restarted.child.exitCode === null) await restarted.stop();
  await e2e.close();
});

const bulkAudits = (): Embed[] =>
  auditPosts(e2e, audit).filter((embed) => embed.title === 'Moderator action: /coins grant');

test('issue12: a bot killed while a bulk grant drains audits the batch once after the restart, with every grant in it; nothing is resent', async () => {
  const interaction = invoke(e2e, {
    path: 'coins grant',
    userId: INVOKER,
    options: [opt.str('users', `${ANN} ${BEN} ${CAT}`), opt.int('amount', 50), opt.str('reason', 'raffle')],
  });
  await question(interaction);
  // The first addcoins goes through; the second reaches the dashboard and never returns; the bot dies meanwhile.
  const reached = holdSecondAddcoins(e2e.heliactyl, new Promise<void>((resolve) => (releaseHeld = resolve)));
  press(e2e, interaction, 'Grant 150 coins', { userId: INVOKER });
  await Promise.race([
    reached,
    e2e.bot.waitForExit(STARTUP_MS).then(() => assert.fail('the bot exited before the second addcoins')),
  ]);
  e2e.bot.child.kill('SIGKILL');
  await e2e.bot.waitForExit();
  assert.equal(bulkAudits().length, 0, 'the batch was not finished: no audit entry yet');

  restarted = startProcess(e2e.env, { cwd: e2e.bot.cwd });
  const resumed = await restarted.waitForLog(
    (line) => line.msg === 'Following a bulk grant again after a restart',
    STARTUP_MS,
  );
  assert.equal(resumed.members, 3);
  await e2e.discord.waitFor(() => bulkAudits().length === 1, STARTUP_MS);
  const entry = bulkAudits()[0]!;
  assert.equal(field(entry, 'Invoker'), `<@${INVOKER}> (\`${INVOKER}\`)`);
  assert.match(field(entry, 'Values'), /members: 3\namount each: 50\ntotal: 150\nreason: raffle/);
  // The worker pays in ledger order; the second addcoins it sent is the one the crash interrupted.
  const sentTo = e2e.heliactyl.requests
    .filter((r) => r.method === 'POST' && r.path.endsWith('/addcoins'))
    .map((r) => (r.body as { id: string }).id);
  assert.deepEqual([...sentTo].sort(), [ANN, BEN, CAT], 'one addcoins each: the interrupted one not resent');
  const interrupted = sentTo[1]!;
  assert.match(
    field(entry, 'Result'),
    new RegExp(`\\n2 granted, 0 failed, 1 unknown \\(<@${interrupted}> unknown\\)\\.$`),
    'the grant paid before the crash and the one paid after it are both in it',
  );
  for (const id of [ANN, BEN, CAT]) assert.deepEqual(coinWrites(e2e.heliactyl, id), ['addcoins 50']);

  // Stopping flushes the automatic grant audit: bulk grants are never in it, so nothing is audited twice.
  assert.equal(await restarted.stop(), 0);
  assert.equal(bulkAudits().length, 1);
  const automatic = auditPosts(e2e, audit).filter((embed) => embed !== entry);
  assert.deepEqual(
    automatic.filter((embed) => /bulk/.test(embed.description ?? '')),
    [],
    'no bulk grant in the automatic audit',
  );
});
