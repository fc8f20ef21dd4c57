import { interactionToken, snowflake } from './ids.js';
import type { FakeAttachment, FakeMessage, FakeUser } from './messages.js';
import { BOT_PERMISSIONS, type World } from './world.js';

/** Application command option types (Discord's numbering). */
export const OptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;

export interface CommandOptionInput {
  name: string;
  type: number;
  value: unknown;
}

interface ActorInput {
  /** Defaults to the fixed test user. */
  userId?: string;
  /** Member role ids (the @everyone role is implied, as in real payloads). */
  roles?: string[];
  /** Member permission bitfield in the channel. */
  permissions?: string;
  channelId?: string;
  locale?: string;
  /** The guild it happens in (default: the fake's default guild); it reaches the shard that owns it. */
  guildId?: string;
  /** In the user's DM with the bot: no guild, no member; DMs reach shard 0. */
  dm?: boolean;
  /** When the interaction was created (ms): its snowflake id carries this time, as Discord's do. */
  at?: number;
  /** The member's `joined_at` (ISO); default: the world's join date. */
  joinedAt?: string;
}

export interface ChatInputInput extends ActorInput {
  name: string;
  subcommand?: string;
  group?: string;
  options?: CommandOptionInput[];
  /** Users that USER / MENTIONABLE option values refer to; others get a made-up user. */
  resolvedUsers?: Array<Partial<FakeUser> & { id: string }>;
  /** The invoker's permission bitfield in channels passed as options (default: everything the bot has). */
  channelPermissions?: string;
}

export interface AutocompleteInput extends ChatInputInput {
  /** Name of the option being typed in; its value is what the user typed so far. */
  focused: string;
}

export interface ButtonInput extends ActorInput {
  customId: string;
  /** A message the fake knows (channel message, reply, follow-up): it is sent as `message`. */
  messageId?: string;
  /** Fields of the message the button sits on, when it is not a known one. */
  message?: Partial<FakeMessage>;
  /** 2 for buttons (default); 3/5/6/7/8 for select menus, with `values`. */
  componentType?: number;
  values?: string[];
}

export interface ModalSubmitInput extends ActorInput {
  customId: string;
  fields: Record<string, string>;
  /** Set when the modal was opened from a component on a known message. */
  messageId?: string;
}

export interface BuildContext {
  world: World;
  commandIdFor(name: string): string;
  findMessage(id: string): FakeMessage | undefined;
  findAttachment(id: string): FakeAttachment | undefined;
  /** The components of the modal last shown with this custom_id. */
  findModal(customId: string): unknown[] | undefined;
}

export interface BuiltInteraction {
  id: string;
  token: string;
  type: number;
  payload: Record<string, unknown>;
  sourceMessage: FakeMessage | undefined;
}

/** Where an interaction happens when the test names no channel: the DM, or its guild's first channel. */
function defaultChannel(world: World, actor: ActorInput): string {
  if (actor.dm) return world.dmChannelWith(world.userFor(actor.userId).id).id;
  const guildId = actor.guildId ?? world.guildId;
  return guildId === world.guildId ? world.channelId : world.firstChannelOf(guildId);
}

