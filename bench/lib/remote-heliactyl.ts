import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { FakeHeliactylOptions } from '../../test/fakes/heliactyl.js';

/** The fake Heliactyl running in bench/lib/heliactyl-thread.ts, asked through messages. */
export class RemoteHeliactyl {
  private constructor(
    readonly url: string,
    readonly worker: Worker,
  ) {}

  static async start(options: FakeHeliactylOptions, userIds: string[]): Promise<RemoteHeliactyl> {
    // The thread runs TypeScript like the bench itself: tsx is registered first.
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./heliactyl-thread.ts', import.meta.url).href;
    const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
    const worker = new Worker(bootstrap, { eval: true, workerData: { options, userIds } });
    const [ready] = (await once(worker, 'message')) as [{ type: 'ready'; url: string }];
    return new RemoteHeliactyl(ready.url, worker);
  }

  /** addcoins requests the dashboard has received. */
  async addcoins(): Promise<number> {
    this.worker.postMessage({ type: 'addcoins' });
    const [answer] = (await once(this.worker, 'message')) as [{ count: number }];
    return answer.count;
  }

  async close(): Promise<void> {
    this.worker.postMessage({ type: 'close' });
    await once(this.worker, 'exit');
  }
}
