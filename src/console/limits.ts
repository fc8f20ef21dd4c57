/** How much the console manager keeps, and for how long. */

/** Ended messages keep their log (for *Download log*) this long… */
export const LOG_RETENTION_MS = 15 * 60_000;
/** …and at most this many ended messages are kept at once (oldest forgotten first). */
export const MAX_ENDED_VIEWS = 200;
/** Live messages per stream, i.e. per user and server; one more ends the oldest. */
export const MAX_LIVE_VIEWS_PER_STREAM = 3;
/** Consecutive failed edits (other than "message gone") before a message is given up. */
export const MAX_EDIT_FAILURES = 5;
