import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCoins, formatCount, formatCpu, formatMegabytes, plural } from '../../src/moderation/format.js';
import { clip, codeSpan } from '../../src/text.js';
import { auditEmbed } from '../../src/moderation/audit.js';
import {
  activityPages,
  serverDetailPages,
  serverListPages,
  userInfoEmbed,
} from '../../src/moderation/views.js';
import { discordTarget, rawTarget } from '../../src/moderation/target.js';
import { embedCharacters } from '../fakes/discord/index.js';

test('numbers get thousands separators; coins read naturally', () => {
  assert.equal(formatCount(999_999_999_999_999), '999,999,999,999,999');
  for (const [n, shown] of [
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [-1234567, '-1,234,567'],
    [2.345, '2.35'],
    [1e21, '1,000,000,000,000,000,000,000'],
  ] as const)
    assert.equal(formatCount(n), shown, String(n));
  assert.equal(formatCoins(1500), '1,500 coins');
  assert.equal(formatCoins(1), '1 coin');
  assert.equal(formatCoins(0), '0 coins');
  assert.equal(formatCoins(null), 'coins disabled');
  assert.equal(plural(1, 'entry', 'entries'), '1 entry');
  assert.equal(plural(2, 'server'), '2 servers');
});

test('memory in MB, GB, TB; CPU in percent; 0 is unlimited for server limits', () => {
  assert.equal(formatMegabytes(512), '512 MB');
  assert.equal(formatMegabytes(1024), '1 GB');
  assert.equal(formatMegabytes(1536), '1.5 GB');
  assert.equal(formatMegabytes(10240), '10 GB');
  assert.equal(formatMegabytes(1024 * 1024 * 3), '3 TB');
  assert.equal(formatMegabytes(0), '0 MB');
  assert.equal(formatMegabytes(0, { zeroIsUnlimited: true }), 'unlimited');
  assert.equal(formatCpu(150), '150%');
  assert.equal(formatCpu(0, { zeroIsUnlimited: true }), 'unlimited');
});

test('truncate and code keep text safe and short', () => {
  assert.equal(clip('abcdef', 4), 'abc…');
  assert.equal(clip('abc', 4), 'abc');
  assert.equal(codeSpan('a`b'), '`aˋb`');
});

const info = {
  id: '410000000000000001',
  renewalBypass: true,
  package: { name: 'premium', ram: 2048, disk: 10240, cpu: 100, servers: 2 },
  extra: { ram: 1024, disk: 5120, cpu: 50, servers: 1 },
  coins: 1500,
  panelAccount: {
    id: 1,
    username: 'user123',
    email: 'user@example.com',
    firstName: null,
    lastName: null,
    rootAdmin: false,
    serverCount: 2,
  },
};

test('user info shows package + extra = total per resource', () => {
  const embed = userInfoEmbed(discordTarget('410000000000000001', 'alice'), info);
  const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
  assert.equal(embed.title, 'Dashboard account of user123 (@alice)');
  assert.equal(fields.RAM, '2 GB package + 1 GB extra = **3 GB**');
  assert.equal(fields.Disk, '10 GB package + 5 GB extra = **15 GB**');
  assert.equal(fields.CPU, '100% package + 50% extra = **150%**');
  assert.equal(fields.Servers, '2 package + 1 extra = **3**');
  assert.equal(fields.Coins, '1,500 coins');
  assert.equal(fields['Renewal bypass'], 'Yes');
  assert.equal(fields.Package, '`premium`');
  assert.match(
    fields['Pterodactyl account']!,
    /Username: `user123` \(panel id 1\)\nEmail: user@example\.com/,
  );
});

test('every list page stays within Discord embed limits', () => {
  const target = rawTarget('x'.repeat(128));
  const servers = Array.from({ length: 60 }, (_, i) => ({
    id: i,
    identifier: `abcd${String(i).padStart(4, '0')}`,
    uuid: 'u'.repeat(36),
    name: 'N'.repeat(300),
    description: 'd'.repeat(3000),
    installStatus: null,
    limits: { memory: 1024, disk: 0, cpu: 0, swap: 0, io: 500 },
    featureLimits: { databases: 1, allocations: 1, backups: 1 },
    suspended: i % 2 === 0,
    node: 1,
    allocation: 1,
    egg: 1,
  }));
  const lists = [
    serverDetailPages(target, servers),
    serverListPages(target, servers),
    activityPages(
      target,
      Array.from({ length: 100 }, (_, i) => ({
        timestamp: i % 5 ? '2025-12-31 12:44:15' : null,
        action: 'a'.repeat(2000),
      })),
      100,
    ),
  ];
  for (const list of lists) {
    assert.ok(list.pages.length > 1, 'long lists are paged');
    for (const page of list.pages) {
      assert.ok(embedCharacters(page) <= 5_900, `page of ${embedCharacters(page)} characters`);
      assert.ok((page.title ?? '').length <= 256);
      assert.ok((page.description ?? '').length <= 4096);
      assert.ok((page.fields ?? []).length <= 25);
      for (const f of page.fields ?? []) assert.ok(f.name.length <= 256 && f.value.length <= 1024);
    }
  }
  const total = lists[0]!.pages.reduce((n, p) => n + (p.fields?.length ?? 0), 0);
  assert.equal(total, 60, 'no server lost between pages');
});

test('audit embed names invoker, action, target, values, result and time', () => {
  const at = new Date('2026-01-10T12:00:00Z');
  const embed = auditEmbed(
    {
      action: 'coins add',
      invoker: { id: '190000000000000001' },
      target: { id: '410000000000000001', display: '<@410000000000000001> (`410000000000000001`)' },
      values: { amount: 1500, 'balance before': null },
      result: 'unknown',
      detail: 'The dashboard did not answer.',
    },
    at,
  );
  const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
  assert.equal(embed.title, 'Moderator action: /coins add');
  assert.equal(fields.Invoker, '<@190000000000000001> (`190000000000000001`)');
  assert.equal(fields.Values, 'amount: 1,500\nbalance before: none');
  assert.equal(fields.Result, '⚠️ Outcome unknown\nThe dashboard did not answer.');
  assert.equal(fields.Time, '<t:1768046400:F> (2026-01-10T12:00:00.000Z)');
  assert.equal(embed.timestamp, '2026-01-10T12:00:00.000Z');
});
