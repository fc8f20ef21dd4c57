import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_REMOTE_PATH_LENGTH,
  RemotePathError,
  normalizeRemotePath,
  validateRemoteName,
} from '../../src/atomichost/remote-path.js';

test('normalizeRemotePath gives the canonical absolute form', () => {
  assert.equal(normalizeRemotePath(''), '/');
  assert.equal(normalizeRemotePath('/'), '/');
  assert.equal(normalizeRemotePath('server.properties'), '/server.properties');
  assert.equal(normalizeRemotePath('//plugins///Essentials//'), '/plugins/Essentials');
  assert.equal(normalizeRemotePath('/./plugins/./a.jar'), '/plugins/a.jar');
  assert.equal(normalizeRemotePath('  /world/level.dat  '), '/world/level.dat');
  assert.equal(normalizeRemotePath('/my files/…/a..b/...'), '/my files/…/a..b/...');
});

test('normalizeRemotePath refuses parent segments in every disguise', () => {
  for (const path of [
    '..',
    '/..',
    '/plugins/../../etc/passwd',
    'a/..',
    '/a/%2e%2e/b',
    '/a/%2E./b',
    '/a/．．/b', // full-width dots become ".." under NFKC
    '/a/ .. /b',
  ]) {
    assert.throws(() => normalizeRemotePath(path), RemotePathError, path);
  }
  assert.throws(() => normalizeRemotePath('/a/../b'), /`\.\.` isn't allowed/);
});

test('normalizeRemotePath refuses backslashes, encoded slashes and control characters', () => {
  for (const path of [
    '..\\..\\windows',
    '\\etc\\passwd',
    '/a\\b',
    '/a/%2f/b',
    '/a/%5C',
    '/a\0b',
    '/a\nb',
    '/a\u007fb',
  ]) {
    assert.throws(() => normalizeRemotePath(path), RemotePathError, JSON.stringify(path));
  }
});

test('normalizeRemotePath refuses absurd lengths', () => {
  assert.throws(() => normalizeRemotePath(`/${'a'.repeat(MAX_REMOTE_PATH_LENGTH)}`), /too long/);
  assert.throws(() => normalizeRemotePath(`/${'a'.repeat(256)}/b`), /longer than 255/);
  assert.equal(normalizeRemotePath(`/${'a'.repeat(255)}`), `/${'a'.repeat(255)}`);
});

test('validateRemoteName takes one plain name', () => {
  assert.equal(validateRemoteName(' plugins '), 'plugins');
  assert.throws(() => validateRemoteName('a/b'), RemotePathError);
  assert.throws(() => validateRemoteName('..'), RemotePathError);
  assert.throws(() => validateRemoteName(''), RemotePathError);
  assert.throws(() => validateRemoteName('.'), RemotePathError);
});
