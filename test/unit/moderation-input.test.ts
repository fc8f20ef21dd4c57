import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/errors.js';
import {
  MAX_AMOUNT,
  activityInput,
  banInput,
  coinsAddInput,
  coinsSetInput,
  parseInput,
  planSetInput,
  resourcesInput,
  serversInput,
  targetInput,
} from '../../src/moderation/input.js';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UserError, String(error));
    assert.equal(error.title, 'Invalid input');
    return error.message;
  }
  assert.fail('expected a UserError');
}

test('target: exactly one of user or id', () => {
  assert.deepEqual(parseInput(targetInput, { user: '410000000000000001' }), { user: '410000000000000001' });
  assert.deepEqual(parseInput(targetInput, { id: 'google-1234' }), { id: 'google-1234' });
  assert.match(
    refusal(() => parseInput(targetInput, {})),
    /Say whose account: give `user`.*or `id`/,
  );
  assert.match(
    refusal(() => parseInput(targetInput, { user: '410000000000000001', id: 'x' })),
    /either `user` .* or `id` .*not both/,
  );
});

test('target id: 1–128 printable characters without whitespace', () => {
  assert.ok(parseInput(targetInput, { id: 'a'.repeat(128) }));
  assert.match(
    refusal(() => parseInput(targetInput, { id: 'a'.repeat(129) })),
    /`id` must be at most 128/,
  );
  assert.match(
    refusal(() => parseInput(targetInput, { id: '' })),
    /`id` must not be empty — you sent ` `/,
  );
  assert.match(
    refusal(() => parseInput(targetInput, { id: 'two words' })),
    /`id` must be printable characters without spaces — you sent `two words`/,
  );
  assert.match(
    refusal(() => parseInput(targetInput, { id: 'tab\there' })),
    /without spaces/,
  );
  assert.match(
    refusal(() => parseInput(targetInput, { id: 'nul\u0000' })),
    /without spaces/,
  );
  assert.match(
    refusal(() => parseInput(targetInput, { id: 42 })),
    /`id` must be text — you sent `42`/,
  );
  assert.match(
    refusal(() => parseInput(targetInput, { user: 'abc' })),
    /`user` must be a Discord user/,
  );
});

test('amounts: whole numbers within the spec ranges, whatever the type sent', () => {
  assert.deepEqual(parseInput(coinsAddInput, { amount: 1 }), { amount: 1 });
  assert.deepEqual(parseInput(coinsAddInput, { amount: MAX_AMOUNT }), { amount: MAX_AMOUNT });
  assert.deepEqual(parseInput(coinsSetInput, { amount: 0 }), { amount: 0 });
  const range = /`amount` must be a whole number from 1 to 999,999,999,999,999/;
  for (const bad of [0, -5, MAX_AMOUNT + 1, 1.5, '100', null, 2 ** 60]) {
    assert.match(
      refusal(() => parseInput(coinsAddInput, { amount: bad })),
      range,
    );
  }
  assert.match(
    refusal(() => parseInput(coinsAddInput, {})),
    /you sent nothing/,
  );
  assert.match(
    refusal(() => parseInput(coinsSetInput, { amount: -1 })),
    /from 0 to 999,999,999,999,999 — you sent `-1`/,
  );
});

test('activity limit 1–100, servers detailed boolean', () => {
  assert.deepEqual(parseInput(activityInput, {}), {});
  assert.deepEqual(parseInput(activityInput, { limit: 100 }), { limit: 100 });
  for (const bad of [0, 101, 2.9, -3]) {
    assert.match(
      refusal(() => parseInput(activityInput, { limit: bad })),
      /`limit` must be a whole number from 1 to 100/,
    );
  }
  assert.deepEqual(parseInput(serversInput, { detailed: true }), { detailed: true });
  assert.match(
    refusal(() => parseInput(serversInput, { detailed: 'yes' })),
    /`detailed` must be true or false/,
  );
});

test('resources: each 0…MAX, at least one', () => {
  assert.deepEqual(parseInput(resourcesInput, { ram: 0, cpu: 50 }), { ram: 0, cpu: 50 });
  assert.match(
    refusal(() => parseInput(resourcesInput, {})),
    /at least one of `ram` \(MB\), `disk` \(MB\), `cpu` \(%\) or `servers`/,
  );
  const message = refusal(() => parseInput(resourcesInput, { ram: -1, disk: MAX_AMOUNT + 1 }));
  assert.match(message, /`ram` must be a whole number from 0 to 999,999,999,999,999 — you sent `-1`/);
  assert.match(message, /`disk` must be .* — you sent `1000000000000000`/);
});

test('ban reason and plan package are checked text', () => {
  assert.deepEqual(parseInput(banInput, { reason: '  spam  ' }), { reason: 'spam' });
  assert.match(
    refusal(() => parseInput(banInput, { reason: '   ' })),
    /`reason` must not be blank/,
  );
  assert.match(
    refusal(() => parseInput(banInput, { reason: 'x'.repeat(513) })),
    /at most 512/,
  );
  assert.deepEqual(parseInput(planSetInput, { package: 'premium' }), { package: 'premium' });
  assert.match(
    refusal(() => parseInput(planSetInput, { package: 5 })),
    /`package` must be a package name/,
  );
  assert.match(
    refusal(() => parseInput(planSetInput, {})),
    /`package` .* you sent nothing/,
  );
});
