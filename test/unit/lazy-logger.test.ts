import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/logger.js';
import { lazyChild } from '../../src/bot/lazy-logger.js';
import { captureLogs } from '../helpers/log-capture.js';

function captured(level: 'warn' | 'debug'): {
  logger: ReturnType<typeof createLogger>;
  lines: () => Array<Record<string, unknown>>;
  childrenMade: () => number;
} {
  const out = captureLogs();
  const logger = createLogger({ level, destination: out.stream, secrets: ['s3cret-value'] });
  let made = 0;
  const child = logger.child.bind(logger);
  logger.child = ((...args: Parameters<typeof child>) => {
    made += 1;
    return child(...args);
  }) as typeof logger.child;
  return {
    logger,
    lines: out.lines,
    childrenMade: () => made,
  };
}

test('issue12 item 16: an interaction logger writes its bindings (secrets still scrubbed) when it logs', () => {
  const { logger, lines } = captured('debug');
  const scoped = lazyChild(logger, { interactionId: '123', command: 'claim' });
  scoped.debug('Interaction handled');
  scoped.warn({ detail: 'key s3cret-value' }, 'Something odd');
  const [handled, odd] = lines();
  assert.equal(handled?.msg, 'Interaction handled');
  assert.equal(handled?.interactionId, '123');
  assert.equal(handled?.command, 'claim');
  assert.equal(odd?.interactionId, '123');
  assert.equal(odd?.detail, 'key [redacted]');
});

test('issue12 item 16: an interaction logger that writes nothing costs no pino child', () => {
  const { logger, lines, childrenMade } = captured('warn');
  const scoped = lazyChild(logger, { interactionId: '123' });
  scoped.debug('Command received');
  scoped.info('Interaction handled');
  assert.equal(childrenMade(), 0);
  assert.deepEqual(lines(), []);
  scoped.warn('Now it matters');
  assert.equal(childrenMade(), 1);
  assert.equal(lines()[0]?.interactionId, '123');
});
