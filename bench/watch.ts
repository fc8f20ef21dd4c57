/**
 * Server watch at scale: 500 watched servers in one process, each with one
 * panel (5 min interval, an alert role), against the fake AtomicHost and the
 * fake Discord (per-route rate limiter on: 5 requests per 5 s per channel
 * route, like Discord's message limits), on a manual clock driven through
 * 1 h of simulated time in 30 s steps (plus one interval, so the last
 * changes are seen). Watches are confirmed in 10 waves over the first 5 min.
 *
 *   npm run bench -- watch [--servers 500] [--channels 50] [--interval-min 5] [--processes 1]
 *
 * With `--processes N`, N watch processes share the one store (each its own
 * connection) and the watches are confirmed round-robin among them: the
 * store's leases must still give each server exactly one poller.
 *
 * Every 5 min (half-way between checks) 10 % of the servers change something
 * the panel shows — half flip running ↔ offline, half change CPU — so each
 * change must produce exactly one edit at the next check, and each flip one
 * alert. Measured:
 * - AtomicHost requests per server per hour (status checks and the daily
 *   due-date read) against the ideal 60 / interval checks;
 * - panel edits sent against changes made, alerts against flips;
 * - 429s served by the fake Discord (target 0);
 * - CPU (user + system, this process: the watch parts and both fakes) and
 *   RSS at the end.
 */
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { AtomicHostClient } from '../src/atomichost/client.js';
import { AtomicHostPort } from '../src/watch/host.js';
import { prepareWatch } from '../src/watch/prepare.js';
import { startWatchRig, type WatchProcess } from '../test/helpers/watch-rig.js';
import type { FakeService } from '../test/fakes/atomichost/index.js';
import { printTable, round, writeResult } from './stats.js';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '500' },
    channels: { type: 'string', default: '50' },
    'interval-min': { type: 'string', default: '5' },
    processes: { type: 'string', default: '1' },
  },
});
const SERVERS = Number(values.servers);
const CHANNELS = Number(values.channels);
const INTERVAL_MS = Number(values['interval-min']) * 60_000;
const PROCESSES = Number(values.processes);
const HOUR = 3_600_000;
const STEP = 30_000;
const ROLE = '500000000000000001';

const cleanups: Array<() => Promise<void>> = [];
const rig = await startWatchRig(
  { after: (fn) => void cleanups.push(fn) },
  {
    discord: { rateLimit: { perRoute: { limit: 5, windowMs: 5000 } }, recordRequests: false },
    logLevel: 'warn',
  },
);
const channels = Array.from({ length: CHANNELS }, (_, i) => rig.discord.addTextChannel(`status-${i}`));
const procs: WatchProcess[] = [];
for (let i = 0; i < PROCESSES; i += 1) procs.push(await rig.startProcess());
const all = {
  settled: async () => {
    await Promise.all(procs.map((p) => p.settled()));
  },
};
const client = new AtomicHostClient({ baseUrl: rig.atomichost.url, timeoutMs: 10_000 });
const host = new AtomicHostPort(client, rig.vault);

const services: FakeService[] = [];
const panelIds = new Set<string>();
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
const requestsAtStart = rig.atomichost.requests.length;

