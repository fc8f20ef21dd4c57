import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleSession } from '../../src/console/session.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { silentLogger } from '../helpers/silent-logger.js';
import { Transcript } from '../../src/console/transcript.js';
import { ConsoleView, type ViewInteraction, type ViewOutput } from '../../src/console/view.js';
import { ViewLog, logSummaryText } from '../../src/console/view-log.js';

/** A clock that never moves: these tests read the views, no edit is sent. */
const clock = new ManualClock();
let tokens = 0;

const output: ViewOutput = {
  clock,
  intervalMs: 1000,
  lifetimeMs: 60_000,
  edit: () => Promise.resolve(),
  editFailed: () => 'retry',
  expired: () => undefined,
};

function newView(isPublic: boolean): ConsoleView {
  const interaction = { token: `token-${tokens++}`, createdTimestamp: clock.wallNow() } as ViewInteraction;
  return new ConsoleView(
    interaction,
    { invokerId: '1', serverId: '7', serverName: undefined, isPublic },
    output,
  );
}

function newSession(): ConsoleSession<ConsoleView> {
  return new ConsoleSession<ConsoleView>('1', '7', {
    clock,
    logger: silentLogger,
    idleMs: 60_000,
    retryDelayMs: 1000,
    mayRetry: () => false,
    reopen: () => Promise.reject(new Error('not in this test')),
    describeClose: () => Promise.resolve({ text: 'closed', reconnect: true }),
    explain: () => 'failed',
    end: () => Promise.resolve(),
  });
}

/** What the manager does when a message starts showing a stream. */
function show(session: ConsoleSession<ConsoleView>, view: ConsoleView): void {
  view.show(session);
}

const text = (log: ViewLog) => log.toBuffer().toString('utf8');

describe('console logs', () => {
  test("issue8 item 3: the messages on one stream read their logs from the stream's one transcript", () => {
    const session = newSession();
    const early = newView(false);
    show(session, early);
    session.output('one');
    const later = [newView(true), newView(false)];
    for (const view of later) show(session, view);
    session.output('two\nthree');
    // The early message ends; the stream carries on for the other two.
    void early.end({ text: 'stopped', reconnect: true }, true);
    session.output('four');

    assert.equal(session.transcript.received, 4, 'each line is kept once, for the stream');
    assert.equal(text(early.log), 'one\ntwo\nthree\n', 'what the early message showed');
    for (const view of later) assert.equal(text(view.log), 'two\nthree\nfour\n', 'from when it opened');
    assert.deepEqual(early.log.summary(), { received: 3, kept: 3, dropped: 0 });
  });

  test('issue8 item 7: an echoed command reaches private messages of the stream, not public ones', () => {
    const session = newSession();
    const [shown, mine] = [newView(true), newView(false)];
    show(session, shown);
    show(session, mine);
    session.notice('> authme register hunter2', { privateOnly: true });
    assert.deepEqual(mine.ring.lines, ['\u001b[1;33m[Hostlink] > authme register hunter2\u001b[0m']);
    assert.deepEqual(shown.ring.lines, []);
    assert.equal(shown.linesReceived, 0);
  });

  test('a reconnected message reads each stream it showed; the oldest stretches go past the bound', () => {
    const log = new ViewLog();
    const first = new Transcript();
    first.append('ignored: before the message');
    log.follow(first);
    first.append('a');
    const second = new Transcript();
    log.follow(second);
    first.append('ignored: after the message left');
    second.append('b');
    assert.equal(text(log), 'a\nb\n');
    assert.deepEqual(log.summary(), { received: 2, kept: 2, dropped: 0 });

    // Transcripts that together exceed the bound: the oldest stretch is let go, and counted as dropped.
    const big = new Transcript({ maxBytes: 3 * 1024 * 1024 });
    log.follow(big);
    for (let i = 0; i < 3000; i++) big.append('x'.repeat(1000));
    log.follow(new Transcript());
    assert.equal(log.summary().received, 3002);
    assert.equal(log.summary().kept, 0, 'only the newest stretch, still empty, is kept');
    assert.equal(
      logSummaryText(log.summary()),
      'The last 0 of 3,002 lines (logs keep the last 20,000 lines or 2 MB).',
    );
  });
});
