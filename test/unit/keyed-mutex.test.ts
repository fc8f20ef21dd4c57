import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedMutex } from '../../src/moderation/keyed-mutex.js';

/** A task that records when it starts and ends, and ends when the test says so. */
function gatedTask(log: string[], name: string) {
  let finish!: () => void;
  const gate = new Promise<void>((resolve) => (finish = resolve));
  let started!: () => void;
  const hasStarted = new Promise<void>((resolve) => (started = resolve));
  const task = async (): Promise<string> => {
    log.push(`${name} start`);
    started();
    await gate;
    log.push(`${name} end`);
    return name;
  };
  return { task, finish, hasStarted };
}

test('issue9 item 10: tasks on one key run one after the other, in the order they asked', async () => {
  const mutex = new KeyedMutex();
  const log: string[] = [];
  const a = gatedTask(log, 'a');
  const b = gatedTask(log, 'b');
  const runA = mutex.run('acct', a.task);
  const runB = mutex.run('acct', b.task);
  await a.hasStarted;
  assert.equal(mutex.isBusy('acct'), true);
  b.finish();
  a.finish();
  assert.deepEqual(await Promise.all([runA, runB]), ['a', 'b']);
  assert.deepEqual(log, ['a start', 'a end', 'b start', 'b end']);
  assert.equal(mutex.isBusy('acct'), false, 'an idle key is forgotten');
});

test('issue9 item 10: tasks on different keys do not wait for each other', async () => {
  const mutex = new KeyedMutex();
  const log: string[] = [];
  const a = gatedTask(log, 'a');
  const b = gatedTask(log, 'b');
  const runA = mutex.run('one', a.task);
  const runB = mutex.run('two', b.task);
  await Promise.all([a.hasStarted, b.hasStarted]);
  b.finish();
  await runB;
  a.finish();
  await runA;
  assert.deepEqual(log, ['a start', 'b start', 'b end', 'a end']);
});

test('issue9 item 10: a failing task lets the next one run', async () => {
  const mutex = new KeyedMutex();
  const failing = mutex.run('acct', () => Promise.reject(new Error('boom')));
  const next = mutex.run('acct', () => Promise.resolve('ran'));
  await assert.rejects(failing, /boom/);
  assert.equal(await next, 'ran');
  assert.equal(mutex.isBusy('acct'), false);
});
