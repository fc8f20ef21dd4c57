import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { HttpTransport, TransportError } from '../../src/http/upstream.js';

/** Issue 8 (hardening), item 4, at the transport: real sockets on 127.0.0.1. */

const MiB = 1024 * 1024;

async function serve(
  t: { after(fn: () => unknown): void },
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<HttpTransport> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const transport = new HttpTransport({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    timeoutMs: 20_000,
  });
  t.after(async () => {
    server.closeAllConnections();
    await transport.close();
    server.close();
  });
  return transport;
}

async function expectTooLarge(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TransportError, String(error));
    assert.equal(error.failure, 'too_large');
    return true;
  });
}

test('issue8 item 4: a declared content-length over the cap is refused without reading the body', async (t) => {
  let finished: (value: boolean) => void = () => undefined;
  const closed = new Promise<boolean>((resolve) => (finished = resolve));
  const transport = await serve(t, (_req, res) => {
    res.on('close', () => finished(res.writableFinished));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(100 * MiB) });
    res.write(Buffer.alloc(64 * 1024, 32)); // then nothing: only the header can end this in time
  });
  await expectTooLarge(transport.request({ method: 'GET', path: '/big' }));
  assert.equal(await closed, false, 'the connection was closed before the body was complete');
});

test('issue8 item 4: a streamed body is cut at 1 MiB by default, and the sender is hung up on', async (t) => {
  let sent = 0;
  const hungUp = new Promise<void>((resolve) => {
    void serve(t, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' }); // chunked: no length announced
      const chunk = Buffer.alloc(64 * 1024, 120);
      const pump = (): void => {
        // Up to 100 MiB, respecting backpressure: only a hang-up stops it early.
        while (sent < 100 * MiB && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => resolve());
      pump();
    }).then((transport) => expectTooLarge(transport.request({ method: 'GET', path: '/stream' })));
  });
  await hungUp;
  assert.ok(sent < 100 * MiB, `the sender was stopped early (sent ${sent} bytes)`);
});

test('issue8 item 4: a larger cap can be asked for (file reads: 16 MiB)', async (t) => {
  const body = Buffer.alloc(10 * MiB, 97);
  const transport = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
  });
  await expectTooLarge(transport.request({ method: 'GET', path: '/file' }));
  const answer = await transport.request({ method: 'GET', path: '/file', maxBodyBytes: 16 * MiB });
  assert.equal(answer.text.length, body.length);
});
