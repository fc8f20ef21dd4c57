import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clipList,
  codeBlock,
  discordDate,
  discordTime,
  formatBytes,
  formatDuration,
  plain,
} from '../../src/text.js';

/** The one text toolkit (src/text.ts): every reply formats through these. */

test('one duration formatter: elapsed times round down, waits round up', () => {
  assert.equal(formatDuration(42_900), '42 s');
  assert.equal(formatDuration(93_784_000), '1 d 2 h 3 min');
  assert.equal(formatDuration(119_000), '1 min');
  assert.equal(formatDuration(119_000, 'up'), '2 min');
  assert.equal(formatDuration(1, 'up'), '1 s', 'a wait is never "0 s"');
  assert.equal(formatDuration(65 * 60_000, 'up'), '1 h 5 min');
  assert.equal(formatDuration(-1), 'unknown');
});

test('one byte formatter', () => {
  assert.equal(formatBytes(12), '12 B');
  assert.equal(formatBytes(1234), '1.21 KiB');
  assert.equal(formatBytes(1_073_741_824), '1.00 GiB');
});

test('one timestamp helper: discord.js time() markup; upstream date strings go through it', () => {
  const date = new Date(1_790_000_000_000);
  assert.equal(discordTime(date), '<t:1790000000:F>');
  assert.equal(discordTime(date, 'R'), '<t:1790000000:R>');
  assert.equal(discordDate(date.toISOString(), 'D'), '<t:1790000000:D>');
  assert.equal(discordDate('[soon](https://evil.example)'), '\\[soon\\](https://evil.example)');
  assert.equal(discordDate(null), '—');
});

test('one list clipper: the lines that fit, then "…and N more."', () => {
  const lines = ['aaaa', 'bbbb', 'cccc', 'dddd'];
  assert.deepEqual(clipList(lines, 100), lines);
  assert.deepEqual(clipList(lines, 10), ['aaaa', 'bbbb', '…and 2 more.']);
  assert.deepEqual(clipList([], 10), []);
});

test('one plain and one code block escaper', () => {
  assert.equal(plain('**x** [a](b)'), '\\*\\*x\\*\\* \\[a\\](b)');
  assert.equal(codeBlock('a```b', 'yaml'), '```yaml\na`\u200b`\u200b`b\n```');
});
