import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIEmbed } from 'discord.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { BulkProgress } from '../../src/rewards/bulk/progress.js';
import { bulkRender } from '../../src/moderation/bulk-view.js';
import type { BatchCounts, BulkBatch } from '../../src/rewards/bulk/batch.js';
import type { Grant } from '../../src/rewards/ledger.js';

const USERS = Array.from({ length: 10 }, (_, i) => `42000000000000000${i}`);
const BATCH: BulkBatch = { batchId: 'b1', userIds: USERS, coins: 5, reason: 'test', invokerId: '1' };
const OUTLOOK = { remaining: 200, perWindow: 240, windowMs: 600_000, resetInMs: 0 };

/** A batch whose ledger the test settles grant by grant. */
function rig(options: { failShow?: boolean } = {}) {
  const clock = new ManualClock();
  const counts: BatchCounts = { granted: 0, failed: 0, unknown: 0, waiting: USERS.length };
  const listeners = new Set<(grant: Grant) => void>();
  const shown: Array<{ at: number; embed: APIEmbed }> = [];
  const finished: BatchCounts[] = [];
  const progress = new BulkProgress(
    BATCH,
    {
      clock,
      logger: silentLogger,
      read: async () => ({ ...counts }),
      problems: async () => [],
      outlook: () => OUTLOOK,
      render: bulkRender(BATCH),
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      show: async (embed) => {
        if (options.failShow) throw new Error('Unknown Webhook');
        shown.push({ at: clock.now(), embed });
      },
      finished: async (final) => void finished.push(final),
    },
    { intervalMs: 2_000, pollMs: 15_000, editableMs: 14 * 60_000 },
  );
  const settle = (index: number, state: 'granted' | 'failed' | 'unknown' = 'granted'): void => {
    counts.waiting -= 1;
    counts[state] += 1;
    for (const listener of [...listeners]) listener({ key: `bulk:b1:${USERS[index]}`, state } as Grant);
  };
  return { clock, progress, shown, finished, settle, listeners };
}

test('the first progress shows at once; ten grants settling within one interval make one more edit, not ten', async () => {
  const { clock, progress, shown, settle } = rig();
  await progress.start();
  assert.equal(shown.length, 1);
  assert.equal(shown[0]!.embed.title, 'Bulk grant: 0 of 10 done');
  for (let i = 0; i < 9; i++) {
    settle(i);
    await clock.advance(100);
  }
  assert.equal(shown.length, 1, 'nothing before the interval is over');
  await clock.advance(2_000);
  assert.equal(shown.length, 2);
  assert.equal(shown[1]!.at, 2_000, 'exactly one interval after the first edit');
  assert.equal(shown[1]!.embed.title, 'Bulk grant: 9 of 10 done');
  assert.match(
    shown[1]!.embed.description ?? '',
    /ETA: under a minute \(dashboard budget: 200 of 240 requests left/,
  );
});

test('the last grant brings the summary and one report of the end; nothing is edited afterwards', async () => {
  const { clock, progress, shown, finished, settle, listeners } = rig();
  await progress.start();
  for (let i = 0; i < 9; i++) settle(i);
  settle(9, 'unknown');
  await clock.advance(2_000);
  await progress.done;
  assert.equal(shown.at(-1)!.embed.title, 'Bulk grant finished: 9 granted, 0 failed, 1 unknown');
  assert.deepEqual(finished, [{ granted: 9, failed: 0, unknown: 1, waiting: 0 }]);
  assert.equal(listeners.size, 0, 'unsubscribed');
  const edits = shown.length;
  await clock.advance(60_000);
  assert.equal(shown.length, edits);
  assert.equal(clock.pending, 0, 'no timer left behind');
});

test('grants paid by another process (no event here) are found by the poll', async () => {
  const { clock, progress, shown, settle, listeners } = rig();
  await progress.start();
  listeners.clear(); // this process's worker is not the one paying
  settle(0);
  await clock.advance(14_999);
  assert.equal(shown.length, 1);
  await clock.advance(1);
  assert.equal(shown.at(-1)!.embed.title, 'Bulk grant: 1 of 10 done');
});

test('before Discord stops taking edits (15 min) the message says it stops updating; the end is still reported', async () => {
  const { clock, progress, shown, finished, settle } = rig();
  await progress.start();
  await clock.advance(14 * 60_000);
  const last = shown.at(-1)!.embed;
  assert.match(
    last.footer?.text ?? '',
    /This message stops updating here \(Discord allows edits for 15 minutes\)/,
  );
  const edits = shown.length;
  for (let i = 0; i < 10; i++) settle(i);
  await clock.advance(15_000);
  await progress.done;
  assert.equal(shown.length, edits, 'no edit after the token ran out');
  assert.equal(finished.length, 1);
});

test('an edit that fails (token gone) does not stop the batch from being reported', async () => {
  const { clock, progress, finished, settle } = rig({ failShow: true });
  await progress.start();
  for (let i = 0; i < 10; i++) settle(i);
  await clock.advance(2_000);
  await progress.done;
  assert.deepEqual(finished, [{ granted: 10, failed: 0, unknown: 0, waiting: 0 }]);
});
