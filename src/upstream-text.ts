/**
 * Upstream text can be megabytes long and built to make a regular expression
 * slow (64 KB of `<`, 20 KB of markdown). Every upstream string is cut to
 * what could ever be shown before any pattern runs over it.
 */

/** Longer than any Discord text field (4096), so nothing that could be shown is lost. */
export const SCAN_CHARS = 4096;

/** `text` cut to at most `max` characters (no ellipsis: callers clip again for display). */
export function clipForScan(text: string, max = SCAN_CHARS): string {
  return text.length > max ? text.slice(0, max) : text;
}
