import { randomBytes } from 'node:crypto';
import { FileTree } from './files.js';
import { nextUtcMidnight } from './limits.js';

/** In-memory accounts, keys and services of the fake AtomicHost. */

export type Permission = 'console' | 'files' | 'backups';
export const ALL_PERMISSIONS: readonly Permission[] = ['console', 'files', 'backups'];
export type ServiceStatus = 'active' | 'suspended' | 'pending' | 'cancelled' | 'terminated';
export type PowerState = 'running' | 'offline' | 'starting' | 'stopping';
export type PowerSignal = 'start' | 'stop' | 'restart' | 'kill';
export const POWER_SIGNALS: readonly PowerSignal[] = ['start', 'stop', 'restart', 'kill'];
export type Role = 'owner' | 'admin' | 'member';

export interface FakeAccount {
  readonly id: number;
  username: string;
  email: string;
  /** Administrators reach every service with every permission (role `admin`). */
  admin: boolean;
  banned: boolean;
  /** The one active key; '' after a ban until `regenerateKey`. */
  key: string;
  keyName: string;
  keyCreatedAt: Date;
  keyLastUsedAt: Date | null;
  creditLimit: number;
  creditsUsed: number;
  creditsResetAt: Date;
}

export interface FakeBackup {
  uuid: string;
  name: string;
  ignored_files: string[];
  bytes: number;
  checksum: string | null;
  is_successful: boolean;
  is_locked: boolean;
  created_at: string;
  completed_at: string | null;
}

export interface ServiceResources {
  memory_bytes: number;
  memory_limit_bytes: number;
  cpu_absolute: number;
  disk_bytes: number;
  disk_limit_bytes: number;
  network_rx_bytes: number;
  network_tx_bytes: number;
  uptime: number;
}

export interface FakeService {
  readonly id: number;
  name: string;
  ownerId: number;
  status: ServiceStatus;
  service: string;
  package: { id: number; name: string };
  state: PowerState;
  features: { files: boolean; backups: boolean; console: boolean };
  /** When true every backend-touching endpoint answers 502 backend_unavailable. */
  backendDown: boolean;
  createdAt: Date;
  dueDate: Date | null;
  /** Members and the permissions their owner granted. */
  members: Map<number, Set<Permission>>;
  files: FileTree;
  backups: FakeBackup[];
  /** Most backups the package allows; creating one more is refused with 422. */
  backupLimit: number;
  powerHistory: PowerSignal[];
  commands: string[];
  resources: ServiceResources;
}

export interface AddServiceInput {
  name: string;
  ownerId: number;
  status?: ServiceStatus;
  service?: string;
  package?: { id?: number; name?: string };
  state?: PowerState;
  features?: { files?: boolean; backups?: boolean; console?: boolean };
  files?: Record<string, string | Buffer>;
  backupLimit?: number;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh key in the documented format: `ah_` + 52 alphanumerics. */
export function generateKey(): string {
  const bytes = randomBytes(52);
  let body = '';
  for (const byte of bytes) body += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  return `ah_${body}`;
}

export const KEY_FORMAT = /^ah_[A-Za-z0-9]{52}$/;

interface KeyRecord {
  accountId: number;
  active: boolean;
}

export class FakeState {
  readonly accounts = new Map<number, FakeAccount>();
  readonly services = new Map<number, FakeService>();
  /** Every key ever issued: revoked ones stay so a banned account's old key answers 403. */
  readonly #keys = new Map<string, KeyRecord>();
  #nextAccountId = 42;
  #nextServiceId = 101;

  constructor(private readonly dailyCredits: number) {}

