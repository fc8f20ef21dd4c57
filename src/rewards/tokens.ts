import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares two secrets in constant time (both are hashed first, so lengths do not leak). */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

/** A short, stable, non-secret name for a bearer token (its hash): ledger keys hold this, never the token. */
export function tokenId(token: string): string {
  return createHash('sha256').update(`hostlink-api-token:${token}`).digest('hex').slice(0, 16);
}

/** The token among `tokens` that `header` (`Bearer <token>`) presents, or undefined. */
export function matchBearer(header: string | undefined, tokens: readonly string[]): string | undefined {
  const presented = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!presented) return undefined;
  let found: string | undefined;
  // Every token is compared, so the time taken does not say which one matched.
  for (const token of tokens) if (safeEqual(presented, token)) found = token;
  return found;
}
