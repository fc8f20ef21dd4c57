import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, waitForAnswer } from '../helpers/e2e.js';
import type { BotProcess } from '../helpers/bot-process.js';
import { newUserId, type Embed } from '../helpers/user-side.js';
import { coinWrites } from '../helpers/rewards-rig.js';
import { consoleEmbed } from '../helpers/console.js';
import {
  alive,
  claimOnBothShards,
  DBL_SECRET,
  openConsoleStream,
  managerLines,
  onShard,
  postGrant,
  readyShards,
  shardedSkip,
  shardPid,
  startAnotherMachine,
  waitAcross,
  GRANT_TOKEN,
  startShardedRig,
  waitForShardReady,
  type ShardedRig,
} from '../helpers/sharded-rig.js';
import { openStore } from '../../src/store/database.js';
import { Ledger } from '../../src/rewards/ledger.js';
import { RewardSettings } from '../../src/rewards/settings.js';

const GRANTEES = ['420000000000000001', '420000000000000002', '420000000000000003'];

/** The embed the user sees first: an immediate reply, or the deferred reply once edited. */
async function seenOn(interaction: ReturnType<typeof onShard>): Promise<Embed> {
  await interaction.waitFor(() => {
    const first = interaction.callbacks[0];
    return first?.type === 4 || (interaction.original?.embeds?.length ?? 0) > 0;
  });
  const first = interaction.callbacks[0]!;
  return (first.type === 4 ? first.data?.embeds?.[0] : interaction.original?.embeds[0]) as Embed;
}

/** Resolves when every process writing to `bot`'s stdout (the manager and the shards it forked) has exited. */
function outputClosed(bot: BotProcess): Promise<void> {
  const stdout = bot.child.stdout!;
  if (stdout.closed) return Promise.resolve();
  return new Promise((resolve) => stdout.once('close', () => resolve()));
}

/** `/apikey set` through its modal, in the guild of `shard`. */
async function setKeyOn(rig: ShardedRig, shard: 0 | 1, userId: string, key: string): Promise<Embed> {
  const opened = onShard(rig, shard, { name: 'apikey', subcommand: 'set', userId });
  const callback = await opened.waitForCallback();
  assert.equal(callback.type, 9, '/apikey set opens a modal');
  const modal = rig.discord.modalSubmit({
    customId: String(callback.data.custom_id),
    fields: { key },
    userId,
    guildId: rig.guilds[shard].guildId,
  });
  return seenOn(modal);
}

/**
 * Issue 13 items 7 and 9: the bot run as the shard manager and 2 shard
 * processes (compiled JavaScript, plain node) on Postgres, against the fake
 * Discord with a guild on each shard.
 */
