/* eslint-disable no-control-regex -- console output is made of escape sequences */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GameLog } from '../fakes/sandbox/game-log.js';

/** The demo's game servers print plausible, coloured console output. */
const clock = () => new Date('2026-11-30T14:02:11Z');
const sequence = (values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

test('ordinary lines are timestamped, coloured server log lines', () => {
  const log = new GameLog(sequence([0.3, 0.1, 0.2, 0.5, 0.9, 0.7, 0.05]), clock);
  const lines = Array.from({ length: 20 }, () => log.next());
  for (const line of lines) {
    assert.match(line, /^\u001b\[90m\[14:02:11\]\u001b\[0m \u001b\[3[23]m\[Server thread\/(INFO|WARN)\]/);
  }
  assert.ok(
    lines.some((l) => l.includes('\u001b[36m')),
    'chat is coloured',
  );
  assert.ok(new Set(lines).size > 3, 'the lines vary');
});

test('console commands get the answers a server gives; boot ends with Done', () => {
  const log = new GameLog(() => 0, clock);
  assert.match(log.reply('say hello world')[0]!, /\[Server\]\u001b\[0m hello world$/);
  assert.match(log.reply('list')[0]!, /There are 2 of a max of 20 players online: Steve, Alex$/);
  assert.match(log.reply('frobnicate')[0]!, /Unknown or incomplete command/);
  assert.match(log.boot().at(-1)!, /Done \(3\.214s\)! For help, type "help"/);
});
