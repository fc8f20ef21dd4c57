import type { AtomicHostApi, AtomicHostClient } from '../atomichost/client.js';
import { AtomicHostError, isKeyRevoked } from '../atomichost/errors.js';
import { describeAtomicHostError } from '../presenter/atomichost-text.js';
import type { Limits } from '../atomichost/limits.js';
import type { PowerSignal } from '../atomichost/schemas.js';
import type { HostFailure, HostPort, HostRead } from './ports.js';

/** The part of the key vault a watcher needs. */
export interface KeyStore {
  get(discordUserId: string): Promise<string | undefined>;
  delete(discordUserId: string): Promise<boolean>;
}

const KEY_GONE = 'The owner’s AtomicHost API key was removed or revoked.';

/** Under 10 % of today's credits left. */
export function creditsLow(limits: Limits | undefined): boolean {
  const c = limits?.credits;
  return c !== undefined && c.limit > 0 && c.remaining < c.limit * 0.1;
}

/**
 * HostPort over the real AtomicHost client with each owner's stored key. A
 * key AtomicHost calls revoked is deleted from the vault, as the commands do.
 */
export class AtomicHostPort implements HostPort {
  constructor(
    private readonly client: AtomicHostClient,
    private readonly keys: KeyStore,
    private readonly onRevoked: (ownerId: string, error: AtomicHostError) => void = () => {},
  ) {}

  async #run<T extends object>(
    ownerId: string,
    call: (api: AtomicHostApi) => Promise<{ limits: Limits } & T>,
  ): Promise<HostRead<T>> {
    let key: string | undefined;
    try {
      key = await this.keys.get(ownerId);
    } catch (error) {
      return { kind: 'unreachable', message: error instanceof Error ? error.message : 'key store failed' };
    }
    if (!key) return { kind: 'key-gone', message: KEY_GONE };
    try {
      return { kind: 'ok', ...(await call(this.client.forKey(key))) };
    } catch (error) {
      return this.#failure(ownerId, error);
    }
  }

  async #failure(ownerId: string, error: unknown): Promise<HostFailure> {
    if (!(error instanceof AtomicHostError)) {
      return { kind: 'unreachable', message: error instanceof Error ? error.message : String(error) };
    }
    if (isKeyRevoked(error)) {
      await this.keys.delete(ownerId).catch(() => false);
      this.onRevoked(ownerId, error);
      return { kind: 'key-gone', message: KEY_GONE };
    }
    if (error.status === 404) return { kind: 'gone' };
    if (error.status === 429) {
      return {
        kind: 'throttled',
        ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
        lowCredits: error.code === 'daily_credit_limit_reached',
      };
    }
    return { kind: 'unreachable', message: describeAtomicHostError(error) };
  }

  status(ownerId: string, serverId: string) {
    return this.#run(ownerId, async (api) => {
      const { data, limits } = await api.getStatus(serverId);
      return { status: data, limits };
    });
  }

  server(ownerId: string, serverId: string) {
    return this.#run(ownerId, async (api) => {
      const { data, limits } = await api.getServer(serverId);
      return { name: data.name, dueDate: data.due_date ?? null, limits };
    });
  }

  servers(ownerId: string) {
    return this.#run(ownerId, async (api) => {
      const { data, limits } = await api.listServers();
      return { servers: data, limits };
    });
  }

  power(ownerId: string, serverId: string, signal: PowerSignal) {
    return this.#run(ownerId, async (api) => ({ limits: (await api.power(serverId, signal)).limits }));
  }

  command(ownerId: string, serverId: string, line: string) {
    return this.#run(ownerId, async (api) => ({ limits: (await api.sendCommand(serverId, line)).limits }));
  }
}
