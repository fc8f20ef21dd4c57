/* eslint-disable no-control-regex -- console output is full of escape sequences */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DESCRIPTION_LIMIT,
  EMBED_LIMIT,
  FENCE_CLOSE,
  FENCE_OPEN,
  fitTail,
  mentionFree,
  renderConsoleEmbed,
  shortenLine,
} from '../../src/console/render.js';
import { embedCharacters } from '../fakes/discord/message-limits.js';

const E = '\u001b';
const lines = (count: number, width = 50) =>
  Array.from({ length: count }, (_, i) => `${String(i).padStart(6, '0')} ${'x'.repeat(width - 7)}`);

function block(description: string | undefined): string[] {
  assert.ok(description?.startsWith(FENCE_OPEN) && description.endsWith(FENCE_CLOSE), description);
  return description!.slice(FENCE_OPEN.length, -FENCE_CLOSE.length).split('\n');
}

const base = {
  title: 'Console · Rust (#101)',
  colour: 1,
  placeholder: 'waiting',
  fields: [],
  footer: '● Live',
};

describe('console rendering', () => {
  test('fitTail keeps the newest whole lines that fit', () => {
    const all = ['aaaa', 'bbbb', 'cccc', 'dddd'];
    assert.deepEqual(fitTail(all, 9), { text: 'cccc\ndddd', count: 2, truncated: false });
    assert.deepEqual(fitTail(all, 14), { text: 'bbbb\ncccc\ndddd', count: 3, truncated: false });
    assert.deepEqual(fitTail(all, 8), { text: 'dddd', count: 1, truncated: false });
    assert.equal(fitTail([], 100).count, 0);
  });

  test('a newest line longer than the budget is shortened, never split inside an escape', () => {
    const long = `${E}[31m${'r'.repeat(100)}${E}[0m`;
    const cut = shortenLine(long, 30);
    assert.ok(cut.length <= 30, String(cut.length));
    assert.ok(cut.endsWith(`…${E}[0m`), JSON.stringify(cut));
    assert.ok(!/\u001b\[[0-9;]*$/.test(cut.replace(/…\u001b\[0m$/, '')), 'no dangling escape');
    const escapeAtCut = shortenLine(`abcdefgh${E}[1;31mtail`, 14);
    assert.ok(
      !escapeAtCut.includes(`${E}[1`) || escapeAtCut.includes(`${E}[1;31m`),
      JSON.stringify(escapeAtCut),
    );
    const emoji = shortenLine('😀'.repeat(20), 10);
    assert.ok(!/[\ud800-\udbff]…/.test(emoji), 'no lone high surrogate');
  });

  test('the description holds as many whole lines as fit in 4096 characters with the fences', () => {
    const all = lines(200);
    const embed = renderConsoleEmbed({ ...base, lines: all });
    assert.ok(embed.description!.length <= DESCRIPTION_LIMIT);
    const shown = block(embed.description);
    assert.deepEqual(shown, all.slice(-shown.length), 'a contiguous tail ending with the newest line');
    // One more line would not have fitted.
    const oneMore = all.slice(-(shown.length + 1)).join('\n').length + FENCE_OPEN.length + FENCE_CLOSE.length;
    assert.ok(oneMore > DESCRIPTION_LIMIT, `${oneMore}`);
  });

  test('title, fields and footer take their share of the 6000-character embed', () => {
    const fields = Array.from({ length: 3 }, (_, i) => ({ name: `F${i}`, value: 'v'.repeat(900) }));
    const embed = renderConsoleEmbed({ ...base, lines: lines(300), fields, footer: 'f'.repeat(400) });
    assert.ok(embedCharacters(embed) <= EMBED_LIMIT, String(embedCharacters(embed)));
    const shown = block(embed.description);
    const oneMore =
      lines(300)
        .slice(-(shown.length + 1))
        .join('\n').length + 12;
    assert.ok(embedCharacters(embed) - embed.description!.length + oneMore > EMBED_LIMIT, 'as much as fits');
  });

  test('no output yet shows the placeholder instead of an empty block', () => {
    assert.equal(renderConsoleEmbed({ ...base, lines: [] }).description, 'waiting');
    assert.equal(renderConsoleEmbed({ ...base, lines: [''] }).description, `${FENCE_OPEN} ${FENCE_CLOSE}`);
  });

  test('mentions in any text of the embed are neutralised; mentionFree checks them all', () => {
    const embed = renderConsoleEmbed({
      ...base,
      title: 'Console · @everyone',
      lines: ['safe'],
      fields: [{ name: '<@123>', value: '@here' }],
      footer: '<@&55>',
    });
    assert.equal(mentionFree(embed), true, JSON.stringify(embed));
    assert.equal(mentionFree({ description: 'hi @everyone' }), false);
    assert.equal(mentionFree({ fields: [{ name: 'x', value: '<@!1234>' }] }), false);
  });
});
