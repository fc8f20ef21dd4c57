import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { cleanPath, joinPath } from './files.js';
import { errorBody, sendJson, successBody } from './respond.js';
import type { FakeState } from './state.js';

/**
 * One-time download and upload URLs (the node-side transfer endpoints that
 * the real API hands out; no Authorization, no credits).
 *
 * - `GET  <origin>/transfer/download/<token>` → the file's bytes (octet-stream).
 * - `PUT|POST <origin>/transfer/upload/<token>?name=<file name>` with the raw
 *   bytes as body stores `<directory>/<name>`; or `POST` `multipart/form-data`
 *   with one or more `files` parts (Pterodactyl's shape) stores each by its
 *   filename. Answers 201 `{ success, data: { files: [{ path, size }] } }`.
 * A used or unknown token answers 404 not_found.
 */

type Grant =
  | { kind: 'download'; serviceId: number; path: string }
  | { kind: 'upload'; serviceId: number; directory: string };

export class Transfers {
  readonly #grants = new Map<string, Grant>();

  constructor(private readonly state: FakeState) {}

  issue(origin: string, grant: Grant): string {
    const token = randomBytes(24).toString('hex');
    this.#grants.set(token, grant);
    return `${origin}/transfer/${grant.kind}/${token}`;
  }

  /** Handles `/transfer/...`; returns false for any other path. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    url: URL,
    body: Buffer,
  ): Promise<boolean> {
    const match = /^\/transfer\/(download|upload)\/([a-f0-9]+)$/.exec(path);
    if (!match) return false;
    const [, kind, token = ''] = match;
    const grant = this.#grants.get(token);
    const service = grant ? this.state.services.get(grant.serviceId) : undefined;
    const gone = (): void =>
      sendJson(res, 404, errorBody('not_found', 'This link has expired or was used.'), {});
    if (!grant || grant.kind !== kind || !service) {
      gone();
      return true;
    }
    if (grant.kind === 'download') {
      const content = req.method === 'GET' ? service.files.files.get(grant.path) : undefined;
      if (!content) {
        gone();
        return true;
      }
      this.#grants.delete(token);
      const name = grant.path.slice(grant.path.lastIndexOf('/') + 1);
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(content.length),
        'content-disposition': `attachment; filename="${encodeURIComponent(name)}"`,
      });
      res.end(content);
      return true;
    }
    if (req.method !== 'PUT' && req.method !== 'POST') {
      gone();
      return true;
    }
    const uploads = await this.#uploadedFiles(req, url, body);
    if (uploads.length === 0 || uploads.some((u) => !isPlainName(u.name))) {
      sendJson(res, 422, errorBody('validation_failed', 'A plain file name and a body are required.'), {});
      return true;
    }
    this.#grants.delete(token);
    const stored = uploads.map((u) => {
      const target = joinPath(cleanPath(grant.directory), u.name);
      service.files.write(target, u.content);
      return { path: target, size: u.content.length };
    });
    sendJson(res, 201, successBody({ files: stored }), {});
    return true;
  }

  async #uploadedFiles(
    req: IncomingMessage,
    url: URL,
    body: Buffer,
  ): Promise<{ name: string; content: Buffer }[]> {
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      const form = await new Request('http://fake/upload', {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      })
        .formData()
        .catch(() => undefined);
      const parts = form?.getAll('files') ?? [];
      const files: { name: string; content: Buffer }[] = [];
      for (const part of parts) {
        if (typeof part === 'string') continue;
        files.push({ name: part.name, content: Buffer.from(await part.arrayBuffer()) });
      }
      return files;
    }
    const name = url.searchParams.get('name') ?? '';
    return [{ name, content: body }];
  }
}

function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[\\/\0]/.test(name) && name.length <= 255;
}
