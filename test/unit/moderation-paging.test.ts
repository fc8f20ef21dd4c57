import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PageCache,
  chunkBySize,
  clampPage,
  decodePageState,
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

test('page ids round-trip, stay within 100 characters, and drop a target too long to carry', () => {
  const base = { view: 'a100', page: 12, key: 'AbCdEfGh', invokerId: '190000000000000001' };
  const short = encodePageId('user-activity-page', { ...base, target: { kind: 'r', id: 'github:12345' } });
  const { name, state } = decodeCustomId(short);
  assert.equal(name, 'user-activity-page');
  assert.deepEqual(decodePageState(state), { ...base, target: { kind: 'r', id: 'github:12345' } });
  const long = encodePageId('user-activity-page', { ...base, target: { kind: 'r', id: 'x'.repeat(128) } });
  assert.ok(long.length <= 100);
  assert.deepEqual(decodePageState(decodeCustomId(long).state), { ...base, target: null });
  assert.equal(decodePageState(['a15', 'x', 'k', '1', 'u', '2']), null);
  assert.equal(decodePageState(['a15']), null);
});

test('paging row: none for one page; Previous disabled first, Next disabled last', () => {
  const state = { view: 'd', key: 'k', invokerId: '1', target: null };
  assert.deepEqual(pagingRow('p', state, 0, 1), []);
  const first = pagingRow('p', state, 0, 3)[0]!.components;
  assert.deepEqual(
    first.map((b) => [b.label, b.disabled]),
    [
      ['Previous', true],
      ['Next', false],
    ],
  );
  assert.match((first[1] as { custom_id: string }).custom_id, /^p:d:1:/);
  const last = pagingRow('p', state, 2, 3)[0]!.components;
  assert.deepEqual(
    last.map((b) => [b.label, b.disabled]),
    [
      ['Previous', false],
      ['Next', true],
    ],
  );
});

test('PageCache expires entries and stays bounded', () => {
  let now = 0;
  const cache = new PageCache<string>(1_000, 2, () => now);
  const a = cache.put('a');
  assert.equal(cache.get(a), 'a');
  now = 1_000;
  assert.equal(cache.get(a), undefined);
  const b = cache.put('b');
  cache.put('c');
  cache.put('d');
  assert.equal(cache.size, 2);
  assert.equal(cache.get(b), undefined, 'oldest evicted');
});
