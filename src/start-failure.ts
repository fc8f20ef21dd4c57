import type { Config } from './config.js';
import { scrubText } from './logger.js';
import { StartError } from './bot/preflight.js';
import { StoreConfigError } from './vault/store.js';

/**
 * A failed start as the operator reads it: one plain line (plus a hint) on
 * stderr, never a JSON log line with a stack. Unknown errors keep their
 * message, with secrets removed.
 */
export function startFailureText(error: unknown, config: Config): string {
  const secrets = [
    config.DISCORD_TOKEN,
    config.HELIACTYL_API_KEY,
    config.ENCRYPTION_KEY,
    ...config.ENCRYPTION_KEY_PREVIOUS,
  ].filter((s): s is string => typeof s === 'string' && s.length >= 6);
  let line: string;
  let hint: string | undefined;
  if (error instanceof StartError) {
    line = error.message;
    hint = error.hint;
  } else if (error instanceof StoreConfigError) {
    line = error.message;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    line = message.split('\n')[0] || 'unknown error';
    hint = 'Run again with LOG_LEVEL=debug to log the details.';
  }
  const text = `Hostlink cannot start: ${scrubText(line, secrets)}\n` + (hint ? `  ${hint}\n` : '');
  return text;
}
