import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { WatchTables } from '../store/watch-schema.js';
import type { PollerLease } from './ports.js';

/**
 * A lease outlives its holder's next planned check by this much: time for
 * the check itself (two upstream requests, the panel edits) before another
 * process may take the server over.
 */
export const LEASE_GRACE_MS = 120_000;

/**
 * Who polls a server, as a row in the shared store (`watch_leases`): the
 * holder's instance id and an expiry on the wall clock, which every process
 * shares. Taking it is one conditional upsert, so of two processes trying
 * at once exactly one gets it; a holder that dies stops renewing, and the
 * lease is free for another once it expires.
 */
export class StoreLease implements PollerLease {
  constructor(
    private readonly db: Kysely<WatchTables>,
    private readonly clock: Clock,
    /** This process's id in the lease rows. */
    readonly holder: string = randomUUID(),
  ) {}

  async acquire(serverKey: string): Promise<{ nextCheckAt: number | null } | undefined> {
    const now = this.clock.wallNow();
    const taken = { owner: this.holder, expires_at: now + LEASE_GRACE_MS };
    const row = await this.db
      .insertInto('watch_leases')
      .values({ server_key: serverKey, ...taken, next_check_at: null })
      .onConflict((oc) =>
        oc
          .column('server_key')
          .doUpdateSet(taken)
          .where((eb) =>
            eb.or([
              eb('watch_leases.owner', 'is', null),
              eb('watch_leases.owner', '=', this.holder),
              eb('watch_leases.expires_at', '<=', now),
            ]),
          ),
      )
      .returning('next_check_at')
      .executeTakeFirst();
    if (!row) return undefined;
    return { nextCheckAt: row.next_check_at === null ? null : Number(row.next_check_at) };
  }

  async renew(serverKey: string, nextCheckAt: number): Promise<boolean> {
    const result = await this.db
      .updateTable('watch_leases')
      .set({ expires_at: nextCheckAt + LEASE_GRACE_MS, next_check_at: nextCheckAt })
      .where('server_key', '=', serverKey)
      .where('owner', '=', this.holder)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async release(serverKey: string): Promise<void> {
    // The planned next check stays: whoever takes over keeps the cadence.
    await this.db
      .updateTable('watch_leases')
      .set({ owner: null, expires_at: 0 })
      .where('server_key', '=', serverKey)
      .where('owner', '=', this.holder)
      .execute();
  }

  async forget(serverKey: string): Promise<void> {
    await this.db
      .deleteFrom('watch_leases')
      .where('server_key', '=', serverKey)
      .where('owner', '=', this.holder)
      .execute();
  }

  async heldElsewhere(): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('watch_leases')
      .select('server_key')
      .where('owner', 'is not', null)
      .where('owner', '!=', this.holder)
      .where('expires_at', '>', this.clock.wallNow())
      .execute();
    return new Set(rows.map((r) => r.server_key));
  }
}
