import { reachBackend, requireString, resolveService, type Route } from './context.js';
import { ApiFailure, invalid } from './respond.js';
import { creditsRemaining, formatTimestamp } from './limits.js';
import {
  POWER_SIGNALS,
  type FakeAccount,
  type FakeService,
  type FakeState,
  type PowerSignal,
} from './state.js';

/**
 * Account, service, power and console routes.
 *
 * Shapes where the spec is silent:
 * - `GET /servers/{id}` → the `/servers` list item plus `features`
 *   `{ files, backups, console }` and `permissions` (what the caller may do).
 * - `GET /servers/{id}/status` also gives memory_limit_bytes, disk_limit_bytes, network_rx_bytes,
 *   network_tx_bytes and uptime (ms) in `resources`; it needs no permission,
 *   works on suspended services (`is_suspended: true`, state `offline`).
 * - `POST .../console/command` takes a non-empty `command` of at most 1000 characters.
 * - service_inactive and feature_unavailable answer 403.
 */

function summary(state: FakeState, account: FakeAccount, service: FakeService): Record<string, unknown> {
  return {
    id: service.id,
    name: service.name,
    status: service.status,
    service: service.service,
    package: { ...service.package },
    role: state.roleOf(account, service),
    created_at: formatTimestamp(service.createdAt),
    due_date: service.dueDate ? formatTimestamp(service.dueDate) : null,
  };
}

const POWER_RESULT: Record<PowerSignal, FakeService['state']> = {
  start: 'running',
  stop: 'offline',
  restart: 'running',
  kill: 'offline',
};

export const serverRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/me$/,
    cost: 1,
    handle: ({ account }) => ({
      status: 200,
      data: {
        user: { id: account.id, username: account.username, email: account.email },
        api_key: {
          name: account.keyName,
          prefix: account.key.slice(0, 11),
          created_at: formatTimestamp(account.keyCreatedAt),
          last_used_at: account.keyLastUsedAt ? formatTimestamp(account.keyLastUsedAt) : null,
        },
        credits: {
          limit: account.creditLimit,
          used: account.creditsUsed,
          remaining: creditsRemaining(account),
          reset_at: formatTimestamp(account.creditsResetAt),
          reset_timezone: 'UTC',
        },
      },
    }),
  },
  {
    method: 'GET',
    pattern: /^\/servers$/,
    cost: 1,
    handle: ({ account }, { state }) => ({
      status: 200,
      data: state.reachableServices(account).map((s) => summary(state, account, s)),
    }),
  },
  {
    method: 'GET',
    pattern: /^\/servers\/([^/]+)$/,
    cost: 1,
    handle: (ctx, deps) => {
      const service = resolveService(ctx, deps);
      return {
        status: 200,
        data: {
          ...summary(deps.state, ctx.account, service),
          features: { ...service.features },
          permissions: deps.state.permissionsOf(ctx.account, service),
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^\/servers\/([^/]+)\/status$/,
    cost: 1,
    handle: (ctx, deps) => {
      const service = resolveService(ctx, deps);
      reachBackend(service);
      const active = service.status === 'active';
      return {
        status: 200,
        data: {
          id: service.id,
          state: active ? service.state : 'offline',
          is_suspended: service.status === 'suspended',
          resources: { ...service.resources },
        },
      };
    },
  },
  {
    method: 'POST',
    pattern: /^\/servers\/([^/]+)\/power$/,
    cost: 1,
    handle: (ctx, deps) => {
      const service = resolveService(ctx, deps, { permission: 'console' });
      const signal = ctx.body.signal;
      if (typeof signal !== 'string' || !POWER_SIGNALS.includes(signal as PowerSignal)) {
        throw invalid(`The signal field must be one of ${POWER_SIGNALS.join(', ')}.`);
      }
      reachBackend(service);
      const typed = signal as PowerSignal;
      service.powerHistory.push(typed);
      service.state = POWER_RESULT[typed];
      deps.streams.send(service.id, 'status', service.state);
      return { status: 200, data: { signal: typed, accepted: true } };
    },
  },
  {
    method: 'POST',
    pattern: /^\/servers\/([^/]+)\/console\/command$/,
    cost: 1,
    handle: (ctx, deps) => {
      const service = resolveService(ctx, deps, { permission: 'console' });
      const command = requireString(ctx.body, 'command', { max: 1000 });
      reachBackend(service);
      service.commands.push(command);
      return { status: 200, data: { sent: true } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/servers\/([^/]+)\/console\/stream$/,
    cost: 5,
    handle: (ctx, deps) => {
      const service = resolveService(ctx, deps, { permission: 'console' });
      const open = deps.streams.count((s) => s.accountId === ctx.account.id);
      if (open >= deps.maxStreamsPerAccount) {
        throw new ApiFailure(
          429,
          'too_many_streams',
          `You already have ${deps.maxStreamsPerAccount} console streams open.`,
        );
      }
      reachBackend(service);
      return {
        status: 200,
        stream: (res) =>
          deps.streams.attach(res, { accountId: ctx.account.id, serviceId: service.id, key: ctx.key }),
      };
    },
  },
];