describe('the sharded bot: a manager and 2 shard processes on Postgres', { skip: shardedSkip }, () => {
  let rig: ShardedRig;
  before(async () => {
    rig = await startShardedRig();
  });
  after(async () => {
    await rig?.close();
  });

  test("issue13 item 7: SHARD_COUNT=auto takes Discord's 2; every line names its shard; /readyz and /metrics cover both shards", async () => {
    const started = rig.bot.logs.find((line) => line.msg === 'Hostlink shard manager started');
    assert.deepEqual([started?.totalShards, started?.shardIds], [2, [0, 1]]);
    assert.deepEqual(readyShards(rig), [0, 1], 'each shard process logs with its shard id');
    assert.equal(rig.discord.gatewayIdentifies(0), 1);
    assert.equal(rig.discord.gatewayIdentifies(1), 1);

    assert.equal((await fetch(`${rig.http}/healthz`)).status, 200);
    const readyz = await fetch(`${rig.http}/readyz`);
    assert.equal(readyz.status, 200);
    assert.deepEqual(await readyz.json(), { status: 'ready', discord: true, store: true, redis: true });

    for (const shard of [0, 1] as const) {
      const embed = await waitForAnswer(
        onShard(rig, shard, { name: 'panel', subcommand: 'status', roles: [ROLES.moderator] }),
      );
      assert.equal(embed.title, 'Dashboard is online', `answered on shard ${shard}`);
    }
    const metrics = await (await fetch(`${rig.http}/metrics`)).text();
    assert.match(metrics, /^hostlink_interactions_total\{command="panel",shard="0"\} 1$/m);
    assert.match(metrics, /^hostlink_interactions_total\{command="panel",shard="1"\} 1$/m);
    assert.match(metrics, /^hostlink_shard_connected\{shard="0"\} 1$/m);
    assert.match(metrics, /^hostlink_shard_connected\{shard="1"\} 1$/m);
    assert.equal(metrics.match(/^# TYPE hostlink_interactions_total counter$/gm)?.length, 1, 'one family');
  });

  test('issue13 item 9: moderator and user commands are answered on both shards, sharing one store', async () => {
    rig.heliactyl.addUser({ id: GRANTEES[0]!, coins: 40 });
    const balance = await waitForAnswer(
      onShard(rig, 1, {
        name: 'coins',
        subcommand: 'balance',
        roles: [ROLES.moderator],
        options: [{ name: 'id', type: 3, value: GRANTEES[0]! }],
      }),
    );
    assert.match(JSON.stringify(balance), /40 coins/);

    const account = rig.atomichost.addAccount({ username: 'sharded-owner' });
    rig.atomichost.addService({ name: 'Shared Rust', ownerId: account.id });
    const userId = newUserId();
    assert.equal((await setKeyOn(rig, 0, userId, account.key)).title, 'API key saved');
    // Stored by shard 0's process, read by shard 1's: the vault is in Postgres.
    const list = await seenOn(onShard(rig, 1, { name: 'server', subcommand: 'list', userId }));
    assert.equal(list.title, 'Your servers');
    assert.match(list.description ?? '', /Shared Rust/);
  });

  test('issue13 item 9: a SIGKILLed shard is respawned by the manager; no grant and no stored key is lost', async () => {
    for (const id of GRANTEES.slice(1)) rig.heliactyl.addUser({ id, coins: 10 });
    const account = rig.atomichost.addAccount({ username: 'kept-key' });
    const keeper = newUserId();
    assert.equal((await setKeyOn(rig, 1, keeper, account.key)).title, 'API key saved');

    // The first grant is held at the dashboard while shard 1 dies: the manager's worker keeps going.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atDashboard = new Promise<void>((resolve) => (reached = resolve));
    rig.heliactyl.faults.add({
      method: 'POST',
      path: '/api/v3/addcoins',
      fault: { kind: 'hold', until: released, onHeld: reached },
      times: 1,
    });
    const accepted = await Promise.all(
      GRANTEES.map((user_id, index) =>
        postGrant(rig, `kill-${index}`, { user_id, coins: 25, reason: 'e2e' }),
      ),
    );
    assert.deepEqual(
      accepted.map((response) => response.status),
      [202, 202, 202],
    );
    await atDashboard;

    const victim = shardPid(rig, 1);
    const identified = rig.discord.gatewayIdentifies(1);
    process.kill(victim, 'SIGKILL');
    await rig.discord.waitForShardDisconnected(1);
    await rig.bot.waitForLog(() => managerLines(rig, 1, 'Shard process died; starting it again').length > 0);
    const notReady = await fetch(`${rig.http}/readyz`);
    assert.equal(notReady.status, 503, '/readyz says so while shard 1 is down');
    release();

    await rig.discord.waitForShard(1, identified);
    await waitForShardReady(rig, 1, 2);
    assert.notEqual(shardPid(rig, 1), victim, 'a new process runs shard 1');
    assert.equal(alive(victim), false);
    const died = managerLines(rig, 1, 'Shard process died; starting it again');
    assert.equal(died.length, 1);
    assert.equal(died[0]!.signal, 'SIGKILL');
    assert.equal((await fetch(`${rig.http}/readyz`)).status, 200);

    // The respawned shard answers, and the key stored before the kill is still there.
    const status = await seenOn(onShard(rig, 1, { name: 'apikey', subcommand: 'status', userId: keeper }));
    assert.equal(status.title, 'Your AtomicHost API key');

    const store = await openStore(rig.env.STORE_URL!);
    try {
      const ledger = new Ledger(store.db);
      await rig.bot.waitForLog(
        () => rig.bot.logs.filter((line) => line.msg === 'Audit: grant granted').length >= GRANTEES.length,
      );
      assert.deepEqual(await ledger.countByState(), {
        queued: 0,
        sending: 0,
        granted: 3,
        failed: 0,
        unknown: 0,
      });
    } finally {
      await store.close();
    }
    for (const id of GRANTEES)
      assert.deepEqual(coinWrites(rig.heliactyl, id), ['addcoins 25'], `paid once: ${id}`);
    assert.equal(rig.heliactyl.user(GRANTEES[0]!)?.coins, 65);
  });

  test('issue13 item 7: a vote webhook to the manager is paid by its worker and thanked by DM over REST', async () => {
    const voter = '420000000000000009';
    rig.heliactyl.addUser({ id: voter, coins: 1 });
    const store = await openStore(rig.env.STORE_URL!);
    try {
      await new RewardSettings(store.db).setVoteCoins(15);
    } finally {
      await store.close();
    }
    const vote = await fetch(`${rig.http}/webhooks/dbl`, {
      method: 'POST',
      headers: { authorization: DBL_SECRET, 'content-type': 'application/json' },
      body: JSON.stringify({ id: voter, username: 'voter' }),
    });
    assert.equal(vote.status, 200);
    assert.deepEqual(await vote.json(), { status: 'queued' });
    await rig.discord.waitFor(() => rig.discord.dms(voter).length > 0);
    assert.equal(
      rig.discord.dms(voter)[0]!.content,
      'Thanks for voting! 15 coins are on their way to your dashboard account.',
    );
    await rig.bot.waitForLog((line) => line.msg === 'Audit: grant granted' && line.userId === voter);
    assert.deepEqual(coinWrites(rig.heliactyl, voter), ['addcoins 15']);
  });

  // Placeholders for features merging from other branches (helpers in test/helpers/sharded-rig.ts):
  test("issue13 item 9: a user's console streams are counted across shards: 3 open on shard 0, the 4th is refused on shard 1", async () => {
    const account = rig.atomichost.addAccount({ username: 'streamer' });
    const services = Array.from({ length: 4 }, (_, i) =>
      rig.atomichost.addService({ name: `Stream ${i}`, ownerId: account.id }),
    );
    const userId = newUserId();
    assert.equal((await setKeyOn(rig, 0, userId, account.key)).title, 'API key saved');
    for (const service of services.slice(0, 3)) {
      const opened = openConsoleStream(rig, 0, userId, String(service.id));
      await opened.waitFor(() => consoleEmbed(opened)?.title?.startsWith('Console') === true);
    }
    assert.equal(rig.atomichost.openStreams(account.id), 3);
    const streamRequests = () =>
      rig.atomichost.requests.filter((r) => r.path.endsWith('/console/stream')).length;
    const before = streamRequests();

    const refused = openConsoleStream(rig, 1, userId, String(services[3]!.id));
    await refused.waitFor(() => consoleEmbed(refused)?.title === 'Too many console streams');
    const description = consoleEmbed(refused)?.description ?? '';
    assert.match(description, /AtomicHost allows 3 console streams per account at a time/);
    assert.equal((description.match(/held by another Hostlink process/g) ?? []).length, 3);
    assert.equal(streamRequests(), before, 'the 4th was refused without asking AtomicHost');
    assert.equal(rig.atomichost.openStreams(account.id), 3);
  });

  test('issue13 item 9: the same member clicking /claim on both shards at once is paid once', async () => {
    const daily = await seenOn(
      onShard(rig, 1, {
        name: 'rewards',
        subcommand: 'daily',
        roles: [ROLES.admin],
        options: [{ name: 'coins', type: 4, value: 100 }],
      }),
    );
    assert.equal(daily.title, 'Daily reward set');
    const member = newUserId();
    rig.heliactyl.addUser({ id: member, coins: 1 });

    const replies = await Promise.all(claimOnBothShards(rig, member).map((click) => seenOn(click)));
    assert.deepEqual(replies.map((reply) => reply.title).sort(), [
      'Claimed 100 coins',
      'Nothing to claim yet',
    ]);
    await rig.bot.waitForLog((line) => line.msg === 'Audit: grant granted' && line.userId === member);
    assert.deepEqual(coinWrites(rig.heliactyl, member), ['addcoins 100']);
    const store = await openStore(rig.env.STORE_URL!);
    try {
      const grants = await new Ledger(store.db).history(member);
      assert.deepEqual(
        grants.map((grant) => [grant.source, grant.state, grant.coins]),
        [['daily', 'granted', 100]],
      );
    } finally {
      await store.close();
    }
  });

  test('issue13 item 7: SIGTERM to the manager stops every shard cleanly and exits 0', async () => {
    const pids = [shardPid(rig, 0), shardPid(rig, 1)];
    rig.bot.child.kill('SIGTERM');
    assert.equal(await rig.bot.waitForExit(15_000), 0);
    const stopped = rig.bot.logs
      .filter((line) => line.msg === 'Hostlink stopped: store closed')
      .map((l) => l.shard);
    assert.deepEqual(stopped.sort(), [0, 1], 'each shard drained and closed its store');
    assert.ok(rig.bot.logs.some((line) => String(line.msg).startsWith('Hostlink shard manager stopped')));
    assert.deepEqual(pids.map(alive), [false, false], 'no shard process is left behind');
    assert.equal(
      managerLines(rig, 0, 'Shard process died; starting it again').length,
      0,
      'nothing respawned',
    );
  });
});

/**
 * Issue 13 item 7: SHARD_IDS splits one bot across machines — here two
 * managers, one running shard 0 and one shard 1, on the same Postgres.
 */
describe('two machines splitting SHARD_IDS on one Postgres', { skip: shardedSkip }, () => {
  let rig: ShardedRig;
  let other: Awaited<ReturnType<typeof startAnotherMachine>> | undefined;
  before(async () => {
    rig = await startShardedRig({ shardIds: [0] });
    other = await startAnotherMachine(rig, [1]);
  });
  after(async () => {
    await other?.bot.stop();
    await rig?.close();
  });

  test('issue13 item 7: each machine runs only its shards; both answer; a grant sent to both managers is paid once', async () => {
    const machines = [rig, other!];
    assert.deepEqual(
      machines.map((machine) => readyShards(machine)),
      [[0], [1]],
      'SHARD_IDS=0 here, SHARD_IDS=1 there',
    );
    assert.deepEqual(
      machines.map((machine) => machine.bot.logs.filter((l) => l.msg === 'Shard process started').length),
      [1, 1],
    );
    for (const machine of machines) assert.equal((await fetch(`${machine.http}/readyz`)).status, 200);
    for (const shard of [0, 1] as const) {
      const embed = await waitForAnswer(
        onShard(rig, shard, { name: 'panel', subcommand: 'status', roles: [ROLES.moderator] }),
      );
      assert.equal(embed.title, 'Dashboard is online', `answered on shard ${shard}`);
    }

    const users = ['430000000000000001', '430000000000000002', '430000000000000003'];
    for (const id of users) rig.heliactyl.addUser({ id, coins: 5 });
    const grant = (machine: { http: string }, key: string, user_id: string) =>
      fetch(`${machine.http}/api/v1/grants`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${GRANT_TOKEN}`,
          'idempotency-key': key,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ user_id, coins: 30, reason: 'split' }),
      });
    const twice = await Promise.all(machines.map((machine) => grant(machine, 'split-same', users[0]!)));
    assert.deepEqual(twice.map((response) => response.status).sort(), [200, 202], 'one grant, found again');
    const [first, second] = (await Promise.all(twice.map((response) => response.json()))) as Array<{
      id: string;
    }>;
    assert.equal(first!.id, second!.id);
    assert.equal((await grant(rig, 'split-a', users[1]!)).status, 202);
    assert.equal((await grant(other!, 'split-b', users[2]!)).status, 202);

    const granted = (): number =>
      machines.flatMap((machine) => machine.bot.logs).filter((line) => line.msg === 'Audit: grant granted')
        .length;
    await waitAcross(machines, () => granted() >= users.length);
    for (const id of users)
      assert.deepEqual(coinWrites(rig.heliactyl, id), ['addcoins 30'], `paid once: ${id}`);

    // One machine's manager dies outright: its shard process stops itself instead of running on
    // unsupervised, and the other machine stays ready (it answers only for its own shards).
    const orphan = shardPid(other!, 1);
    other!.bot.child.kill('SIGKILL');
    await other!.bot.waitForExit();
    // The shard still writes to the pipe it inherited from its manager.
    const stopped = await other!.bot.waitForLog((line) => line.msg === 'Shutting down' && line.shard === 1);
    assert.equal(stopped.signal, 'manager gone');
    await other!.bot.waitForLog((line) => line.msg === 'Hostlink stopped: store closed' && line.shard === 1);
    await outputClosed(other!.bot);
    assert.equal(alive(orphan), false, 'the orphaned shard process exited');
    await rig.discord.waitForShardDisconnected(1);
    assert.equal((await fetch(`${rig.http}/readyz`)).status, 200);
    assert.equal(granted(), users.length, 'no grant paid twice');
  });
});