function base(
  ctx: BuildContext,
  type: number,
  actor: ActorInput,
  data: Record<string, unknown>,
): BuiltInteraction {
  const { world } = ctx;
  const id = snowflake(actor.at);
  const token = interactionToken();
  const user = world.userFor(actor.userId);
  const common = {
    id,
    application_id: world.applicationId,
    type,
    token,
    version: 1,
    locale: actor.locale ?? 'en-US',
    app_permissions: BOT_PERMISSIONS,
    entitlements: [],
    attachment_size_limit: 10 * 1024 * 1024,
    data,
  };
  if (actor.dm) {
    const dm = world.dmChannelWith(user.id);
    const payload = {
      ...common,
      channel_id: dm.id,
      channel: { ...dm, permissions: actor.permissions ?? BOT_PERMISSIONS },
      user,
      authorizing_integration_owners: { '0': '0' },
      context: 1,
    };
    return { id, token, type, payload, sourceMessage: undefined };
  }
  const guildId = actor.guildId ?? world.guildId;
  const channelId = actor.channelId ?? defaultChannel(world, actor);
  const channel = world.channels.get(channelId) ?? {
    id: channelId,
    type: 0,
    guild_id: guildId,
    name: 'unknown',
  };
  const payload: Record<string, unknown> = {
    ...common,
    guild_id: guildId,
    guild: { id: guildId, locale: 'en-US', features: [] },
    channel_id: channelId,
    channel: { ...channel, permissions: actor.permissions ?? BOT_PERMISSIONS },
    member: {
      ...world.member(user, actor.roles ?? [], actor.permissions),
      ...(actor.joinedAt ? { joined_at: actor.joinedAt } : {}),
    },
    guild_locale: 'en-US',
    authorizing_integration_owners: { '0': guildId },
    context: 0,
  };
  return { id, token, type, payload, sourceMessage: undefined };
}

/** Builds `data.resolved` so getUser/getMember/getChannel/getRole/getAttachment work. */
function resolve(ctx: BuildContext, input: ChatInputInput): Record<string, unknown> | undefined {
  const users: Record<string, unknown> = {};
  const members: Record<string, unknown> = {};
  const channels: Record<string, unknown> = {};
  const roles: Record<string, unknown> = {};
  const attachments: Record<string, unknown> = {};
  // The invoker's permissions in a channel given as an option (Discord computes them per channel).
  const invokerPermissions = input.channelPermissions ?? BOT_PERMISSIONS;
  const known = new Map((input.resolvedUsers ?? []).map((u) => [u.id, u]));
  for (const option of input.options ?? []) {
    const value = String(option.value);
    if (option.type === OptionType.User || option.type === OptionType.Mentionable) {
      if (option.type === OptionType.Mentionable && ctx.world.roles.has(value)) {
        roles[value] = ctx.world.roles.get(value);
        continue;
      }
      users[value] = { ...ctx.world.userFor(value), ...known.get(value) };
      members[value] = ctx.world.member(undefined, []);
    } else if (option.type === OptionType.Channel) {
      const channel = ctx.world.channels.get(value);
      channels[value] = channel
        ? { id: channel.id, name: channel.name, type: channel.type, permissions: invokerPermissions }
        : { id: value, name: `channel-${value.slice(-4)}`, type: 0, permissions: invokerPermissions };
    } else if (option.type === OptionType.Role) {
      roles[value] = ctx.world.ensureRole(value);
    } else if (option.type === OptionType.Attachment) {
      const attachment = ctx.findAttachment(value);
      if (attachment) attachments[value] = attachment;
    }
  }
  const resolved: Record<string, unknown> = {};
  if (Object.keys(users).length > 0) Object.assign(resolved, { users, members });
  if (Object.keys(channels).length > 0) resolved.channels = channels;
  if (Object.keys(roles).length > 0) resolved.roles = roles;
  if (Object.keys(attachments).length > 0) resolved.attachments = attachments;
  return Object.keys(resolved).length > 0 ? resolved : undefined;
}

/** Nests leaf options under the subcommand (type 1) and group (type 2) as Discord does. */
function nestOptions(input: ChatInputInput, leaves: unknown[]): unknown[] {
  if (!input.subcommand) return leaves;
  const sub = { type: OptionType.Subcommand, name: input.subcommand, options: leaves };
  return input.group ? [{ type: OptionType.SubcommandGroup, name: input.group, options: [sub] }] : [sub];
}

function commandData(ctx: BuildContext, input: ChatInputInput, leaves: unknown[]): Record<string, unknown> {
  const data: Record<string, unknown> = {
    id: ctx.commandIdFor(input.name),
    name: input.name,
    type: 1,
    ...(input.dm ? {} : { guild_id: input.guildId ?? ctx.world.guildId }),
    options: nestOptions(input, leaves),
  };
  const resolved = resolve(ctx, input);
  if (resolved) data.resolved = resolved;
  return data;
}

