import type { ServerResponse } from 'node:http';
import { ApiFailure, invalid, notFound } from './respond.js';
import type { StreamHub } from './sse.js';
import type { FakeAccount, FakeService, FakeState, Permission } from './state.js';
import type { Transfers } from './transfer.js';

/** What every route handler gets, and the guards they share. */

export interface FakeDeps {
  state: FakeState;
  streams: StreamHub;
  transfers: Transfers;
  maxStreamsPerAccount: number;
}

export interface RequestContext {
  account: FakeAccount;
  key: string;
  /** Captured URL segments of the route pattern (already URI-decoded). */
  params: string[];
  query: Record<string, string>;
  /** Parsed JSON body, {} when there was none. */
  body: Record<string, unknown>;
}

export type Reply =
  | { status: number; data: unknown }
  /** The handler takes over the response after the 200 headers are written. */
  | { status: 200; stream: (res: ServerResponse) => void };

export interface Route {
  method: string;
  pattern: RegExp;
  /** Credits charged when the request succeeds. */
  cost: number;
  handle(ctx: RequestContext, deps: FakeDeps): Reply;
}

export interface ServiceNeeds {
  permission?: Permission;
  /** Package feature that must be enabled (defaults to the permission's feature). */
  feature?: 'files' | 'backups' | 'console';
  /** Refuse non-active services with service_inactive (default true when a permission is needed). */
  active?: boolean;
}

/**
 * Resolves the route's service the way the spec describes: unreachable →
 * 404 (never revealing existence), then permission, activity and feature.
 */
export function resolveService(ctx: RequestContext, deps: FakeDeps, needs: ServiceNeeds = {}): FakeService {
  const raw = ctx.params[0] ?? '';
  const service = /^\d+$/.test(raw) ? deps.state.services.get(Number(raw)) : undefined;
  if (!service || !deps.state.roleOf(ctx.account, service)) throw notFound('Service not found.');
  if (needs.permission && !deps.state.permissionsOf(ctx.account, service).includes(needs.permission)) {
    throw new ApiFailure(
      403,
      'insufficient_service_permission',
      `You do not have the ${needs.permission} permission for this service.`,
    );
  }
  if ((needs.active ?? needs.permission !== undefined) && service.status !== 'active') {
    throw new ApiFailure(403, 'service_inactive', `This service is ${service.status}.`);
  }
  const feature = needs.feature ?? needs.permission;
  if (feature && !service.features[feature]) {
    throw new ApiFailure(403, 'feature_unavailable', `This service's package does not include ${feature}.`);
  }
  return service;
}

/** Call right before "contacting the backend". */
export function reachBackend(service: FakeService): void {
  if (service.backendDown) {
    throw new ApiFailure(502, 'backend_unavailable', 'The service backend could not be reached.');
  }
}

export function requireString(
  source: Record<string, unknown>,
  field: string,
  options: { allowEmpty?: boolean; max?: number } = {},
): string {
  const value = source[field];
  if (typeof value !== 'string') throw invalid(`The ${field} field is required.`);
  if (!options.allowEmpty && value.trim() === '') throw invalid(`The ${field} field is required.`);
  if (options.max !== undefined && value.length > options.max) {
    throw invalid(`The ${field} field must not be greater than ${options.max} characters.`);
  }
  return value;
}

export function optionalString(
  source: Record<string, unknown>,
  field: string,
  max: number,
): string | undefined {
  const value = source[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`The ${field} field must be a string.`);
  if (value.length > max) throw invalid(`The ${field} field must not be greater than ${max} characters.`);
  return value;
}

/** True when any `/`- or `\`-separated segment is `..`, or the value holds a NUL. */
export function isTraversal(value: string): boolean {
  return value.includes('\0') || value.split(/[\\/]/).some((segment) => segment === '..');
}

/** The fields the spec's file endpoints take paths or names in. */
export function pathValues(query: Record<string, string>, body: Record<string, unknown>): string[] {
  const values: unknown[] = [query.path, body.path, body.root, body.name, body.from, body.to];
  if (Array.isArray(body.files)) values.push(...(body.files as unknown[]));
  return values.filter((v): v is string => typeof v === 'string');
}
