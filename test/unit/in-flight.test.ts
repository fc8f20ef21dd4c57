import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InFlight } from '../../src/bot/in-flight.js';

test('issue8 item 14: drain waits for work that work in flight starts (a reply, then its audit post)', async () => {
  const inFlight = new InFlight();
  const done: string[] = [];
  let finishHandler!: () => void;
  const handler = new Promise<void>((resolve) => (finishHandler = resolve)).then(() => {
    // Like runWrite: the handler ends and leaves its audit post running.
    void inFlight.track(Promise.resolve().then(() => done.push('audit post')));
    done.push('reply');
  });
  void inFlight.track(handler);
  inFlight.close();
  assert.equal(inFlight.closed, true);
  const draining = inFlight.drain(60_000);
  finishHandler();
  assert.equal(await draining, 0, 'nothing left in flight');
  assert.deepEqual(done, ['reply', 'audit post']);
});

test('issue8 item 14: drain gives up at its deadline and says how much was left', async () => {
  const inFlight = new InFlight();
  void inFlight.track(new Promise(() => undefined));
  assert.equal(await inFlight.drain(0), 1);
});
