import { snowflake } from './ids.js';
import type { UploadedFile } from './request-body.js';

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
}

export interface FakeAttachment {
  id: string;
  filename: string;
  /** Byte size of the uploaded file. */
  size: number;
  content_type: string;
  url: string;
  proxy_url: string;
  description?: string;
}

/**
 * A message as Discord returns it (every field discord.js reads), with edits
 * applied. `allowed_mentions` is not part of Discord's message object: it is
 * the value the bot last sent for this message, kept for assertions.
 */
export interface FakeMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  type: number;
  content: string;
  author: FakeUser;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: unknown[];
  mention_roles: string[];
  attachments: FakeAttachment[];
  embeds: unknown[];
  components: unknown[];
  flags: number;
  pinned: boolean;
  webhook_id?: string;
  application_id?: string;
  interaction_metadata?: Record<string, unknown>;
  allowed_mentions?: unknown;
}

export const MessageFlags = { Ephemeral: 64, Loading: 128 } as const;

/** Bytes behind attachment URLs, served by the fake at `/attachments/...`. */
export class AttachmentStore {
  readonly #files = new Map<string, { bytes: Buffer; contentType: string }>();

  constructor(private readonly baseUrl: () => string) {}

  add(
    channelId: string,
    file: { filename: string; bytes: Buffer; contentType: string; description?: string },
  ): FakeAttachment {
    const id = snowflake();
    const path = `/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
    this.#files.set(path, { bytes: file.bytes, contentType: file.contentType });
    const url = `${this.baseUrl()}${path}`;
    return {
      id,
      filename: file.filename,
      size: file.bytes.length,
      content_type: file.contentType,
      url,
      proxy_url: url,
      ...(file.description !== undefined ? { description: file.description } : {}),
    };
  }

  get(path: string): { bytes: Buffer; contentType: string } | undefined {
    return this.#files.get(path);
  }
}

type Payload = Record<string, unknown>;

function asPayload(body: unknown): Payload {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Payload) : {};
}

/**
 * Attachments after a create or edit: `payload.attachments` lists what to keep
 * (existing ids) and describes new uploads (`id` = the index n of `files[n]`);
 * uploads not listed there are added as they are, as Discord does.
 */
function resolveAttachments(
  payload: Payload,
  files: UploadedFile[],
  existing: FakeAttachment[],
  channelId: string,
  store: AttachmentStore,
): FakeAttachment[] {
  const listed = Array.isArray(payload.attachments) ? (payload.attachments as Payload[]) : undefined;
  const byField = new Map(files.map((f) => [f.field, f]));
  const used = new Set<UploadedFile>();
  const result: FakeAttachment[] = [];
  if (listed) {
    for (const entry of listed) {
      const id = String(entry.id);
      const upload = byField.get(`files[${id}]`);
      if (upload) {
        used.add(upload);
        const description = typeof entry.description === 'string' ? entry.description : undefined;
        const filename = typeof entry.filename === 'string' ? entry.filename : upload.filename;
        result.push(store.add(channelId, { ...upload, filename, ...(description ? { description } : {}) }));
        continue;
      }
      const kept = existing.find((a) => a.id === id);
      if (kept) result.push(kept);
    }
  } else {
    result.push(...existing);
  }
  for (const upload of files) if (!used.has(upload)) result.push(store.add(channelId, upload));
  return result;
}

export interface MessageContext {
  channelId: string;
  /** Unset for DMs. */
  guildId: string | undefined;
  author: FakeUser;
  type?: number;
  webhookId?: string;
  applicationId?: string;
  interactionMetadata?: Record<string, unknown>;
  extraFlags?: number;
}

export function createMessage(
  body: unknown,
  files: UploadedFile[],
  context: MessageContext,
  store: AttachmentStore,
): FakeMessage {
  const payload = asPayload(body);
  const message: FakeMessage = {
    id: snowflake(),
    channel_id: context.channelId,
    ...(context.guildId ? { guild_id: context.guildId } : {}),
    type: context.type ?? 0,
    content: typeof payload.content === 'string' ? payload.content : '',
    author: context.author,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: payload.tts === true,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: resolveAttachments(payload, files, [], context.channelId, store),
    embeds: Array.isArray(payload.embeds) ? payload.embeds : [],
    components: Array.isArray(payload.components) ? payload.components : [],
    flags: (typeof payload.flags === 'number' ? payload.flags : 0) | (context.extraFlags ?? 0),
    pinned: false,
  };
  if (context.webhookId) message.webhook_id = context.webhookId;
  if (context.applicationId) message.application_id = context.applicationId;
  if (context.interactionMetadata) message.interaction_metadata = context.interactionMetadata;
  if (payload.allowed_mentions !== undefined) message.allowed_mentions = payload.allowed_mentions;
  return message;
}

/** Applies a PATCH in place: fields present in the body replace the message's; the loading flag ends. */
export function applyEdit(
  message: FakeMessage,
  body: unknown,
  files: UploadedFile[],
  store: AttachmentStore,
): void {
  const payload = asPayload(body);
  if ('content' in payload) message.content = typeof payload.content === 'string' ? payload.content : '';
  if ('embeds' in payload) message.embeds = Array.isArray(payload.embeds) ? payload.embeds : [];
  if ('components' in payload)
    message.components = Array.isArray(payload.components) ? payload.components : [];
  if ('attachments' in payload || files.length > 0) {
    message.attachments = resolveAttachments(payload, files, message.attachments, message.channel_id, store);
  }
  // Only SUPPRESS_EMBEDS may change on edit; ephemerality is fixed at creation.
  if (typeof payload.flags === 'number') message.flags = (message.flags & ~4) | (payload.flags & 4);
  message.flags &= ~MessageFlags.Loading;
  if ('allowed_mentions' in payload) message.allowed_mentions = payload.allowed_mentions;
  message.edited_timestamp = new Date().toISOString();
}
