import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Transcript,
  TRANSCRIPT_LINE_MAX,
  TRANSCRIPT_MAX_BYTES,
  TRANSCRIPT_MAX_LINES,
} from '../../src/console/transcript.js';
import { LineRing } from '../../src/console/line-ring.js';

const text = (t: Transcript) => t.toBuffer().toString('utf8');

describe('console transcript', () => {
  test('keeps every line, in order, across compressed chunks', () => {
    const t = new Transcript({ chunkBytes: 100 });
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} é ✓`);
    for (const line of lines) t.append(line);
    assert.equal(text(t), `${lines.join('\n')}\n`);
    assert.equal(t.received, 500);
    assert.equal(t.dropped, 0);
  });

  test('the line bound drops the oldest lines', () => {
    const t = new Transcript({ maxLines: 100, chunkBytes: 64 });
    for (let i = 0; i < 1000; i++) t.append(`L${i}`);
    const kept = text(t).trimEnd().split('\n');
    assert.ok(kept.length <= 100 && kept.length >= 90, String(kept.length));
    assert.equal(kept.at(-1), 'L999');
    assert.equal(kept[0], `L${1000 - kept.length}`, 'a contiguous tail');
    assert.equal(t.dropped + t.keptLines, 1000);
  });

  test('the byte bound drops the oldest lines', () => {
    const t = new Transcript({ maxBytes: 10_000 });
    for (let i = 0; i < 2000; i++) t.append(`${String(i).padStart(5, '0')} ${'x'.repeat(40)}`);
    const buffer = t.toBuffer();
    assert.ok(buffer.length <= 10_000, String(buffer.length));
    assert.ok(buffer.length >= 7_500, String(buffer.length));
    assert.ok(
      buffer
        .toString()
        .trimEnd()
        .endsWith(`01999 ${'x'.repeat(40)}`),
    );
  });

  test('the defaults are the stated bound, and very long lines are cut', () => {
    assert.equal(TRANSCRIPT_MAX_LINES, 20_000);
    assert.equal(TRANSCRIPT_MAX_BYTES, 2 * 1024 * 1024);
    const t = new Transcript();
    for (let i = 0; i < 30_000; i++) t.append(`${i}`);
    assert.ok(t.keptLines <= 20_000);
    t.append('y'.repeat(TRANSCRIPT_LINE_MAX * 2));
    assert.equal(text(t).trimEnd().split('\n').at(-1)!.length, TRANSCRIPT_LINE_MAX + 1);
  });

  test('memory holds the compressed form, far below the text', () => {
    const t = new Transcript();
    for (let i = 0; i < 20_000; i++)
      t.append(`[12:00:${i % 60} INFO]: Player${i % 50} issued server command: /home`);
    assert.ok(t.memoryBytes < t.keptBytes / 4, `${t.memoryBytes} of ${t.keptBytes}`);
  });

  test('the display ring keeps a bounded, contiguous tail', () => {
    const ring = new LineRing(10, 1000);
    for (let i = 0; i < 1000; i++) ring.push(`r${i}`);
    assert.ok(ring.lines.length >= 10 && ring.lines.length <= 12, `${ring.lines.length} lines kept`);
    assert.equal(ring.lines.at(-1), 'r999');
    const first = Number(ring.lines[0]!.slice(1));
    assert.deepEqual(
      ring.lines,
      Array.from({ length: ring.lines.length }, (_, i) => `r${first + i}`),
    );
  });
});
