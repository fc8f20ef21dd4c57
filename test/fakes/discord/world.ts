import { snowflake, snowflakeOnShard } from './ids.js';
import type { FakeUser } from './messages.js';

/**
 * The fixed little world the fake announces: one application and bot user,
 * one guild with an @everyone role (id = guild id), and text channels.
 */

/** Permissions of a typical non-admin member / the bot in a text channel. */
export const MEMBER_PERMISSIONS = '2248473465835073';
export const BOT_PERMISSIONS = '2251799813685247';

export interface FakeChannel {
  id: string;
  type: number;
  guild_id: string;
  name: string;
  position: number;
  permission_overwrites: unknown[];
  parent_id: string | null;
  nsfw: boolean;
  topic: string | null;
  last_message_id: string | null;
  rate_limit_per_user: number;
  flags: number;
}

export interface FakeDmChannel {
  id: string;
  type: 1;
  last_message_id: string | null;
  recipients: FakeUser[];
  flags: number;
}

export interface FakeRole {
  id: string;
  name: string;
  color: number;
  colors: { primary_color: number; secondary_color: null; tertiary_color: null };
  hoist: boolean;
  icon: null;
  unicode_emoji: null;
  position: number;
  permissions: string;
  managed: boolean;
  mentionable: boolean;
  flags: number;
}

export class World {
  readonly applicationId = snowflake();
  readonly botUser: FakeUser = {
    id: this.applicationId,
    username: 'Hostlink',
    global_name: null,
    discriminator: '0',
    avatar: null,
    bot: true,
  };
  /** The default interaction user. */
  readonly testUser: FakeUser = {
    id: '190000000000000001',
    username: 'tester',
    global_name: 'Tester',
    discriminator: '0',
    avatar: null,
  };
  /** The default guild: interactions go there unless they name another. */
  readonly guildId = snowflake();
  /** Every guild the bot is in, the default one first (ids to names). */
  readonly guilds = new Map<string, string>([[this.guildId, 'Hostlink Test Guild']]);
  readonly channels = new Map<string, FakeChannel>();
  /** Channels where the bot has lost access: every message request answers 403 50001. */
  readonly deniedChannels = new Set<string>();
  /** DM channels by id, opened with POST /users/@me/channels. */
  readonly dmChannels = new Map<string, FakeDmChannel>();
  readonly roles = new Map<string, FakeRole>();
  readonly channelId: string;
  readonly joinedAt = new Date().toISOString();
  /** Users given a name with `addUser`; others get a made-up one. */
  readonly #named = new Map<string, FakeUser>();

  constructor() {
    this.roles.set(this.guildId, this.role(this.guildId, '@everyone', 0, MEMBER_PERMISSIONS));
    this.channelId = this.addTextChannel('general').id;
  }

  role(id: string, name: string, position: number, permissions = '0'): FakeRole {
    return {
      id,
      name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position,
      permissions,
      managed: false,
      mentionable: false,
      flags: 0,
    };
  }

  /** Returns the role, creating a plain one for ids tests make up. */
  ensureRole(id: string): FakeRole {
    let role = this.roles.get(id);
    if (!role) {
      role = this.role(id, `role-${id.slice(-4)}`, this.roles.size);
      this.roles.set(id, role);
    }
    return role;
  }

  /**
   * Another guild the bot is in, with its own "general" channel; given
   * `[shard, count]`, its id routes to that shard ((id >> 22) % count).
   */
  addGuild(name: string, onShard?: [number, number]): { guildId: string; channelId: string } {
    const guildId = onShard ? snowflakeOnShard(onShard[0], onShard[1]) : snowflake();
    this.guilds.set(guildId, name);
    return { guildId, channelId: this.addTextChannel('general', guildId).id };
  }

  /** The first text channel of a guild (where its interactions come from by default). */
  firstChannelOf(guildId: string): string {
    for (const channel of this.channels.values()) if (channel.guild_id === guildId) return channel.id;
    throw new Error(`FakeDiscord: guild ${guildId} has no channel`);
  }

  addTextChannel(name: string, guildId = this.guildId): FakeChannel {
    const channel: FakeChannel = {
      id: snowflake(),
      type: 0,
      guild_id: guildId,
      name,
      position: this.channels.size,
      permission_overwrites: [],
      parent_id: null,
      nsfw: false,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** The DM channel with `userId`, opened on first use (as Discord does). */
  dmChannelWith(userId: string): FakeDmChannel {
    for (const dm of this.dmChannels.values()) if (dm.recipients[0]?.id === userId) return dm;
    const dm: FakeDmChannel = {
      id: snowflake(),
      type: 1,
      last_message_id: null,
      recipients: [this.userFor(userId)],
      flags: 0,
    };
    this.dmChannels.set(dm.id, dm);
    return dm;
  }

  addUser(id: string, username: string): FakeUser {
    const user: FakeUser = { id, username, global_name: null, discriminator: '0', avatar: null };
    this.#named.set(id, user);
    return user;
  }

  userFor(id: string | undefined): FakeUser {
    if (id === undefined || id === this.testUser.id) return this.testUser;
    const named = this.#named.get(id);
    if (named) return named;
    return { id, username: `user${id.slice(-4)}`, global_name: null, discriminator: '0', avatar: null };
  }

  member(
    user: FakeUser | undefined,
    roles: string[],
    permissions = MEMBER_PERMISSIONS,
  ): Record<string, unknown> {
    return {
      ...(user ? { user } : {}),
      roles,
      nick: null,
      avatar: null,
      banner: null,
      joined_at: this.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
      permissions,
    };
  }

  /** Roles of one guild: its @everyone (id = guild id) and every role tests made up. */
  rolesOf(guildId: string): FakeRole[] {
    const shared = [...this.roles.values()].filter((role) => !this.guilds.has(role.id));
    return [this.roles.get(guildId) ?? this.role(guildId, '@everyone', 0, MEMBER_PERMISSIONS), ...shared];
  }

  guildCreate(guildId = this.guildId): Record<string, unknown> {
    return {
      id: guildId,
      name: this.guilds.get(guildId) ?? 'Unknown Guild',
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.testUser.id,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: this.rolesOf(guildId),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      max_members: 500000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      joined_at: this.joinedAt,
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [this.member(this.botUser, [], BOT_PERMISSIONS), this.member(this.testUser, [])].map((m) => {
        const { permissions: _permissions, ...rest } = m;
        return rest;
      }),
      channels: [...this.channels.values()].filter((channel) => channel.guild_id === guildId),
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }
}
