import { randomUUID } from 'node:crypto';

/**
 * In-memory model of what the dashboard keeps in its key-value store
 * (`users-<id>`, `coins-<id>`, `package-<id>`, `extra-<id>`, `renewbypass-<id>`,
 * `ban-<id>`) plus the Pterodactyl account it mirrors and its activity log.
 */

export interface Resources {
  ram: number;
  disk: number;
  cpu: number;
  servers: number;
}

/** Upper bound the dashboard accepts for coins and resource values. */
export const MAX_AMOUNT = 999_999_999_999_999;

export const ZERO_RESOURCES: Resources = { ram: 0, disk: 0, cpu: 0, servers: 0 };

export interface Interaction {
  timestamp: string | null;
  action: string;
}

export interface FakeServerInput {
  name: string;
  /** Pterodactyl's numeric server id; the next free one unless given. */
  id?: number;
  uuid?: string;
  identifier?: string;
  description?: string;
  /** Pterodactyl install status; `null` (installed) unless given. */
  status?: string | null;
  suspended?: boolean;
  limits?: Partial<{ memory: number; swap: number; disk: number; io: number; cpu: number }>;
  featureLimits?: Partial<{ databases: number; allocations: number; backups: number }>;
  node?: number;
  allocation?: number;
  egg?: number;
}

/** A server as Pterodactyl's application API returns it. */
export interface PterodactylServer {
  object: 'server';
  attributes: {
    id: number;
    external_id: string | null;
    uuid: string;
    identifier: string;
    name: string;
    description: string;
    status: string | null;
    suspended: boolean;
    limits: {
      memory: number;
      swap: number;
      disk: number;
      io: number;
      cpu: number;
      threads: null;
      oom_disabled: boolean;
    };
    feature_limits: { databases: number; allocations: number; backups: number };
    user: number;
    node: number;
    allocation: number;
    nest: number;
    egg: number;
    created_at: string;
    updated_at: string;
  };
}

/** A user as Pterodactyl's application API returns it (with `?include=servers`). */
export interface PterodactylUser {
  object: 'user';
  attributes: {
    id: number;
    external_id: string | null;
    uuid: string;
    username: string;
    email: string;
    first_name: string;
    last_name: string;
    language: string;
    root_admin: boolean;
    '2fa': boolean;
    created_at: string;
    updated_at: string;
    relationships: { servers: { object: 'list'; data: PterodactylServer[] } };
  };
}

/**
 * How the user's Pterodactyl account answers the dashboard: `missing` is a
 * panel 404 (the account was deleted), `error` a panel 500, `hang` a panel
 * that never answers.
 */
export type PanelState = 'ok' | 'missing' | 'error' | 'hang';

export interface FakeHeliactylUser {
  readonly id: string;
  /** False reproduces a dashboard with coins disabled: userinfo answers `coins: null`. */
  coinsEnabled: boolean;
  /**
   * The `coins-<id>` record; undefined when there is none (new user, or after
   * setcoins 0); null after an addcoins on a missing record stored `undefined + n`.
   */
  coins: number | null | undefined;
  /** The `package-<id>` record; undefined means the default package. */
  package: string | undefined;
  /** The `extra-<id>` record. */
  extra: Resources | undefined;
  renewalBypass: boolean;
  /** Stored exactly as the ban request gave them (the API does not validate them). */
  ban: { reason: unknown; expiration: unknown } | undefined;
  panel: PanelState;
  pterodactyl: PterodactylUser;
}

export interface AddUserInput {
  id: string;
  /** A number (0 too) creates the balance record; null → coins disabled; undefined → no balance record. */
  coins?: number | null;
  package?: string;
  extra?: Partial<Resources>;
  renewalBypass?: boolean;
  username?: string;
  email?: string;
  servers?: FakeServerInput[];
  /** Appended to the dashboard's activity log. */
  interactions?: Interaction[];
  /** The Pterodactyl user id the dashboard's `users-<id>` record points to; the next free one unless given. */
  panelId?: number;
  /** How the panel answers for this account; 'ok' unless given. */
  panel?: PanelState;
}

const CREATED_AT = '2025-01-01T00:00:00+00:00';

export class HeliactylState {
  readonly users = new Map<string, FakeHeliactylUser>();
  readonly packages = new Map<string, Resources>([
    ['default', { ram: 2048, disk: 10240, cpu: 100, servers: 2 }],
    ['premium', { ram: 8192, disk: 40960, cpu: 400, servers: 6 }],
  ]);
  /** The dashboard's activity log, oldest first; userinteractions greps it. */
  readonly log: Interaction[] = [];
  #nextPanelUserId = 1;
  #nextServerId = 1;

  addUser(input: AddUserInput): FakeHeliactylUser {
    const panelId = input.panelId ?? this.#nextPanelUserId++;
    this.#nextPanelUserId = Math.max(this.#nextPanelUserId, panelId + 1);
    const username = input.username ?? `user${panelId}`;
    const servers = (input.servers ?? []).map((server) => this.#server(server, panelId));
    const user: FakeHeliactylUser = {
      id: input.id,
      coinsEnabled: input.coins !== null,
      coins: typeof input.coins === 'number' ? input.coins : undefined,
      package: input.package,
      extra: input.extra ? { ...ZERO_RESOURCES, ...input.extra } : undefined,
      renewalBypass: input.renewalBypass ?? false,
      ban: undefined,
      panel: input.panel ?? 'ok',
      pterodactyl: {
        object: 'user',
        attributes: {
          id: panelId,
          external_id: null,
          uuid: randomUUID(),
          username,
          email: input.email ?? `${username}@example.com`,
          first_name: username,
          last_name: 'Example',
          language: 'en',
          root_admin: false,
          '2fa': false,
          created_at: CREATED_AT,
          updated_at: CREATED_AT,
          relationships: { servers: { object: 'list', data: servers } },
        },
      },
    };
    this.users.set(user.id, user);
    this.log.push(...(input.interactions ?? []));
    return user;
  }

  #server(input: FakeServerInput, owner: number): PterodactylServer {
    const id = input.id ?? this.#nextServerId++;
    this.#nextServerId = Math.max(this.#nextServerId, id + 1);
    const uuid = input.uuid ?? randomUUID();
    return {
      object: 'server',
      attributes: {
        id,
        external_id: null,
        uuid,
        identifier: input.identifier ?? uuid.slice(0, 8),
        name: input.name,
        description: input.description ?? '',
        status: input.status === undefined ? null : input.status,
        suspended: input.suspended ?? false,
        limits: {
          memory: 1024,
          swap: 0,
          disk: 5120,
          io: 500,
          cpu: 100,
          ...input.limits,
          threads: null,
          oom_disabled: true,
        },
        feature_limits: { databases: 0, allocations: 1, backups: 0, ...input.featureLimits },
        user: owner,
        node: input.node ?? 1,
        allocation: input.allocation ?? id,
        nest: 1,
        egg: input.egg ?? 1,
        created_at: CREATED_AT,
        updated_at: CREATED_AT,
      },
    };
  }
}