// Watches are confirmed over the first interval, in 10 waves 30 s apart (as users would, not all in
// the same millisecond), each wave 25 at a time.
const WAVES = 10;
const perWave = Math.ceil(SERVERS / WAVES);
async function addWatch(n: number): Promise<void> {
  const { account, userId } = await rig.owner(`owner${n}`);
  const service = rig.atomichost.addService({ name: `Server ${n}`, ownerId: account.id });
  services[n] = service;
  const asked = await prepareWatch(host, userId, String(service.id), INTERVAL_MS);
  assert.ok(asked.ok);
  const outcome = await procs[n % PROCESSES]!.manager.watch({
    ownerId: userId,
    serverId: String(service.id),
    serverName: asked.prepared.serverName,
    dueDate: asked.prepared.dueDate,
    guildId: rig.discord.guildId,
    channelId: channels[n % CHANNELS]!.id,
    intervalMs: INTERVAL_MS,
    alertRoleId: ROLE,
  });
  assert.ok(outcome.ok, `panel ${n} posted`);
  panelIds.add(outcome.panel.messageId!);
}

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
let changes = 0;
let flips = 0;
let requestsInHour = 0;
let created = 0;
for (let t = 0; t <= HOUR + INTERVAL_MS; t += STEP) {
  if (t > 0) {
    await rig.clock.advance(STEP);
    await all.settled();
  }
  if (created < SERVERS && t % STEP === 0) {
    const wave = Array.from({ length: Math.min(perWave, SERVERS - created) }, (_, i) => created + i);
    for (let i = 0; i < wave.length; i += 25) await Promise.all(wave.slice(i, i + 25).map(addWatch));
    created += wave.length;
  }
  if (t === HOUR - STEP) requestsInHour = rig.atomichost.requests.length - requestsAtStart;
  // Changes half-way between two checks of the first wave, during the hour only.
  if (t % INTERVAL_MS === INTERVAL_MS / 2 && t < HOUR) {
    for (const [n, service] of services.entries()) {
      if (random() >= 0.1) continue;
      changes += 1;
      if (n % 2 === 0) {
        service.state = service.state === 'running' ? 'offline' : 'running';
        flips += 1;
      } else {
        // A shown change: the CPU moves by at least 1 % (the panel shows one decimal).
        service.resources.cpu_absolute =
          (service.resources.cpu_absolute + 1 + Math.round(random() * 500) / 10) % 100;
      }
    }
  }
}
await all.settled();

const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
const wallMs = performance.now() - wallStart;
const edits = rig.discord.channelEdits.filter((e) => panelIds.has(e.messageId)).length;
const alerts = channels.flatMap((c) => rig.discord.channelMessages(c.id)).filter((m) => m.content).length;
const statusChecks = rig.atomichost.requests
  .slice(requestsAtStart)
  .filter((r) => r.path.endsWith('/status')).length;
const perServerHour = requestsInHour / SERVERS;
const ideal = HOUR / INTERVAL_MS;
const result = {
  servers: SERVERS,
  channels: CHANNELS,
  processes: PROCESSES,
  pollers: procs.reduce((sum, p) => sum + p.manager.pollerCount, 0),
  intervalMin: INTERVAL_MS / 60_000,
  requestsPerServerHour: round(perServerHour),
  idealChecksPerServerHour: ideal,
  statusChecks,
  changesMade: changes,
  editsSent: edits,
  flips,
  alertsSent: alerts,
  discord429s: rig.discord.rateLimitHits,
  cpuMs: Math.round(cpuMs),
  cpuMsPerCheck: round(cpuMs / statusChecks, 3),
  wallMs: Math.round(wallMs),
  rssMiB: round(process.memoryUsage().rss / 1024 / 1024, 1),
};
printTable(
  `bench/watch: ${SERVERS} servers, ${INTERVAL_MS / 60_000} min interval, 1 h simulated, ${PROCESSES} process(es)`,
  [
    ['pollers (all processes)', result.pollers],
    [
      'AtomicHost requests / server / h',
      `${result.requestsPerServerHour} (ideal ${ideal} checks + 1 due-date read a day)`,
    ],
    ['panel edits sent / changes made', `${edits} / ${changes}`],
    ['alerts sent / state flips', `${alerts} / ${flips}`],
    ['Discord 429s', result.discord429s],
    ['CPU (whole process, incl. fakes)', `${result.cpuMs} ms (${result.cpuMsPerCheck} ms per check)`],
    ['wall time', `${result.wallMs} ms`],
    ['RSS at end', `${result.rssMiB} MiB`],
  ],
);
console.log(`\nwritten to ${writeResult('watch', result)}`);

await client.close();
for (const cleanup of cleanups) await cleanup();
assert.ok(perServerHour <= ideal + 1, 'no more than one check per interval plus the due-date read');
assert.equal(edits, changes, 'one edit per change, none without one');
assert.equal(alerts, flips, 'one alert per transition');
assert.equal(result.discord429s, 0, 'no Discord 429s');
assert.equal(result.pollers, SERVERS, 'one poller per server across the processes');
