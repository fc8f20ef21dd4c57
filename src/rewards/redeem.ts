import type { EnqueueResult, Grant, GrantRequest } from './ledger.js';
import { codeRefusal, redemptionKey, type CodeRefusal, type RewardCode, type RewardCodes } from './codes.js';
import { normalizeCode } from './code-secret.js';

/**
 * One member redeeming a code, in the order that keeps every promise:
 * a wrong, revoked, expired or used-up code pays nothing; a member is paid
 * once per code (the ledger key `code:<code id>:<user>` is unique); and the
 * use limit holds because a use is taken by the store's conditional update
 * before the grant is recorded. A use taken for a member whose grant already
 * existed (a double click) is given back. Should the process die between
 * taking the use and recording the grant, one use is lost and nobody is
 * paid twice: the safe side.
 */

export type RedeemOutcome =
  | { kind: 'malformed' }
  | { kind: 'unknown' }
  | { kind: CodeRefusal; code: RewardCode }
  | { kind: 'already'; code: RewardCode; grant: Grant }
  | { kind: 'no_account'; code: RewardCode }
  | { kind: 'redeemed'; code: RewardCode; grant: Grant };

export interface RedeemDeps {
  codes: RewardCodes;
  enqueue(request: GrantRequest): Promise<EnqueueResult>;
  grantByKey(key: string): Promise<Grant | undefined>;
  /** Whether the member has a dashboard account (false: refused before a use is taken). */
  accountExists(userId: string): Promise<boolean | 'unavailable'>;
}

export async function redeemCode(
  deps: RedeemDeps,
  input: { text: string; userId: string; now: number },
): Promise<RedeemOutcome> {
  const text = normalizeCode(input.text);
  if (!text) return { kind: 'malformed' };
  const code = await deps.codes.find(text);
  if (!code) return { kind: 'unknown' };
  const key = redemptionKey(code.id, input.userId);
  const earlier = await deps.grantByKey(key);
  if (earlier) return { kind: 'already', code, grant: earlier };
  const refusal = codeRefusal(code, input.now);
  if (refusal) return { kind: refusal, code };
  // 'unavailable' lets the grant wait in the queue like any other; only a known "no account" refuses.
  if ((await deps.accountExists(input.userId)) === false) return { kind: 'no_account', code };

  if (!(await deps.codes.takeUse(code.id, input.now))) {
    const now = (await deps.codes.get(code.id)) ?? code;
    return { kind: codeRefusal(now, input.now) ?? 'used_up', code: now };
  }
  const { grant, created } = await deps.enqueue({
    key,
    userId: input.userId,
    coins: code.coins,
    source: 'code',
    cause: { code: code.id, user: input.userId },
    reason: `code ${code.hint}`,
  });
  if (!created) {
    await deps.codes.returnUse(code.id);
    return { kind: 'already', code, grant };
  }
  return { kind: 'redeemed', code, grant };
}
