import { UserError } from '../../errors.js';
import type { HostFailure } from '../ports.js';
import { NO_KEY_MESSAGE } from '../../user/api.js';

/** A failed read while asking, as the sentence the user sees. */
export function hostFailureError(failure: HostFailure): UserError {
  switch (failure.kind) {
    case 'gone':
      return new UserError(
        'AtomicHost says that server does not exist or your key cannot reach it.',
        'Not found',
      );
    case 'key-gone':
      return new UserError(NO_KEY_MESSAGE, 'No API key');
    case 'throttled':
      return new UserError(
        failure.lowCredits
          ? 'Your AtomicHost credits for today are used up; try again after they reset.'
          : 'AtomicHost is rate limiting your key; try again in a minute.',
        'Rate limited',
      );
    case 'unreachable':
      return new UserError(`AtomicHost could not be reached: ${failure.message}`, 'AtomicHost error');
  }
}
