import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clip, clipLine, codeSpan, linkText, plain } from '../../src/text.js';
import { EMBED_LIMITS, clipMarkdown, embedLength, fitEmbeds } from '../../src/bot/embed-limits.js';
import { renderedMaskedLinks } from '../helpers/markdown.js';

test('issue8 item 8: plain() neutralises masked links, nested or escaped, and other markdown', () => {
  // The checker does see a rendered link, so the assertions below can fail.
  assert.deepEqual(renderedMaskedLinks('**[Free Nitro](https://evil.example)**'), ['https://evil.example']);
  assert.deepEqual(renderedMaskedLinks('`[a](https://x.example)`'), [], 'inside inline code nothing renders');
  for (const hostile of [
    '[Free Nitro](https://evil.example)',
    '[x[Free Nitro](https://evil.example)',
    '\\[Free Nitro](https://evil.example)',
    '[Free Nitro](<https://evil.example>)',
    '**[Free Nitro](https://evil.example)**',
  ]) {
    const text = plain(hostile, 200);
    assert.deepEqual(renderedMaskedLinks(text), [], `${hostile} → ${text}`);
    assert.deepEqual(renderedMaskedLinks(`**${text}** · \`#1\``), [], 'also inside the bold of a list line');
  }
  assert.equal(plain('# big *bold*'), '\\# big \\*bold\\*');
  // A long upstream URL plain as text is one plain link, encoded, in <…>.
  assert.equal(
    linkText('https://a.example/x [Free Nitro](https://evil.example)>'),
    '<https://a.example/x%20[Free%20Nitro](https://evil.example)%3E>',
  );
  assert.equal(linkText('not a url'), '`not a url`');
  assert.equal(plain('a\nb'), 'a b', 'one line');
});

test('issue8 item 16: text is cut before anything else runs on it, never splitting a surrogate pair', () => {
  assert.equal(clip('abcdef', 4), 'abc…');
  assert.equal(clip('abc', 4), 'abc');
  assert.equal(clip('ab😀cd', 4), 'ab…', 'the emoji is not cut in half');
  assert.equal(clipLine('x'.repeat(5000), 10), `${'x'.repeat(9)}…`);
  assert.equal(clipLine('a\r\nb', 10), 'a b');
  assert.equal(plain('['.repeat(5000), 10).length <= 20, true, 'escaping works on the cut text');
  assert.equal(codeSpan('a`b'.repeat(500), 12), '`aˋbaˋbaˋbaˋ…`');
});

test('issue8 item 16: fitEmbeds keeps every part and the total within Discord limits', () => {
  const long = 'x'.repeat(5000);
  const [embed] = fitEmbeds([
    {
      title: long,
      description: long,
      footer: { text: long },
      author: { name: long },
      fields: Array.from({ length: 30 }, (_, i) => ({ name: `${i}${long}`, value: long })),
    },
  ]);
  assert.ok(embed);
  assert.equal(embed.title!.length, EMBED_LIMITS.title);
  assert.ok(embed.description!.length <= EMBED_LIMITS.description);
  assert.ok(embed.footer!.text.length <= EMBED_LIMITS.footer);
  assert.ok(embed.author!.name.length <= EMBED_LIMITS.author);
  assert.ok(embed.fields!.length <= EMBED_LIMITS.fields);
  for (const f of embed.fields!) {
    assert.ok(f.name.length > 0 && f.name.length <= EMBED_LIMITS.fieldName);
    assert.ok(f.value.length > 0 && f.value.length <= EMBED_LIMITS.fieldValue);
  }
  assert.ok(embedLength(embed) <= EMBED_LIMITS.total, `total ${embedLength(embed)}`);
});

test('issue8 item 16: fitEmbeds leaves embeds within the limits unchanged and shares the total across embeds', () => {
  const small = { title: 'Backup', description: 'done', fields: [{ name: 'ID', value: '`abc`' }] };
  assert.deepEqual(fitEmbeds([small]), [small]);
  const big = { description: 'd'.repeat(4000) };
  const both = fitEmbeds([big, big]);
  assert.ok(both.reduce((sum, e) => sum + embedLength(e), 0) <= EMBED_LIMITS.total);
  assert.equal(both[0]!.description, big.description, 'the first embed is kept whole');
  assert.ok(both[1]!.description!.endsWith('…'), 'the last one is cut');
});

test('issue8 item 16: a code block cut to fit is closed again', () => {
  const block = `\`\`\`ansi\n${'line\n'.repeat(2000)}\`\`\``;
  const cut = clipMarkdown(block, 1024);
  assert.ok(cut.length <= 1024);
  assert.ok(cut.startsWith('```ansi\n') && cut.endsWith('…\n```'), cut.slice(-20));
  assert.equal(clipMarkdown('short', 1024), 'short');
});
