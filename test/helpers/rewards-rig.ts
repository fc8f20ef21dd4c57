import { pino } from 'pino';
import { openStore, type RelationalStore } from '../../src/store/database.js';
import { Ledger, type Grant } from '../../src/rewards/ledger.js';
import { GrantWorker } from '../../src/rewards/worker.js';
import { HeliactylClient } from '../../src/heliactyl/client.js';
import { RequestPacer } from '../../src/heliactyl/pacer.js';
import type { FakeHeliactyl } from '../fakes/heliactyl.js';
import { FakeClock } from './fake-clock.js';
import type { Lease } from '../../src/coordination/index.js';
import type { Pacer } from '../../src/heliactyl/pacer-port.js';

/** One "process" of the rewards core: its own store connection, ledger, client and worker. */
export interface RewardsRig {
  store: RelationalStore;
  ledger: Ledger;
  heliactyl: HeliactylClient;
  worker: GrantWorker;
  clock: FakeClock;
  settled: Grant[];
  /** Resolves once this rig's worker has settled `count` grants in total. */
  settledCount(count: number): Promise<Grant[]>;
  close(): Promise<void>;
}

export async function rewardsRig(
  storeUrl: string,
  fake: FakeHeliactyl,
  options: {
    clock?: FakeClock;
    timeoutMs?: number;
    startWorker?: boolean;
    /** The drain lease and the budget of a "process" sharing them through Redis. */
    lease?: Lease;
    pacer?: Pacer;
    /** The worker's turn before each grant (the bot passes its after-ack lane). */
    waitTurn?: () => Promise<void>;
  } = {},
): Promise<RewardsRig> {
  const clock = options.clock ?? new FakeClock();
  const store = await openStore(storeUrl);
  const ledger = new Ledger(store.db, () => clock.now());
  const heliactyl = new HeliactylClient({
    baseUrl: fake.url,
    apiKey: fake.apiKey,
    timeoutMs: options.timeoutMs ?? 5_000,
    pacer: options.pacer ?? new RequestPacer({ clock }),
  });
  const worker = new GrantWorker({
    ledger,
    heliactyl,
    logger: pino({ level: 'silent' }),
    clock,
    staleSendingMs: 30_000,
    ...(options.lease ? { lease: options.lease } : {}),
    ...(options.waitTurn ? { waitTurn: options.waitTurn } : {}),
  });
  const settled: Grant[] = [];
  const waiters: Array<{ count: number; resolve: (grants: Grant[]) => void }> = [];
  worker.onSettled((grant) => {
    settled.push(grant);
    for (const waiter of [...waiters]) {
      if (settled.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve([...settled]);
      }
    }
  });
  if (options.startWorker !== false) worker.start();
  return {
    store,
    ledger,
    heliactyl,
    worker,
    clock,
    settled,
    settledCount(count) {
      if (settled.length >= count) return Promise.resolve([...settled]);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    async close() {
      await worker.stop();
      await heliactyl.close();
      await store.close();
    },
  };
}

/** addcoins and setcoins requests the fake dashboard received for `userId`. */
export function coinWrites(fake: FakeHeliactyl, userId: string): string[] {
  return fake.requests
    .filter((r) => r.method === 'POST' && /\/(add|set)coins$/.test(r.path))
    .filter((r) => (r.body as { id?: string } | undefined)?.id === userId)
    .map((r) => `${r.path.split('/').pop()} ${(r.body as { coins: number }).coins}`);
}

/**
 * Lets the next addcoins through and holds the one after it at the fake
 * dashboard (it has reached the server) until `until` settles. Resolves
 * once the second one is held.
 */
export function holdSecondAddcoins(fake: FakeHeliactyl, until: Promise<unknown>): Promise<void> {
  return new Promise((held) =>
    fake.faults.add({
      fault: { kind: 'latency', ms: 0 },
      method: 'POST',
      path: '/addcoins',
      times: 1,
      onMatched: () =>
        fake.faults.add({
          fault: { kind: 'hold', until, onHeld: held },
          method: 'POST',
          path: '/addcoins',
          times: 1,
        }),
    }),
  );
}