  addAccount(input: { username: string; email?: string; banned?: boolean; admin?: boolean }): FakeAccount {
    const id = this.#nextAccountId++;
    const key = generateKey();
    const account: FakeAccount = {
      id,
      username: input.username,
      email: input.email ?? `${input.username}@example.com`,
      admin: input.admin ?? false,
      banned: input.banned ?? false,
      key,
      keyName: 'My Key',
      keyCreatedAt: new Date(),
      keyLastUsedAt: null,
      creditLimit: this.dailyCredits,
      creditsUsed: 0,
      creditsResetAt: nextUtcMidnight(new Date()),
    };
    this.accounts.set(id, account);
    this.#keys.set(key, { accountId: id, active: true });
    return account;
  }

  /** Issues a new key; the previous one stops working at once. */
  regenerateKey(accountId: number): string {
    const account = this.#account(accountId);
    this.revokeKeys(accountId);
    account.key = generateKey();
    account.keyCreatedAt = new Date();
    account.keyLastUsedAt = null;
    this.#keys.set(account.key, { accountId, active: true });
    return account.key;
  }

  revokeKeys(accountId: number): void {
    for (const record of this.#keys.values()) if (record.accountId === accountId) record.active = false;
    this.#account(accountId).key = '';
  }

  /** Resolves a presented key: the account, or why it is refused. */
  lookupKey(key: string): { account: FakeAccount } | { refused: 'invalid_key' | 'account_banned' } {
    const record = KEY_FORMAT.test(key) ? this.#keys.get(key) : undefined;
    const account = record ? this.accounts.get(record.accountId) : undefined;
    if (!record || !account) return { refused: 'invalid_key' };
    if (account.banned) return { refused: 'account_banned' };
    if (!record.active) return { refused: 'invalid_key' };
    return { account };
  }

  addService(input: AddServiceInput): FakeService {
    this.#account(input.ownerId);
    const id = this.#nextServiceId++;
    const now = new Date();
    const service: FakeService = {
      id,
      name: input.name,
      ownerId: input.ownerId,
      status: input.status ?? 'active',
      service: input.service ?? 'pterodactyl',
      package: { id: input.package?.id ?? 5, name: input.package?.name ?? 'Starter 2GB' },
      state: input.state ?? 'running',
      features: { files: true, backups: true, console: true, ...input.features },
      backendDown: false,
      createdAt: now,
      dueDate: new Date(now.getTime() + 30 * 86_400_000),
      members: new Map(),
      files: new FileTree(input.files),
      backups: [],
      backupLimit: input.backupLimit ?? 5,
      powerHistory: [],
      commands: [],
      resources: {
        memory_bytes: 1_073_741_824,
        memory_limit_bytes: 2_147_483_648,
        cpu_absolute: 42.5,
        disk_bytes: 5_368_709_120,
        disk_limit_bytes: 10_737_418_240,
        network_rx_bytes: 0,
        network_tx_bytes: 0,
        uptime: 0,
      },
    };
    this.services.set(id, service);
    return service;
  }

  share(serviceId: number, memberId: number, permissions: readonly Permission[]): void {
    this.#account(memberId);
    this.#service(serviceId).members.set(memberId, new Set(permissions));
  }

  /** How the account relates to the service, or undefined when it cannot reach it (→ 404). */
  roleOf(account: FakeAccount, service: FakeService): Role | undefined {
    if (service.ownerId === account.id) return 'owner';
    if (account.admin) return 'admin';
    if (service.members.has(account.id)) return 'member';
    return undefined;
  }

  permissionsOf(account: FakeAccount, service: FakeService): Permission[] {
    const role = this.roleOf(account, service);
    if (role === 'owner' || role === 'admin') return [...ALL_PERMISSIONS];
    return [...(service.members.get(account.id) ?? [])];
  }

  reachableServices(account: FakeAccount): FakeService[] {
    return [...this.services.values()].filter((s) => this.roleOf(account, s) !== undefined);
  }

  #account(id: number): FakeAccount {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`FakeAtomicHost: no account ${id}`);
    return account;
  }

  #service(id: number): FakeService {
    const service = this.services.get(id);
    if (!service) throw new Error(`FakeAtomicHost: no service ${id}`);
    return service;
  }
}
