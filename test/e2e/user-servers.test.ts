import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, type E2E } from '../helpers/e2e.js';
import type { FakeService } from '../fakes/atomichost/index.js';
import {
  CREDITS_FOOTER,
  answerConfirmation,
  bool,
  command,
  ephemeral,
  newUserId,
  seen,
  str,
  userWithKey,
} from '../helpers/user-side.js';

describe('/server: list, info, status, power and autocomplete', () => {
  let e2e: E2E;
  let owner: { userId: string; accountId: number };
  let member: { userId: string; accountId: number };
  let rust: FakeService;
  let minecraft: FakeService;
  let suspended: FakeService;
  let foreign: FakeService;

  before(async () => {
    // Upstream timeout above the autocomplete budget, so a slow lookup can finish late and fill the cache.
    e2e = await startE2E({ env: { HTTP_TIMEOUT_MS: '4000' } });
    const o = await userWithKey(e2e, 'owner');
    owner = { userId: o.userId, accountId: o.account.id };
    const m = await userWithKey(e2e, 'member');
    member = { userId: m.userId, accountId: m.account.id };
    rust = e2e.atomichost.addService({
      name: 'My Rust Server',
      ownerId: owner.accountId,
      package: { name: 'Rust 4GB' },
    });
    minecraft = e2e.atomichost.addService({
      name: 'Minecraft *SMP*',
      ownerId: owner.accountId,
      state: 'offline',
    });
    suspended = e2e.atomichost.addService({ name: 'Old one', ownerId: owner.accountId, status: 'suspended' });
    const stranger = e2e.atomichost.addAccount({ username: 'stranger' });
    foreign = e2e.atomichost.addService({ name: 'Not yours', ownerId: stranger.id });
    e2e.atomichost.share(rust.id, member.accountId, ['files']);
  });
  after(async () => {
    await e2e.close();
  });

  const calls = (since: number) => e2e.atomichost.requests.slice(since).map((r) => `${r.method} ${r.path}`);

  test('/server list shows every reachable server privately, with the credits footer', async () => {
    const before = e2e.atomichost.requests.length;
    const interaction = command(e2e, owner.userId, 'server', 'list');
    const embed = await seen(interaction);
    assert.ok(ephemeral(interaction), 'answered privately');
    assert.equal(embed.title, 'Your servers');
    const lines = embed.description!.split('\n');
    assert.equal(lines.length, 3);
    assert.match(
      lines[0]!,
      new RegExp(
        `^\\*\\*My Rust Server\\*\\* · \`#${rust.id}\` · 🟢 running · active · owner · Rust 4GB · due <t:\\d+:D>$`,
      ),
    );
    assert.match(lines[1]!, /^\*\*Minecraft \\\*SMP\\\*\*\*/, 'markdown in names is escaped');
    assert.match(embed.footer!.text, CREDITS_FOOTER);
    const [list, ...statuses] = calls(before);
    assert.equal(list, 'GET /servers');
    // One status call per listed server, for its power state.
    assert.equal(statuses.length, 3);
    assert.ok(
      statuses.every((c) => /^GET \/servers\/\d+\/status$/.test(c)),
      statuses.join(),
    );
    assert.ok(!lines.join().includes('Not yours'), 'expected to hold');
  });

  test('/server list public:true answers in the channel', async () => {
    const interaction = command(e2e, owner.userId, 'server', 'list', [bool('public', true)]);
    const embed = await seen(interaction);
    assert.equal(embed.title, 'Your servers');
    assert.ok(!ephemeral(interaction), 'answered publicly');
  });

  test('/server info shows package, role, features and permissions', async () => {
    const interaction = command(e2e, member.userId, 'server', 'info', [str('server', String(rust.id))]);
    const embed = await seen(interaction);
    assert.ok(ephemeral(interaction), 'answered privately');
    assert.equal(embed.title, 'My Rust Server');
    const fields = Object.fromEntries(embed.fields!.map((f) => [f.name, f.value]));
    assert.equal(fields['Your role'], 'member');
    assert.equal(fields.Package, 'Rust 4GB');
    assert.equal(fields['Your permissions'], 'files');
    assert.equal(fields.Features, '✅ files · ✅ backups · ✅ console');
    assert.match(embed.footer!.text, CREDITS_FOOTER);
  });

  test("another account's server is a 404 that reveals nothing", async () => {
    for (const sub of ['info', 'status'] as const) {
      const embed = await seen(
        command(e2e, owner.userId, 'server', sub, [str('server', String(foreign.id))]),
      );
      assert.equal(embed.title, 'AtomicHost error');
      assert.equal(embed.description, 'AtomicHost says: Service not found.');
    }
  });

  test('/server status shows state, suspension and readable resource figures', async () => {
    Object.assign(rust.resources, {
      memory_bytes: 1_610_612_736,
      memory_limit_bytes: 4_294_967_296,
      cpu_absolute: 42.5,
      disk_bytes: 5_368_709_120,
      network_rx_bytes: 2048,
      network_tx_bytes: 1_048_576,
      uptime: 3_723_000,
    });
    const embed = await seen(
      command(e2e, owner.userId, 'server', 'status', [str('server', String(rust.id))]),
    );
    const fields = Object.fromEntries(embed.fields!.map((f) => [f.name, f.value]));
    assert.equal(embed.title, 'Status of My Rust Server');
    assert.equal(fields.State, '🟢 running');
    assert.equal(fields.Suspended, 'no');
    assert.equal(fields.Memory, '1.50 GiB of 4.00 GiB');
    assert.equal(fields.CPU, '42.5 %');
    assert.equal(fields.Disk, '5.00 GiB of 10.0 GiB');
    assert.equal(fields.Network, '↓ 2.00 KiB · ↑ 1.00 MiB');
    assert.equal(fields.Uptime, '1 h 2 min');
    assert.match(embed.footer!.text, CREDITS_FOOTER);

    const off = await seen(
      command(e2e, owner.userId, 'server', 'status', [str('server', String(suspended.id))]),
    );
    const offFields = Object.fromEntries(off.fields!.map((f) => [f.name, f.value]));
    assert.equal(offFields.State, '🔴 offline');
    assert.equal(offFields.Suspended, '⛔ yes');
  });

  test('/server status public:true is visible to the channel', async () => {
    const interaction = command(e2e, owner.userId, 'server', 'status', [
      str('server', String(rust.id)),
      bool('public', true),
    ]);
    await seen(interaction);
    assert.ok(!ephemeral(interaction), 'answered publicly');
  });

  test('an error after a public defer is shown only to the invoker', async () => {
    e2e.atomichost.faults.add({
      fault: { kind: 'status', status: 500 },
      path: `/servers/${rust.id}/status`,
      times: 1,
    });
    const interaction = command(e2e, owner.userId, 'server', 'status', [
      str('server', String(rust.id)),
      bool('public', true),
    ]);
    await interaction.waitFor(() => interaction.followUps.length > 0);
    const followUp = interaction.followUps[0]!;
    assert.equal((followUp.flags ?? 0) & 64, 64, 'the error is ephemeral');
    assert.match(String((followUp.embeds[0] as { description?: string }).description), /refunded/);
    const deleted = e2e.discord.requests.some(
      (r) => r.method === 'DELETE' && r.path.endsWith(`/${interaction.token}/messages/@original`),
    );
    assert.ok(deleted, 'the public "thinking…" placeholder is removed');
  });

  test('a server value that is neither an id nor a known name is refused without a call', async () => {
    const before = e2e.atomichost.requests.length;
    for (const value of ['no such server', '../101', '101; DROP']) {
      const embed = await seen(command(e2e, newUserId(), 'server', 'info', [str('server', value)]));
      assert.equal(embed.title, 'Unknown server', value);
    }
    assert.equal(e2e.atomichost.requests.length, before);
  });

  test('a typed server name that the cached list knows is accepted', async () => {
    const embed = await seen(command(e2e, owner.userId, 'server', 'info', [str('server', 'my rust server')]));
    assert.equal(embed.title, 'My Rust Server');
  });

  test('power start runs at once', async () => {
    const before = e2e.atomichost.requests.length;
    const embed = await seen(
      command(e2e, owner.userId, 'server', 'power', [
        str('server', String(minecraft.id)),
        str('signal', 'start'),
      ]),
    );
    assert.equal(embed.title, 'Start signal sent');
    assert.match(embed.footer!.text, CREDITS_FOOTER);
    const sent = e2e.atomichost.requests.slice(before);
    assert.deepEqual(
      sent.map((r) => [r.method, r.path, r.body]),
      [['POST', `/servers/${minecraft.id}/power`, { signal: 'start' }]],
    );
    assert.deepEqual(minecraft.powerHistory, ['start']);
  });

  for (const signal of ['stop', 'restart', 'kill'] as const) {
    test(`power ${signal} asks first and sends nothing until confirmed`, async () => {
      const before = e2e.atomichost.requests.length;
      const question = command(e2e, owner.userId, 'server', 'power', [
        str('server', String(rust.id)),
        str('signal', signal),
      ]);
      const asked = await seen(question);
      assert.ok(ephemeral(question), 'answered privately');
      assert.match(
        asked.title!,
        new RegExp(`^${signal[0]!.toUpperCase()}${signal.slice(1)} My Rust Server\\?$`),
      );
      if (signal === 'kill') assert.match(asked.description!, /without saving/);
      assert.equal(e2e.atomichost.requests.length, before, 'nothing sent while asking');

      const { embed: refused } = await answerConfirmation(e2e, question, member.userId, 'yes');
      assert.equal(refused.title, 'Not your confirmation');
      assert.equal(e2e.atomichost.requests.length, before);

      const { embed } = await answerConfirmation(e2e, question, owner.userId, 'yes');
      assert.match(embed.title!, new RegExp(`^${signal[0]!.toUpperCase()}${signal.slice(1)} signal sent$`));
      assert.match(embed.footer!.text, CREDITS_FOOTER);
      assert.equal(rust.powerHistory.at(-1), signal);
      const sent = e2e.atomichost.requests.slice(before);
      assert.deepEqual(
        sent.map((r) => [r.method, r.path, r.body]),
        [['POST', `/servers/${rust.id}/power`, { signal }]],
      );
    });
  }

  test('power stop cancelled sends nothing', async () => {
    const history = rust.powerHistory.length;
    const question = command(e2e, owner.userId, 'server', 'power', [
      str('server', String(rust.id)),
      str('signal', 'stop'),
    ]);
    const { embed } = await answerConfirmation(e2e, question, owner.userId, 'no');
    assert.match(embed.footer!.text, /Cancelled/);
    assert.equal(rust.powerHistory.length, history);
  });

  test('a member without the console permission is told which permission is missing', async () => {
    const embed = await seen(
      command(e2e, member.userId, 'server', 'power', [
        str('server', String(rust.id)),
        str('signal', 'start'),
      ]),
    );
    assert.equal(embed.description, "You don't have the console permission on this server — ask its owner.");
  });

  test('power on a suspended server: service_inactive', async () => {
    const embed = await seen(
      command(e2e, owner.userId, 'server', 'power', [
        str('server', String(suspended.id)),
        str('signal', 'start'),
      ]),
    );
    assert.match(embed.description!, /isn't active/);
  });

  test('autocomplete lists only the caller’s servers, filters by name or id, and caches per user', async () => {
    const before = e2e.atomichost.requests.length;
    const first = e2e.discord.autocomplete({
      name: 'server',
      subcommand: 'info',
      focused: 'server',
      userId: member.userId,
    });
    const callback = await first.waitForCallback();
    assert.equal(callback.type, 8);
    assert.deepEqual(callback.data.choices, [
      { name: `My Rust Server (#${rust.id})`, value: String(rust.id) },
    ]);

    const typed = e2e.discord.autocomplete({
      name: 'server',
      subcommand: 'status',
      focused: 'server',
      options: [str('server', 'mine')],
      userId: owner.userId,
    });
    assert.deepEqual((await typed.waitForCallback()).data.choices, [
      { name: `Minecraft *SMP* (#${minecraft.id})`, value: String(minecraft.id) },
    ]);
    const byId = e2e.discord.autocomplete({
      name: 'files',
      subcommand: 'list',
      focused: 'server',
      options: [str('server', String(suspended.id))],
      userId: owner.userId,
    });
    assert.deepEqual(
      (await byId.waitForCallback()).data.choices.map((c: { value: string }) => c.value),
      [String(suspended.id)],
    );
    // The owner's list was cached by /server list above; the member's by their first lookup.
    const again = e2e.discord.autocomplete({
      name: 'server',
      subcommand: 'info',
      focused: 'server',
      userId: member.userId,
    });
    await again.waitForCallback();
    assert.deepEqual(calls(before), ['GET /servers'], 'one lookup for the member, none for the cached owner');
  });

  test('autocomplete without a key is empty and calls nothing', async () => {
    const before = e2e.atomichost.requests.length;
    const interaction = e2e.discord.autocomplete({
      name: 'server',
      subcommand: 'info',
      focused: 'server',
      userId: newUserId(),
    });
    assert.deepEqual((await interaction.waitForCallback()).data.choices, []);
    assert.equal(e2e.atomichost.requests.length, before);
  });

  test('autocomplete answers within 3 s when AtomicHost is slow, and the late answer fills the cache', async () => {
    const fresh = await userWithKey(e2e, 'slowpoke');
    e2e.atomichost.addService({ name: 'Slow Server', ownerId: fresh.account.id });
    e2e.atomichost.faults.add({
      fault: { kind: 'latency', ms: 2_700 },
      path: '/servers',
      method: 'GET',
      times: 1,
    });
    const slow = e2e.discord.autocomplete({
      name: 'server',
      subcommand: 'info',
      focused: 'server',
      userId: fresh.userId,
    });
    const callback = await slow.waitForCallback();
    // No choices: it answered without waiting for the lookup (the 3 s itself is a timing target).
    assert.deepEqual(callback.data.choices, []);
    await e2e.bot.waitForLog((line) => line.msg === 'Late autocomplete lookup landed');
    const lookups = e2e.atomichost.requests.length;
    const next = e2e.discord.autocomplete({
      name: 'server',
      subcommand: 'info',
      focused: 'server',
      userId: fresh.userId,
    });
    assert.deepEqual(
      (await next.waitForCallback()).data.choices.map((c: { name: string }) => c.name),
      [expectName(e2e, 'Slow Server')],
    );
    assert.equal(e2e.atomichost.requests.length, lookups, 'served from the cache the late lookup filled');
  });
});

function expectName(e2e: E2E, name: string): string {
  const service = [...Array(20).keys()]
    .map((i) => e2e.atomichost.service(101 + i))
    .find((s) => s?.name === name);
  return `${name} (#${service!.id})`;
}
