import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBulkUsers } from '../../src/rewards/bulk/users.js';

const A = '420000000000000001';
const B = '420000000000000002';
const C = '420000000000000003';

test('mentions (<@id>, <@!id>) and raw ids, separated by spaces or commas, deduplicated in order', () => {
  assert.deepEqual(parseBulkUsers(`<@${A}>, ${B}\n<@!${C}>,,${A}  <@${B}>`), {
    ok: true,
    userIds: [A, B, C],
  });
});

test('a token that is neither names itself and says nothing was granted', () => {
  const parsed = parseBulkUsers(`${A} @bob ${B}`);
  assert.deepEqual(parsed, {
    ok: false,
    problem:
      '`@bob` is not a member mention or a user id. Separate members with spaces or commas; nothing was granted.',
  });
});

test('roles, channels and short numbers are refused; backticks in a token cannot break its quoting', () => {
  const role = parseBulkUsers(`<@&${A}>`);
  assert.ok(!role.ok && role.problem.includes('that is a role'));
  const channel = parseBulkUsers(`<#${A}>`);
  assert.ok(!channel.ok && channel.problem.includes('that is a channel'));
  const short = parseBulkUsers('12345');
  assert.ok(!short.ok && short.problem.startsWith('`12345` is not'));
  const tricky = parseBulkUsers('a`b');
  assert.ok(!tricky.ok && tricky.problem.startsWith('`aˋb` is not'));
});

test('at most 100 distinct members (duplicates do not count), and the text is capped', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => String(430000000000000000n + BigInt(i)));
  const hundred = parseBulkUsers([...ids(100), ...ids(100)].join(' '));
  assert.ok(hundred.ok && hundred.userIds.length === 100);
  const more = parseBulkUsers(ids(101).join(','));
  assert.ok(!more.ok && more.problem.startsWith('That is more than 100 members'));
  const long = parseBulkUsers(`${A} `.repeat(300));
  assert.ok(!long.ok && long.problem.startsWith('The list of users is too long'));
  const empty = parseBulkUsers(' , ');
  assert.ok(!empty.ok && empty.problem === 'Give at least one member: mentions or user ids.');
});
