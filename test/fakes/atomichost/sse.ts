import type { ServerResponse } from 'node:http';

/**
 * Open console streams of the fake. Events follow the spec's names; data:
 * - `ready`  JSON `{ "server_id": 101, "expires_at": "<timestamp>" }`
 * - `output` one console line as plain text
 * - `status` the power state as plain text (`running`, `offline`, …)
 * - `stats`  JSON resource usage (memory_bytes, cpu_absolute, disk_bytes, …)
 * - `error`  a plain-text message
 * - `closed` the reason as plain text: `max_duration`, `account_banned`,
 *            `access_revoked`, `key_revoked`, `server_closed` (or what a test passes)
 * A `: keepalive` comment is sent every 15 s.
 */

export interface OpenStream {
  readonly id: number;
  readonly accountId: number;
  readonly serviceId: number;
  readonly key: string;
  readonly openedAt: number;
  readonly res: ServerResponse;
  timers: NodeJS.Timeout[];
}

export interface StreamRecord {
  id: number;
  accountId: number;
  serviceId: number;
  openedAt: number;
  closedAt?: number;
  /** `client` when the consumer hung up, else the reason the fake closed it. */
  closedBy?: 'client' | 'server';
  reason?: string;
}

export function formatEvent(event: string, data: string): string {
  const lines = data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`);
  return `event: ${event}\n${lines.join('')}\n`;
}

export class StreamHub {
  readonly #open = new Map<number, OpenStream>();
  /** Every stream ever opened, for assertions. */
  readonly history: StreamRecord[] = [];
  #nextId = 1;

  constructor(
    private readonly maxStreamMs: number,
    private readonly keepaliveMs = 15_000,
    /** Called whenever a stream opens or closes. */
    private readonly changed: () => void = () => undefined,
  ) {}

  count(filter?: (s: OpenStream) => boolean): number {
    return [...this.#open.values()].filter((s) => !filter || filter(s)).length;
  }

  /** Takes over a response whose headers are already written. */
  attach(res: ServerResponse, who: { accountId: number; serviceId: number; key: string }): void {
    const stream: OpenStream = { id: this.#nextId++, ...who, openedAt: Date.now(), res, timers: [] };
    const record: StreamRecord = {
      id: stream.id,
      accountId: who.accountId,
      serviceId: who.serviceId,
      openedAt: stream.openedAt,
    };
    this.history.push(record);
    this.#open.set(stream.id, stream);
    this.changed();
    res.on('close', () => {
      if (!this.#open.delete(stream.id)) return;
      for (const timer of stream.timers) clearTimeout(timer);
      record.closedAt = Date.now();
      record.closedBy = 'client';
      this.changed();
    });
    const expiresAt = new Date(stream.openedAt + this.maxStreamMs)
      .toISOString()
      .replace(/\.\d{3}Z$/, '+00:00');
    res.write(formatEvent('ready', JSON.stringify({ server_id: who.serviceId, expires_at: expiresAt })));
    stream.timers.push(
      setTimeout(() => this.#end(stream, 'max_duration'), this.maxStreamMs),
      setInterval(() => res.write(': keepalive\n\n'), this.keepaliveMs),
    );
  }

  send(serviceId: number, event: string, data: string): number {
    let sent = 0;
    for (const stream of this.#open.values()) {
      if (stream.serviceId !== serviceId) continue;
      stream.res.write(formatEvent(event, data));
      sent += 1;
    }
    return sent;
  }

  /** Writes `text` as is to every open stream of the service (malformed or unending events). */
  sendRaw(serviceId: number, text: string | Uint8Array): number {
    let sent = 0;
    for (const stream of this.#open.values()) {
      if (stream.serviceId !== serviceId) continue;
      stream.res.write(text);
      sent += 1;
    }
    return sent;
  }

  close(filter: (s: OpenStream) => boolean, reason: string): number {
    const matching = [...this.#open.values()].filter(filter);
    for (const stream of matching) this.#end(stream, reason);
    return matching.length;
  }

  /** Cuts the connection without a `closed` event, like a network failure. */
  drop(filter: (s: OpenStream) => boolean): number {
    const matching = [...this.#open.values()].filter(filter);
    for (const stream of matching) {
      this.#open.delete(stream.id);
      for (const timer of stream.timers) clearTimeout(timer);
      const record = this.history.find((r) => r.id === stream.id);
      if (record) Object.assign(record, { closedAt: Date.now(), closedBy: 'server', reason: 'dropped' });
      stream.res.socket?.destroy();
    }
    if (matching.length > 0) this.changed();
    return matching.length;
  }

  /** Sends `closed` and ends the response (the server controls the connection). */
  #end(stream: OpenStream, reason: string): void {
    if (!this.#open.delete(stream.id)) return;
    for (const timer of stream.timers) clearTimeout(timer);
    const record = this.history.find((r) => r.id === stream.id);
    if (record) Object.assign(record, { closedAt: Date.now(), closedBy: 'server', reason });
    stream.res.end(formatEvent('closed', reason));
    this.changed();
  }
}
