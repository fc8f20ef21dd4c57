import { FakeDiscord } from '../discord/index.js';
import { FakeHeliactyl } from '../heliactyl.js';
import { FakeAtomicHost, type FakeAccount, type FakeService } from '../atomichost/index.js';

/**
 * The sample world of `npm run fakes` and `npm run demo`: the three fakes on
 * 127.0.0.1, four people with their roles, their dashboard accounts and
 * AtomicHost accounts with a few game servers.
 */

export const ADMIN_ROLE = '900000000000000001';
export const MODERATOR_ROLE = '900000000000000002';
export const DASHBOARD_KEY = 'hl_dev_admin_key_change_me';

export type PersonName = 'admin' | 'moderator' | 'member' | 'other';

export interface Person {
  name: PersonName;
  /** Discord user id, also the id of their dashboard account. */
  userId: string;
  username: string;
  roles: string[];
  /** Their AtomicHost account, whose key they link with /apikey set. */
  account: FakeAccount;
  describe: string;
}

export interface Sandbox {
  discord: FakeDiscord;
  heliactyl: FakeHeliactyl;
  atomichost: FakeAtomicHost;
  people: Record<PersonName, Person>;
  /** The sample game servers (every one of them, running or not). */
  services: FakeService[];
  auditChannelId: string;
  /** What the bot needs to reach the fakes (the `.env` of `npm run fakes`). */
  botEnv: Record<string, string>;
  close(): Promise<void>;
}

export async function startSandbox(): Promise<Sandbox> {
  const [discord, heliactyl, atomichost] = await Promise.all([
    // No 3 s deadline: a bot paused in a debugger should still answer (the tests hold it to the deadline).
    // No request log: a sandbox may run for hours and never reads it.
    FakeDiscord.start({ callbackDeadlineMs: Infinity, recordRequests: false }),
    FakeHeliactyl.start({ apiKey: DASHBOARD_KEY, rateLimit: { limit: 100_000, windowMs: 600_000 } }),
    FakeAtomicHost.start(),
  ]);
  const accounts = {
    steve: atomichost.addAccount({ username: 'steve', email: 'steve@example.com' }),
    mia: atomichost.addAccount({ username: 'mia', email: 'mia@example.com' }),
    alex: atomichost.addAccount({ username: 'alex', email: 'alex@example.com' }),
    sam: atomichost.addAccount({ username: 'sam', email: 'sam@example.com' }),
  };
  const people: Record<PersonName, Person> = {
    admin: person('admin', '100000000000000001', 'steve', [ADMIN_ROLE], accounts.steve, 'an admin'),
    moderator: person(
      'moderator',
      '100000000000000002',
      'mia',
      [MODERATOR_ROLE],
      accounts.mia,
      'a moderator',
    ),
    member: person('member', '100000000000000003', 'alex', [], accounts.alex, 'a member without roles'),
    other: person('other', '100000000000000004', 'sam', [], accounts.sam, 'another member without roles'),
  };
  for (const p of Object.values(people)) discord.addUser(p.userId, p.username);
  seedDashboard(heliactyl, people);
  const services = seedServers(atomichost, accounts);
  const auditChannelId = discord.addTextChannel('audit-log').id;

  const botEnv: Record<string, string> = {
    DISCORD_TOKEN: discord.botToken,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_GUILD_ID: discord.guildId,
    DISCORD_API_URL: discord.apiUrl,
    HELIACTYL_URL: heliactyl.url,
    HELIACTYL_API_KEY: DASHBOARD_KEY,
    ATOMICHOST_API_URL: atomichost.url,
    ADMIN_ROLE_IDS: ADMIN_ROLE,
    MODERATOR_ROLE_IDS: MODERATOR_ROLE,
    AUDIT_CHANNEL_ID: auditChannelId,
  };
  return {
    discord,
    heliactyl,
    atomichost,
    people,
    services,
    auditChannelId,
    botEnv,
    async close() {
      await Promise.allSettled([discord.close(), heliactyl.close(), atomichost.close()]);
    },
  };
}

function person(
  name: PersonName,
  userId: string,
  username: string,
  roles: string[],
  account: FakeAccount,
  describe: string,
): Person {
  return { name, userId, username, roles, account, describe };
}

function seedDashboard(heliactyl: FakeHeliactyl, people: Record<PersonName, Person>): void {
  heliactyl.addUser({
    id: people.admin.userId,
    coins: 1500,
    package: 'premium',
    extra: { ram: 1024, disk: 5120, cpu: 50, servers: 1 },
    username: 'steve',
    email: 'steve@example.com',
    interactions: [{ timestamp: '2026-11-01 12:00:00', action: 'User steve (100000000000000001) logged in' }],
  });
  heliactyl.addUser({ id: people.moderator.userId, coins: 300, username: 'mia', email: 'mia@example.com' });
  heliactyl.addUser({
    id: people.member.userId,
    coins: 40,
    package: 'default',
    username: 'alex',
    email: 'alex@example.com',
    interactions: [{ timestamp: '2026-11-02 18:30:00', action: 'User alex (100000000000000003) logged in' }],
  });
  heliactyl.addUser({ id: people.other.userId, username: 'sam', email: 'sam@example.com' });
}

function seedServers(atomichost: FakeAtomicHost, accounts: Record<string, FakeAccount>): FakeService[] {
  const files = {
    '/server.properties': 'motd=Hello from the fake\nmax-players=20\n',
    '/logs/latest.log': '[INFO] Done\n',
    '/plugins/README.txt': 'Drop plugin jars here.\n',
  };
  const steve = accounts.steve!.id;
  const alex = accounts.alex!.id;
  return [
    atomichost.addService({ name: 'Survival SMP', ownerId: steve, state: 'running', files }),
    atomichost.addService({ name: 'Creative Build', ownerId: steve, state: 'running', files }),
    atomichost.addService({
      name: 'Lobby Proxy',
      ownerId: steve,
      state: 'offline',
      package: { name: 'Starter 1GB' },
    }),
    atomichost.addService({ name: "Alex's Skyblock", ownerId: alex, state: 'running', files }),
  ];
}
