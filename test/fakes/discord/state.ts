import { snowflake } from './ids.js';
import { ChangeNotifier, InteractionRecord } from './fake-interaction.js';
import type { BuiltInteraction, BuildContext } from './interaction-builders.js';
import { AttachmentStore, type FakeAttachment, type FakeMessage } from './messages.js';
import { World } from './world.js';

/** Discord's time limits for interactions. */
export const INITIAL_RESPONSE_MS = 3_000;
export const TOKEN_LIFETIME_MS = 15 * 60_000;

export interface ChannelMessageEdit {
  channelId: string;
  messageId: string;
  at: number;
  body: unknown;
}

/** Everything the fake remembers, shared by the REST routes and the public API. */
export class DiscordState implements BuildContext {
  readonly world = new World();
  readonly attachments: AttachmentStore;
  readonly interactionsById = new Map<string, InteractionRecord>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  readonly channelMessages = new Map<string, FakeMessage[]>();
  readonly messageIndex = new Map<string, FakeMessage>();
  readonly channelEdits: ChannelMessageEdit[] = [];
  readonly commands = { global: [] as unknown[], guild: new Map<string, unknown[]>() };
  readonly changes = new ChangeNotifier();
  /** Components of the last modal shown per custom_id, so a submit mirrors its layout. */
  readonly modals = new Map<string, unknown[]>();
  /** What GET /gateway/bot recommends in `shards` (what SHARD_COUNT=auto reads). */
  recommendedShards = 1;
  readonly #commandIds = new Map<string, string>();
  readonly #uploads = new Map<string, FakeAttachment>();

  constructor(
    baseUrl: () => string,
    /** Initial response deadline; Infinity turns the check off. */
    public callbackDeadlineMs = INITIAL_RESPONSE_MS,
  ) {
    this.attachments = new AttachmentStore(baseUrl);
  }

  commandIdFor(name: string): string {
    let id = this.#commandIds.get(name);
    if (!id) {
      id = snowflake();
      this.#commandIds.set(name, id);
    }
    return id;
  }

  findMessage(id: string): FakeMessage | undefined {
    return this.messageIndex.get(id);
  }

  findModal(customId: string): unknown[] | undefined {
    return this.modals.get(customId);
  }

  findAttachment(id: string): FakeAttachment | undefined {
    return this.#uploads.get(id);
  }

  /** Registers a file a user "uploaded" so ATTACHMENT options can refer to it by id. */
  addUpload(filename: string, content: string | Uint8Array, contentType: string): FakeAttachment {
    const bytes = Buffer.from(content);
    const attachment = this.attachments.add(this.world.channelId, { filename, bytes, contentType });
    this.#uploads.set(attachment.id, attachment);
    return attachment;
  }

  addInteraction(built: BuiltInteraction): InteractionRecord {
    const record = new InteractionRecord(
      built.id,
      built.token,
      built.type,
      built.payload,
      built.sourceMessage,
      () => this.changes.notify(),
    );
    this.interactionsById.set(record.id, record);
    this.interactionsByToken.set(record.token, record);
    return record;
  }

  rememberMessage(message: FakeMessage, inChannel: boolean): void {
    this.messageIndex.set(message.id, message);
    if (!inChannel) return;
    let list = this.channelMessages.get(message.channel_id);
    if (!list) {
      list = [];
      this.channelMessages.set(message.channel_id, list);
    }
    list.push(message);
  }

  forgetMessage(message: FakeMessage): void {
    this.messageIndex.delete(message.id);
    const list = this.channelMessages.get(message.channel_id);
    const at = list?.indexOf(message) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
  }

  /** Stores a bulk overwrite and returns the commands as Discord would (ids stable by name). */
  overwriteCommands(body: unknown, guildId?: string): unknown[] {
    const list = Array.isArray(body) ? (body as Array<Record<string, unknown>>) : [];
    const saved = list.map((command) => {
      const name = String(command.name);
      const permissions = command.default_member_permissions;
      return {
        type: 1,
        description: '',
        options: [],
        nsfw: false,
        contexts: null,
        integration_types: [0],
        ...command,
        id: this.commandIdFor(name),
        application_id: this.world.applicationId,
        version: snowflake(),
        default_member_permissions:
          permissions === undefined || permissions === null ? null : String(permissions),
        ...(guildId ? { guild_id: guildId } : {}),
      };
    });
    if (guildId) this.commands.guild.set(guildId, saved);
    else this.commands.global = saved;
    this.changes.notify();
    return saved;
  }
}
