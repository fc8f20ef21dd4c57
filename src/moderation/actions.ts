import type { User } from 'discord.js';
import type { Context } from '../context.js';
import { UserError } from '../errors.js';
import { HeliactylError } from '../heliactyl/errors.js';
import { describeHeliactylError } from '../presenter/heliactyl-text.js';
import type { AuditResult, AuditValue } from './audit.js';
import type { Target } from './target.js';

/**
 * Shared shape of a moderator-side call: reads map "unknown user" to a reply
 * naming the account; writes are audited whatever happens, and a write whose
 * outcome is unknown (it may have reached the dashboard) says so and is never
 * retried.
 */

export function noAccount(target: Target): UserError {
  return new UserError(`There is no dashboard account for ${target.display}.`, 'No dashboard account');
}

/** What the moderator reads for a failed call (unknown user named; unknown outcomes flagged). */
export function explainFailure(error: unknown, target: Target, unknownHint?: string): unknown {
  if (!(error instanceof HeliactylError)) return error;
  if (error.kind === 'unknown_user') return noAccount(target);
  if (error.mayHaveReachedServer && error.method !== 'GET') {
    const hint = unknownHint ? ` ${unknownHint}` : '';
    return new UserError(`${describeHeliactylError(error)}${hint}`, 'Outcome unknown');
  }
  return error;
}

/** A read on the target's account; an unknown id becomes "no dashboard account for …". */
export async function readAccount<T>(target: Target, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw explainFailure(error, target);
  }
}

export interface WriteMeta {
  action: string;
  target: Target;
  values: Record<string, AuditValue>;
  /** Added after the standard "may or may not have been applied" sentence, e.g. how to check. */
  unknownHint?: string;
}

function errorText(error: unknown): string {
  if (error instanceof UserError) return error.message;
  if (error instanceof HeliactylError) return describeHeliactylError(error);
  return 'Unexpected error (see the bot logs).';
}

/** How a write that the dashboard accepted turned out, as audited. */
export interface WriteOutcome {
  result: 'success' | 'not applied';
  detail?: string;
}

function audit(ctx: Context, invoker: User, meta: WriteMeta, result: AuditResult, detail?: string): void {
  void ctx.audit.record(
    {
      action: meta.action,
      invoker: { id: invoker.id, username: invoker.username },
      target: { id: meta.target.id, display: meta.target.display },
      values: meta.values,
      result,
      ...(detail ? { detail } : {}),
    },
    ctx.logger,
  );
}

/**
 * Runs one dashboard write (sent once, never retried) and audits it, whatever
 * happens. A failure is audited (`failure`, or `unknown` when it may have been
 * applied) and rethrown as what the moderator should read. On success,
 * `settle` (e.g. reading the balance back) says how it really turned out; its
 * answer is audited and returned.
 */
export async function runWrite<O extends WriteOutcome = WriteOutcome>(
  ctx: Context,
  invoker: User,
  meta: WriteMeta,
  write: () => Promise<unknown>,
  settle: () => Promise<O> | O = () => ({ result: 'success' }) as O,
): Promise<O> {
  try {
    await write();
  } catch (error) {
    const shown = explainFailure(error, meta.target, meta.unknownHint);
    const unknown = error instanceof HeliactylError && error.mayHaveReachedServer;
    audit(ctx, invoker, meta, unknown ? 'unknown' : 'failure', errorText(shown));
    throw shown;
  }
  const outcome = await settle();
  audit(ctx, invoker, meta, outcome.result, outcome.detail);
  return outcome;
}
