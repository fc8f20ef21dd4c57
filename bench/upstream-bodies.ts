/**
 * `npm run bench -- upstream-bodies`: how much a 100 MB upstream answer
 * grows the bot. A local server streams the body (generated, never held);
 * the bot side reads it capped (the transport, file-read cap of 16 MiB) and,
 * for comparison, whole (what the transport did before issue 8 item 4).
 * Peak RSS above the starting point is sampled while each read runs.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { request } from 'undici';
import { HttpTransport } from '../src/http/upstream.js';
import { FILE_READ_LIMIT } from '../src/atomichost/client.js';
import { printTable, round, rssMiB, writeResult } from './stats.js';

const BODY_BYTES = 100 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 97);
  let sent = 0;
  const pump = (): void => {
    while (sent < BODY_BYTES && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Peak RSS growth (MiB) while `work` runs. */
async function peakGrowth(work: () => Promise<unknown>): Promise<{ growthMiB: number; outcome: string }> {
  gc();
  const start = rssMiB(process.pid);
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(process.pid))), 2);
  let outcome = 'ok';
  try {
    await work();
  } catch (error) {
    outcome = (error as { failure?: string }).failure ?? String(error);
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, rssMiB(process.pid));
  return { growthMiB: round(peak - start, 1), outcome };
}

const transport = new HttpTransport({ baseUrl: origin, timeoutMs: 60_000 });
const capped = await peakGrowth(() =>
  transport.request({ method: 'GET', path: '/contents', maxBodyBytes: FILE_READ_LIMIT }),
);
await transport.close();
const whole = await peakGrowth(async () => {
  const res = await request(`${origin}/contents`);
  return res.body.text();
});
server.close();

printTable('A 100 MB upstream answer', [
  ['capped read (16 MiB file cap): RSS growth', `${capped.growthMiB} MiB (${capped.outcome})`],
  ['whole read (before): RSS growth', `${whole.growthMiB} MiB (${whole.outcome})`],
]);
console.log(`\nwrote ${writeResult('upstream-bodies', { bodyBytes: BODY_BYTES, capped, whole })}`);
