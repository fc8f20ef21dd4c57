import assert from 'node:assert/strict';
import { ConfigError, parseConfig, type ParseOptions } from '../../src/config.js';

/** The smallest environment the bot starts with. */
export const baseEnv = { DISCORD_TOKEN: 'test-token' };

/** The lines an operator reads for `env` (fails the test when the environment is accepted). */
export function problemsOf(
  env: Record<string, string | undefined>,
  purpose: 'bot' | 'deploy' = 'bot',
  options: ParseOptions = {},
): string[] {
  try {
    parseConfig(env, purpose, options);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}
