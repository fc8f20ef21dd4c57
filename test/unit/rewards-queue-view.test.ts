import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queuePages, recheckRow } from '../../commands/rewards/queue-view.js';
import type { Grant } from '../../src/rewards/ledger.js';
import type { GrantState } from '../../src/store/schema.js';

const COUNTS = { queued: 0, sending: 0, granted: 0, failed: 0, unknown: 0 };

function grant(n: number, state: GrantState): Grant {
  return {
    id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
    key: `vote:dbl:${n}`,
    userId: `4500000000000000${String(n).padStart(2, '0')}`,
    coins: 10 + n,
    source: 'vote',
    cause: {},
    reason: null,
    fingerprint: null,
    state,
    balanceAfter: null,
    repaired: false,
    detail: state === 'unknown' ? 'addcoins may have reached the dashboard (timeout).' : null,
    createdAt: Date.UTC(2026, 10, 30, 12, 0, n),
    updatedAt: Date.UTC(2026, 10, 30, 12, 0, n),
  };
}

test('grants split into pages of 5 with numbered lines, state, account, amount, source and age; Re-check buttons only for unknown ones', () => {
  const grants = [
    ...[1, 2, 3].map((n) => grant(n, 'unknown')),
    ...[4, 5, 6, 7].map((n) => grant(n, 'queued')),
  ];
  const pages = queuePages({ grants, counts: { ...COUNTS, unknown: 3, queued: 40 }, recentFailed: 0 });
  assert.equal(pages.length, 2);
  assert.equal(pages[0]!.embed.title, 'Grant queue: 7 not granted');
  assert.equal(pages[0]!.embed.footer?.text, 'Page 1 of 2');
  const description = pages[0]!.embed.description ?? '';
  assert.match(description, /^Unknown: \*\*3\*\* · sending: \*\*0\*\* · queued: \*\*40\*\*/);
  assert.match(
    description,
    /\*\*1\.\*\* ⚠️ \*\*unknown\*\* · <@450000000000000001> \(`450000000000000001`\) · 11 coins · vote · created <t:1796040001:R>\n> addcoins may have reached the dashboard \(timeout\)\./,
  );
  assert.match(description, /\*\*5\.\*\* ⏳ \*\*queued\*\*/);
  assert.deepEqual(
    recheckRow(pages[0]!)[0]!.components.map((b) => [b.label, b.custom_id]),
    [1, 2, 3].map((n) => [`Re-check #${n}`, `rewards-recheck:${grant(n, 'unknown').id}`]),
  );
  assert.match(pages[1]!.embed.description ?? '', /\*\*6\.\*\* ⏳ \*\*queued\*\*/);
  assert.deepEqual(recheckRow(pages[1]!), [], 'no unknown grant on page 2: no button row');
});

test('an empty queue says every grant is settled', () => {
  const [page] = queuePages({ grants: [], counts: COUNTS, recentFailed: 0 });
  assert.equal(page!.embed.title, 'Grant queue: empty');
  assert.match(page!.embed.description ?? '', /Every grant is settled\./);
});
