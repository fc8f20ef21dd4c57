import { randomUUID } from 'node:crypto';
import {
  optionalString,
  reachBackend,
  resolveService,
  type FakeDeps,
  type RequestContext,
  type Route,
} from './context.js';
import { formatTimestamp } from './limits.js';
import { invalid, notFound } from './respond.js';
import type { FakeBackup, FakeService } from './state.js';

/**
 * Backup routes (permission `backups`). Shapes where the spec is silent:
 * - backup object: `{ uuid, name, ignored_files: string[], bytes, checksum,
 *   is_successful, is_locked, created_at, completed_at }` (Pterodactyl's).
 * - list → `{ backups: [backup…] }`; create → 201 `{ backup }` (completes at
 *   once); info → `{ backup }`; delete → `{ deleted: true }`.
 * - create takes optional `name` (≤ 191 chars, default "Backup at <time>")
 *   and `ignored` (newline-separated patterns). Reaching the service's
 *   `backupLimit` → 422; deleting a locked backup → 422; unknown uuid → 404.
 */

function backupsService(ctx: RequestContext, deps: FakeDeps): FakeService {
  const service = resolveService(ctx, deps, { permission: 'backups' });
  reachBackend(service);
  return service;
}

function findBackup(service: FakeService, uuid: string | undefined): FakeBackup {
  const backup = service.backups.find((b) => b.uuid === uuid);
  if (!backup) throw notFound('Backup not found.');
  return backup;
}

export const backupRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/servers\/([^/]+)\/backups$/,
    cost: 1,
    handle: (ctx, deps) => ({ status: 200, data: { backups: backupsService(ctx, deps).backups } }),
  },
  {
    method: 'POST',
    pattern: /^\/servers\/([^/]+)\/backups$/,
    cost: 1,
    handle: (ctx, deps) => {
      const service = resolveService(ctx, deps, { permission: 'backups' });
      const name = optionalString(ctx.body, 'name', 191);
      const ignored = optionalString(ctx.body, 'ignored', 10_000) ?? '';
      reachBackend(service);
      if (service.backups.length >= service.backupLimit) {
        throw invalid(`This service can have at most ${service.backupLimit} backups.`);
      }
      const now = formatTimestamp(new Date());
      const backup: FakeBackup = {
        uuid: randomUUID(),
        name: name?.trim() || `Backup at ${now}`,
        ignored_files: ignored
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
        bytes: [...service.files.files.values()].reduce((sum, content) => sum + content.length, 0),
        checksum: null,
        is_successful: true,
        is_locked: false,
        created_at: now,
        completed_at: now,
      };
      service.backups.push(backup);
      return { status: 201, data: { backup } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/servers\/([^/]+)\/backups\/([^/]+)$/,
    cost: 1,
    handle: (ctx, deps) => ({
      status: 200,
      data: { backup: findBackup(backupsService(ctx, deps), ctx.params[1]) },
    }),
  },
  {
    method: 'DELETE',
    pattern: /^\/servers\/([^/]+)\/backups\/([^/]+)$/,
    cost: 1,
    handle: (ctx, deps) => {
      const service = backupsService(ctx, deps);
      const backup = findBackup(service, ctx.params[1]);
      if (backup.is_locked) throw invalid('This backup is locked and cannot be deleted.');
      service.backups = service.backups.filter((b) => b !== backup);
      return { status: 200, data: { deleted: true } };
    },
  },
];
