import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageSentence } from '../../src/heliactyl/page-text.js';

const page = (pre: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><pre>${pre}</pre></body></html>`;

test('issue11 item 5: an Express error page gives its headline only, never the stack trace or server paths', () => {
  assert.equal(
    pageSentence(
      page(
        'SyntaxError: Unexpected token &#39;&quot;&#39;, &quot;&quot;x&quot;&quot; is not valid JSON<br> &nbsp; &nbsp;at JSON.parse (&lt;anonymous&gt;)<br> &nbsp; &nbsp;at parse (/home/dash/node_modules/body-parser/lib/types/json.js:92:19)',
      ),
    ),
    `SyntaxError: Unexpected token '"', ""x"" is not valid JSON`,
  );
  assert.equal(
    pageSentence(page('Error: EACCES: permission denied, open &#39;/srv/heliactyl/database.sqlite&#39;')),
    "Error: EACCES: permission denied, open '[path]'",
  );
  assert.equal(
    pageSentence(page('Error: failed at C:\\dash\\app\\modules\\api.js:12:3')),
    'Error: failed at [path]',
  );
  assert.equal(pageSentence(page('Cannot GET /api/v3/nope')), 'Cannot GET /api/v3/nope', 'URL paths stay');
});

test('a bare text answer is kept as it is, cleaned of controls and clipped', () => {
  const sentence =
    'An error has occurred while attempting to update your account information and server list.';
  assert.equal(pageSentence(sentence), sentence);
  assert.equal(pageSentence(`  ${sentence}\u202e\u0007 `), sentence);
  const long = pageSentence('word '.repeat(1_000));
  assert.equal(long.length, 200);
  assert.ok(long.endsWith('…'));
});

test('a hostile size is read only as far as its start', () => {
  const huge = `<pre>Boom${'<'.repeat(5_000_000)}`;
  assert.equal(pageSentence(huge).startsWith('Boom'), true);
});
