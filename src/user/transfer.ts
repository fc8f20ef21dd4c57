import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { UserError } from '../errors.js';
import { formatBytes } from '../text.js';
import { isBlockedAddress, transferRefused, transferTarget } from './transfer-target.js';
import { discardBody } from '../http/upstream.js';

/**
 * Moving user files between Discord and AtomicHost's one-time transfer URLs.
 *
 * Upload shape: `POST <one-time url>` with `multipart/form-data` holding one
 * `files` part named after the file — Pterodactyl's (Wings') upload form,
 * which the one-time URLs of AtomicHost front (and the fake accepts, see
 * test/fakes/atomichost/transfer.ts). The body is streamed from Discord's
 * CDN to the upload URL without holding the whole file in memory, and cut
 * off if Discord sends more bytes than the attachment's declared size.
 */

/** Largest attachment `/files upload` passes on. */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
/** Largest attachment `/files write` reads as text. */
export const MAX_WRITE_BYTES = 1024 * 1024;

const DISCORD_CDN_HOSTS = new Set(['cdn.discordapp.com', 'media.discordapp.net']);

export interface AttachmentRef {
  name: string;
  size: number;
  url: string;
}

/** Only Discord's CDN (or the configured Discord API origin, for proxies and fakes) is fetched. */
export function assertDiscordAttachmentUrl(url: string, discordApiUrl: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError("Discord gave an attachment link Hostlink can't use.", 'Attachment unavailable');
  }
  const sameOrigin = parsed.origin === new URL(discordApiUrl).origin;
  if (!sameOrigin && !(parsed.protocol === 'https:' && DISCORD_CDN_HOSTS.has(parsed.hostname))) {
    throw new UserError("Discord gave an attachment link Hostlink can't use.", 'Attachment unavailable');
  }
  return parsed;
}

async function openAttachment(attachment: AttachmentRef, discordApiUrl: string, timeoutMs: number) {
  const url = assertDiscordAttachmentUrl(attachment.url, discordApiUrl);
  let response;
  try {
    response = await request(url, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  } catch {
    throw new UserError(
      "Hostlink couldn't download your attachment from Discord. Try again.",
      'Attachment unavailable',
    );
  }
  if (response.statusCode !== 200) {
    discardBody(response.body);
    throw new UserError(
      `Discord didn't serve your attachment (HTTP ${response.statusCode}). Try attaching it again.`,
      'Attachment unavailable',
    );
  }
  return response.body;
}

function tooBig(limit: number): UserError {
  return new UserError(`The attachment is larger than ${formatBytes(limit)}.`, 'File too large');
}

/** The attachment's bytes, at most `limit` (checked on the declared size first, then while reading). */
export async function downloadAttachment(
  attachment: AttachmentRef,
  options: { limit: number; discordApiUrl: string; timeoutMs: number },
): Promise<Buffer> {
  if (attachment.size > options.limit) throw tooBig(options.limit);
  const body = await openAttachment(attachment, options.discordApiUrl, options.timeoutMs);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > options.limit) {
      discardBody(body);
      throw tooBig(options.limit);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function quoteFileName(name: string): string {
  return name.replace(/["\r\n\\]/g, '_');
}

/**
 * Streams the attachment into the one-time upload URL. Resolves with the
 * number of bytes sent; throws a UserError when either side refuses.
 */
export async function streamUpload(
  attachment: AttachmentRef & { fileName: string },
  uploadUrl: string,
  options: { limit: number; discordApiUrl: string; timeoutMs: number; allowedHosts: readonly string[] },
): Promise<number> {
  if (attachment.size > options.limit) throw tooBig(options.limit);
  const target = transferTarget(uploadUrl, options.allowedHosts);
  const source = await openAttachment(attachment, options.discordApiUrl, options.timeoutMs);
  const boundary = `hostlink-${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${quoteFileName(attachment.fileName)}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  let sent = 0;
  let overflow = false;
  async function* multipart(): AsyncGenerator<Buffer> {
    yield head;
    for await (const chunk of source) {
      const buf = chunk as Buffer;
      sent += buf.length;
      if (sent > options.limit) {
        overflow = true;
        throw tooBig(options.limit);
      }
      yield buf;
    }
    yield tail;
  }
  let response;
  try {
    response = await request(target.url, {
      dispatcher: target.dispatcher,
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: Readable.from(multipart()),
      headersTimeout: Math.max(options.timeoutMs, 30_000),
      bodyTimeout: Math.max(options.timeoutMs, 30_000),
    });
  } catch (error) {
    source.destroy();
    if (overflow) throw tooBig(options.limit);
    if (isBlockedAddress(error)) throw transferRefused();
    throw new UserError(
      "The upload to your server didn't go through (the connection failed). Try again.",
      'Upload failed',
    );
  }
  // The answer comes from a host outside the API: its body is never read or shown, the status says enough.
  await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
  if (response.statusCode < 200 || response.statusCode > 299) {
    throw new UserError(
      `Your server refused the upload with HTTP ${response.statusCode}. The one-time link may have expired — try again.`,
      'Upload failed',
    );
  }
  return sent;
}
