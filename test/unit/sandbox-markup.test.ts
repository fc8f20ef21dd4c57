import { test } from 'node:test';
import assert from 'node:assert/strict';
import { showMarkup } from '../fakes/sandbox/markup.js';

/** The prompt shows Discord markup the way the Discord client renders it. */
test('timestamps read as dates, mentions as names', () => {
  const names = {
    user: (id: string) => (id === '100000000000000003' ? 'alex' : undefined),
    channel: (id: string) => (id === '42' ? 'audit-log' : undefined),
  };
  const now = Date.parse('2026-11-30T12:00:00Z');
  const seconds = Date.parse('2026-12-30T09:05:00Z') / 1000;
  assert.equal(
    showMarkup(`due <t:${seconds}:D> · <t:${seconds}:F> · <t:${seconds}:R>`, names, now),
    'due Dec 30, 2026 · Dec 30, 2026 09:05 UTC · in 30 days',
  );
  assert.equal(showMarkup(`<t:${now / 1000 - 120}:R>`, names, now), '2 minutes ago');
  assert.equal(
    showMarkup('<@100000000000000003> <@!100000000000000009> in <#42>', names, now),
    '@alex @100000000000000009 in #audit-log',
  );
});
