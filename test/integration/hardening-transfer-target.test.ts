import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { request } from 'undici';
import { parseConfig } from '../../src/config.js';
import { isBlockedAddress, isPublicAddress, transferTarget } from '../../src/user/transfer-target.js';
import { UserError } from '../../src/errors.js';

/** Issue 8 (hardening), item 9: where `/files upload` may send an attachment. */

const defaults = parseConfig({ DISCORD_TOKEN: 'x' }, 'bot');

function refused(url: string, allowed: readonly string[]): void {
  assert.throws(
    () => transferTarget(url, allowed),
    (error: unknown) => error instanceof UserError && error.title === 'Upload refused',
    url,
  );
}

test('issue8 item 9: by default only https hosts under the API host’s registrable domain are allowed', () => {
  assert.deepEqual(defaults.ATOMICHOST_TRANSFER_HOSTS, ['atomichost.xyz']);
  const allowed = defaults.ATOMICHOST_TRANSFER_HOSTS;
  assert.equal(
    transferTarget('https://node-3.atomichost.xyz/upload/abc', allowed).url.hostname,
    'node-3.atomichost.xyz',
  );
  assert.equal(transferTarget('https://atomichost.xyz/upload/abc', allowed).url.hostname, 'atomichost.xyz');
  for (const url of [
    'http://node-3.atomichost.xyz/upload/abc', // not https
    'https://atomichost.xyz.evil.example/upload', // suffix of the wrong kind
    'https://evilatomichost.xyz/upload',
    'https://127.0.0.1/latest/meta-data/',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]/x',
    'https://user:pass@node.atomichost.xyz/x',
    'not a url',
  ]) {
    refused(url, allowed);
  }
});

test('issue8 item 9: a loopback API URL does not make loopback uploads allowed; an explicit origin does', () => {
  const local = parseConfig({ DISCORD_TOKEN: 'x', ATOMICHOST_API_URL: 'http://127.0.0.1:8080/api' }, 'bot');
  assert.deepEqual(local.ATOMICHOST_TRANSFER_HOSTS, ['127.0.0.1']);
  refused('http://127.0.0.1:8080/transfer/upload/abc', local.ATOMICHOST_TRANSFER_HOSTS);
  refused('https://127.0.0.1:8080/transfer/upload/abc', local.ATOMICHOST_TRANSFER_HOSTS);

  const trusted = parseConfig(
    { DISCORD_TOKEN: 'x', ATOMICHOST_TRANSFER_HOSTS: 'http://127.0.0.1:8080/, .Example.COM' },
    'bot',
  );
  assert.deepEqual(trusted.ATOMICHOST_TRANSFER_HOSTS, ['http://127.0.0.1:8080', 'example.com']);
  assert.ok(transferTarget('http://127.0.0.1:8080/transfer/upload/abc', trusted.ATOMICHOST_TRANSFER_HOSTS));
  refused('http://127.0.0.1:8081/transfer/upload/abc', trusted.ATOMICHOST_TRANSFER_HOSTS);
  assert.throws(
    () => parseConfig({ DISCORD_TOKEN: 'x', ATOMICHOST_TRANSFER_HOSTS: 'ftp://x, a b' }, 'bot'),
    /ATOMICHOST_TRANSFER_HOSTS "ftp:\/\/x" is neither a host suffix/,
  );
});

test('issue8 item 9: a name that resolves to a loopback address is refused at connect time', async (t) => {
  let connections = 0;
  const listener = createTcpServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  t.after(() => listener.close());
  const port = (listener.address() as AddressInfo).port;
  // `localhost` is allowed by name here, but it resolves to loopback.
  const target = transferTarget(`https://localhost:${port}/upload`, ['localhost']);
  await assert.rejects(
    request(target.url, { method: 'POST', body: 'x', dispatcher: target.dispatcher }),
    (error) => isBlockedAddress(error),
  );
  assert.equal(connections, 0, 'no connection was opened');
});

test('issue8 item 9: public and non-public addresses', () => {
  for (const address of [
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ]) {
    assert.equal(isPublicAddress(address), false, address);
  }
  for (const address of ['1.1.1.1', '93.184.216.34', '2606:4700:4700::1111']) {
    assert.equal(isPublicAddress(address), true, address);
  }
});
