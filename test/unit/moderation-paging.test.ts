import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chunkBySize,
  clampPage,
  decodePageId,
  encodePageId,
  pagingRow,
} from '../../src/moderation/paging.js';
import { decodeCustomId } from '../../src/bot/custom-id.js';

test('chunkBySize keeps order and respects both limits', () => {
  const items = [3, 3, 3, 3, 3];
  assert.deepEqual(
    chunkBySize(items, (n) => n, { maxChars: 7, maxItems: 10, separator: 1 }),
    [[3, 3], [3, 3], [3]],
  );
  assert.deepEqual(
    chunkBySize(items, (n) => n, { maxChars: 100, maxItems: 2 }),
    [[3, 3], [3, 3], [3]],
  );
  assert.deepEqual(
    chunkBySize([50, 1], (n) => n, { maxChars: 10, maxItems: 5 }),
    [[50], [1]],
  );
  assert.deepEqual(
    chunkBySize([], (n: number) => n, { maxChars: 10, maxItems: 5 }),
    [[]],
  );
});

test('clampPage keeps the page in range', () => {
  assert.equal(clampPage(5, 3), 2);
  assert.equal(clampPage(-1, 3), 0);
  assert.equal(clampPage(Number.NaN, 3), 0);
  assert.equal(clampPage(1, 0), 0);
});

test('page ids are name:key:page — no list, user or target rides in the button', () => {
  const id = encodePageId('user-activity-page', 'AbCdEfGhIjKl', 12);
  assert.equal(id, 'user-activity-page:AbCdEfGhIjKl:12');
  const { name, state } = decodeCustomId(id);
  assert.equal(name, 'user-activity-page');
  assert.deepEqual(decodePageId(state), { key: 'AbCdEfGhIjKl', page: 12 });
  // The old packed form (view:page:key:invoker:kind:target) is not a page id.
  assert.equal(decodePageId(['a15', '1', 'k', '190000000000000001', 'u', '2']), null);
  assert.equal(decodePageId(['k', 'x']), null);
  assert.equal(decodePageId(['k']), null);
});

test('paging row: none for one page; Previous disabled first, Next disabled last', () => {
  assert.deepEqual(pagingRow('p', 'k', 0, 1), []);
  const first = pagingRow('p', 'k', 0, 3)[0]!.components;
  assert.deepEqual(
    first.map((b) => [b.label, b.disabled]),
    [
      ['Previous', true],
      ['Next', false],
    ],
  );
  assert.match((first[1] as { custom_id: string }).custom_id, /^p:k:1$/);
  const last = pagingRow('p', 'k', 2, 3)[0]!.components;
  assert.deepEqual(
    last.map((b) => [b.label, b.disabled]),
    [
      ['Previous', false],
      ['Next', true],
    ],
  );
});
