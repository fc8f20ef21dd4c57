import {
  reachBackend,
  requireString,
  resolveService,
  type FakeDeps,
  type RequestContext,
  type Route,
} from './context.js';
import { cleanPath, joinPath } from './files.js';
import { invalid, notFound } from './respond.js';
import type { FakeService } from './state.js';

/**
 * File routes (permission `files`). `..` segments were refused with 422 by
 * the dispatcher before any of these run. Shapes where the spec is silent:
 * - list: `{ path, files: [{ name, size, is_file, mode, modified_at }] }`,
 *   folders first then files, by name; missing folder → 404 not_found.
 * - contents: `{ path, content }` (UTF-8 text); missing → 404, a folder → 422.
 * - write `{ path, content }` → `{ path, size }` (bytes); parents are created.
 * - delete `{ root, files }` → `{ root, deleted: [names actually removed] }`.
 * - create-folder `{ root, name }` → 201 `{ path }`; already exists → 422.
 * - rename `{ root, from, to }` → `{ root, from, to }`; missing source → 404,
 *   existing target → 422.
 * - download `?path=` → `{ url }` one-time (see transfer.ts); missing → 404.
 * - upload-url `?path=<folder>` (default `/`) → `{ url }` one-time.
 */

function filesService(ctx: RequestContext, deps: FakeDeps): FakeService {
  const service = resolveService(ctx, deps, { permission: 'files' });
  reachBackend(service);
  return service;
}

function queryPath(ctx: RequestContext): string {
  return cleanPath(ctx.query.path ?? '/');
}

export function fileRoutes(origin: () => string): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/servers\/([^/]+)\/files$/,
      cost: 1,
      handle: (ctx, deps) => {
        const service = filesService(ctx, deps);
        const path = queryPath(ctx);
        if (!service.files.isDir(path)) throw notFound('Directory not found.');
        return { status: 200, data: { path, files: service.files.list(path) } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/servers\/([^/]+)\/files\/contents$/,
      cost: 1,
      handle: (ctx, deps) => {
        const service = filesService(ctx, deps);
        const path = queryPath(ctx);
        if (service.files.isDir(path)) throw invalid('The path is a directory.');
        const content = service.files.read(path);
        if (content === undefined) throw notFound('File not found.');
        return { status: 200, data: { path, content } };
      },
    },
    {
      method: 'POST',
      pattern: /^\/servers\/([^/]+)\/files\/write$/,
      cost: 1,
      handle: (ctx, deps) => {
        const service = resolveService(ctx, deps, { permission: 'files' });
        const path = cleanPath(requireString(ctx.body, 'path'));
        const content = requireString(ctx.body, 'content', { allowEmpty: true });
        if (path === '/') throw invalid('The path must name a file.');
        reachBackend(service);
        if (!service.files.write(path, content)) throw invalid('The path is a directory.');
        return { status: 200, data: { path, size: Buffer.byteLength(content) } };
      },
    },
    {
      method: 'POST',
      pattern: /^\/servers\/([^/]+)\/files\/delete$/,
      cost: 1,
      handle: (ctx, deps) => {
        const service = resolveService(ctx, deps, { permission: 'files' });
        const root = cleanPath(requireString(ctx.body, 'root'));
        const files = ctx.body.files;
        if (
          !Array.isArray(files) ||
          files.length === 0 ||
          files.some((f) => typeof f !== 'string' || f === '')
        ) {
          throw invalid('The files field must be a non-empty list of names.');
        }
        reachBackend(service);
        const deleted = (files as string[]).filter((name) => service.files.remove(joinPath(root, name)));
        return { status: 200, data: { root, deleted } };
      },
    },
    {
      method: 'POST',
      pattern: /^\/servers\/([^/]+)\/files\/create-folder$/,
      cost: 1,
      handle: (ctx, deps) => {
        const service = resolveService(ctx, deps, { permission: 'files' });
        const root = cleanPath(requireString(ctx.body, 'root'));
        const name = requireString(ctx.body, 'name', { max: 255 });
        reachBackend(service);
        const path = joinPath(root, name);
        if (!service.files.mkdir(path)) throw invalid('A file or folder with that name already exists.');
        return { status: 201, data: { path } };
      },
    },
    {
      method: 'PUT',
      pattern: /^\/servers\/([^/]+)\/files\/rename$/,
      cost: 1,
      handle: (ctx, deps) => {
        const service = resolveService(ctx, deps, { permission: 'files' });
        const root = cleanPath(requireString(ctx.body, 'root'));
        const from = requireString(ctx.body, 'from');
        const to = requireString(ctx.body, 'to', { max: 255 });
        reachBackend(service);
        const outcome = service.files.rename(joinPath(root, from), joinPath(root, to));
        if (outcome === 'missing') throw notFound('File not found.');
        if (outcome === 'exists') throw invalid('The target name already exists.');
        return { status: 200, data: { root, from, to } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/servers\/([^/]+)\/files\/download$/,
      cost: 1,
      handle: (ctx, deps) => {
        const service = filesService(ctx, deps);
        const path = queryPath(ctx);
        if (!service.files.isFile(path)) throw notFound('File not found.');
        const url = deps.transfers.issue(origin(), { kind: 'download', serviceId: service.id, path });
        return { status: 200, data: { url } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/servers\/([^/]+)\/files\/upload-url$/,
      cost: 1,
      handle: (ctx, deps) => {
        const service = filesService(ctx, deps);
        const directory = queryPath(ctx);
        if (service.files.isFile(directory)) throw invalid('The path must be a folder.');
        const url = deps.transfers.issue(origin(), { kind: 'upload', serviceId: service.id, directory });
        return { status: 200, data: { url } };
      },
    },
  ];
}
