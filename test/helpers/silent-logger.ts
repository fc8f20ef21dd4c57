import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger.js';

/** A logger for unit tests that writes nothing. */
export const silentLogger = createLogger({
  level: 'silent',
  destination: new Writable({ write: (_chunk, _enc, done) => done() }),
});
