/**
 * The fake Heliactyl on a thread of its own (bench/lib/remote-heliactyl.ts
 * starts it): its thousands of requests in a rush then do not delay the
 * fake Discord's event loop, which stamps the acks the bench measures. In
 * production the dashboard is another machine altogether.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FakeHeliactyl, type FakeHeliactylOptions } from '../../test/fakes/heliactyl.js';

const { options, userIds } = workerData as { options: FakeHeliactylOptions; userIds: string[] };
const fake = await FakeHeliactyl.start(options);
for (const id of userIds) fake.addUser({ id, coins: 1 });
const port = parentPort!;
port.on('message', (message: { type: 'addcoins' } | { type: 'close' }) => {
  if (message.type === 'addcoins') {
    const count = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/addcoins')).length;
    port.postMessage({ type: 'addcoins', count });
  } else {
    void fake.close().then(() => port.close());
  }
});
port.postMessage({ type: 'ready', url: fake.url });
