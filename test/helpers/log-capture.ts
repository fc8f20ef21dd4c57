import { Writable } from 'node:stream';

/** A stream to give createLogger as its destination, and what was written to it. */
export interface LogCapture {
  stream: Writable;
  /** Everything written, as written. */
  text(): string;
  /** Every line parsed as JSON (pino writes one object per line). */
  lines(): Array<Record<string, unknown>>;
}

export function captureLogs(): LogCapture {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const text = (): string => chunks.join('');
  return {
    stream,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