export function buildChatInput(ctx: BuildContext, input: ChatInputInput): BuiltInteraction {
  const leaves = (input.options ?? []).map((o) => ({ name: o.name, type: o.type, value: o.value }));
  return base(ctx, 2, input, commandData(ctx, input, leaves));
}

export function buildAutocomplete(ctx: BuildContext, input: AutocompleteInput): BuiltInteraction {
  const options = input.options ?? [];
  const focusedGiven = options.some((o) => o.name === input.focused);
  const all = focusedGiven
    ? options
    : [...options, { name: input.focused, type: OptionType.String, value: '' }];
  // Autocomplete values arrive as typed (strings), resolved data is not sent.
  const leaves = all.map((o) => ({
    name: o.name,
    type: o.type,
    value: o.name === input.focused ? String(o.value) : o.value,
    ...(o.name === input.focused ? { focused: true } : {}),
  }));
  const data = commandData(ctx, { ...input, options: [] }, leaves);
  return base(ctx, 4, input, data);
}

export function buildButton(ctx: BuildContext, input: ButtonInput, botUser: FakeUser): BuiltInteraction {
  const known = input.messageId ? ctx.findMessage(input.messageId) : undefined;
  const message: FakeMessage = known ?? {
    id: input.messageId ?? snowflake(),
    channel_id: input.channelId ?? defaultChannel(ctx.world, input),
    ...(input.dm ? {} : { guild_id: input.guildId ?? ctx.world.guildId }),
    type: 0,
    content: '',
    author: botUser,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    flags: 0,
    pinned: false,
    application_id: ctx.world.applicationId,
    ...input.message,
  };
  const componentType = input.componentType ?? 2;
  const data: Record<string, unknown> = { custom_id: input.customId, component_type: componentType };
  if (componentType !== 2) data.values = input.values ?? [];
  const built = base(ctx, 3, { ...input, channelId: message.channel_id }, data);
  built.payload.message = message;
  built.sourceMessage = message;
  return built;
}

function textInputId(component: unknown): string | undefined {
  const record = component as { type?: unknown; custom_id?: unknown } | undefined;
  return record?.type === 4 && typeof record.custom_id === 'string' ? record.custom_id : undefined;
}

/**
 * Submitted components mirror the modal's layout, as Discord's do: text inputs
 * inside Labels (type 18) come back in Labels, those in action rows in rows.
 * Fields the modal did not have (or no modal seen) come back in action rows.
 */
function submittedComponents(shown: unknown[] | undefined, fields: Record<string, string>): unknown[] {
  const remaining = new Map(Object.entries(fields));
  const result: unknown[] = [];
  for (const component of shown ?? []) {
    const c = component as { type?: unknown; component?: unknown; components?: unknown[] };
    if (c.type === 18) {
      const id = textInputId(c.component);
      if (id !== undefined && remaining.has(id)) {
        result.push({ type: 18, component: { type: 4, custom_id: id, value: remaining.get(id) } });
        remaining.delete(id);
      }
    } else if (c.type === 1) {
      const id = textInputId(c.components?.[0]);
      if (id !== undefined && remaining.has(id)) {
        result.push({ type: 1, components: [{ type: 4, custom_id: id, value: remaining.get(id) }] });
        remaining.delete(id);
      }
    }
  }
  for (const [id, value] of remaining)
    result.push({ type: 1, components: [{ type: 4, custom_id: id, value }] });
  return result;
}

export function buildModalSubmit(ctx: BuildContext, input: ModalSubmitInput): BuiltInteraction {
  const components = submittedComponents(ctx.findModal(input.customId), input.fields);
  const built = base(ctx, 5, input, { custom_id: input.customId, components });
  const message = input.messageId ? ctx.findMessage(input.messageId) : undefined;
  if (message) {
    built.payload.message = message;
    built.sourceMessage = message;
  }
  return built;
}
