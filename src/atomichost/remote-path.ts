/**
 * Paths on a game server, checked before any AtomicHost call so a bad one
 * gets a clear reply and costs no credit. The API rejects `..` itself; this
 * also refuses the tricks a server-side check might read differently
 * (backslashes, encoded or look-alike dots, control characters).
 */

export const MAX_REMOTE_PATH_LENGTH = 1024;
export const MAX_REMOTE_NAME_LENGTH = 255;

/** A path or name refused before any call; the message says why (the presenter titles it). */
export class RemotePathError extends Error {
  override readonly name = 'RemotePathError';
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A segment that some layer could turn into a parent reference. */
function isParentReference(segment: string): boolean {
  const forms = [segment, decoded(segment), segment.normalize('NFKC'), decoded(segment).normalize('NFKC')];
  return forms.some((form) => form.trim() === '..');
}

function checkSegment(segment: string, original: string): void {
  if (isParentReference(segment)) {
    throw new RemotePathError(`\`..\` isn't allowed in paths — give the full path from \`/\` instead.`);
  }
  if (/%2f|%5c/i.test(segment) || /[\\/]/.test(decoded(segment).normalize('NFKC'))) {
    throw new RemotePathError('Encoded slashes or backslashes are not allowed in paths.');
  }
  if (segment.length > MAX_REMOTE_NAME_LENGTH) {
    throw new RemotePathError(
      `A name in \`${original.slice(0, 40)}…\` is longer than ${MAX_REMOTE_NAME_LENGTH} characters.`,
    );
  }
}

/**
 * Returns the canonical absolute form (`/plugins/a.jar`): leading `/`,
 * `//` and `.` collapsed, no trailing `/`. Throws a RemotePathError for `..`
 * segments, NUL or other control characters, backslashes and absurd lengths.
 */
export function normalizeRemotePath(path: string): string {
  const input = path.trim();
  if (input.length > MAX_REMOTE_PATH_LENGTH) {
    throw new RemotePathError(`That path is too long (at most ${MAX_REMOTE_PATH_LENGTH} characters).`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(input)) {
    throw new RemotePathError('Paths cannot contain control characters.');
  }
  if (input.includes('\\')) {
    throw new RemotePathError('Use `/` to separate folders; backslashes are not allowed in paths.');
  }
  const segments = input.split('/').filter((segment) => segment !== '' && segment !== '.');
  for (const segment of segments) checkSegment(segment, input);
  return `/${segments.join('/')}`;
}

/**
 * A single file or folder name (for create-folder, rename, delete): the same
 * rules, and no `/` at all.
 */
export function validateRemoteName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed === '.') throw new RemotePathError('Give a file or folder name.');
  if (trimmed.includes('/')) throw new RemotePathError('A name cannot contain `/`.');
  const normalized = normalizeRemotePath(trimmed);
  return normalized.slice(1);
}
