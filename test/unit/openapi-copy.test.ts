import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissingFileError, OPENAPI_PATH, readOpenApiDocument } from '../fakes/discord/schema-validator.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test("the fake Discord validates against a copy of Discord's schema inside the repository, with its licence", () => {
  const where = relative(ROOT, OPENAPI_PATH);
  assert.ok(!where.startsWith('..'), `the schema is read from inside the repository, not ${OPENAPI_PATH}`);
  const document = readOpenApiDocument();
  assert.ok(document.paths['/channels/{channel_id}/messages'], 'it is the Discord HTTP API document');
  const licence = join(dirname(OPENAPI_PATH), 'LICENSE');
  assert.ok(existsSync(licence), 'its MIT licence sits beside it');
  assert.match(readFileSync(licence, 'utf8'), /^MIT License\n\nCopyright \d{4} Discord/);
});

test('a missing schema fails at once with one line naming the file', () => {
  const missing = join(ROOT, 'vendor/discord-openapi/nowhere.json');
  assert.throws(
    () => readOpenApiDocument(missing),
    (error: unknown) =>
      error instanceof MissingFileError && !error.message.includes('\n') && error.message.includes(missing),
  );
});
