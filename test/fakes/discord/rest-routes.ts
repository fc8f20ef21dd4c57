import type { InteractionRecord } from './fake-interaction.js';
import { applyEdit, createMessage, type FakeMessage, MessageFlags } from './messages.js';
import { commandRoutes } from './command-routes.js';
import {
  discordError,
  type Reply,
  route,
  type RouteContext,
  type RouteDefinition,
} from './route-definition.js';
import { type DiscordState, TOKEN_LIFETIME_MS } from './state.js';

const unknownInteraction = (): Reply => discordError(404, 10062, 'Unknown interaction');
const unknownWebhook = (): Reply => discordError(404, 10015, 'Unknown Webhook');
const unknownMessage = (): Reply => discordError(404, 10008, 'Unknown Message');
const unknownChannel = (): Reply => discordError(404, 10003, 'Unknown Channel');
const missingAccess = (): Reply => discordError(403, 50001, 'Missing Access');

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

const wholeBody = (body: unknown): { message: unknown; basePath: string } => ({
  message: body,
  basePath: '',
});

/** Callback types each interaction type accepts (Discord answers 400 otherwise). */
const ALLOWED_CALLBACKS: Record<number, number[]> = {
  2: [4, 5, 9, 12],
  3: [4, 5, 6, 7, 9, 12],
  4: [8],
  5: [4, 5, 6, 7],
};

export function createRoutes(state: DiscordState, gatewayUrl: () => string): RouteDefinition[] {
  const { world } = state;
  const global = (): string => 'global';

  /** Interaction webhooks: the app id must be ours and the token live (15 minutes). */
  function webhookInteraction(params: Record<string, string>): InteractionRecord | Reply {
    const record = state.interactionsByToken.get(params.webhook_token ?? '');
    if (params.webhook_id !== world.applicationId || !record) return unknownWebhook();
    if (performance.now() - record.dispatchedAt > TOKEN_LIFETIME_MS) {
      return discordError(401, 50027, 'Invalid Webhook Token');
    }
    return record;
  }

  const isReply = (value: InteractionRecord | Reply): value is Reply => 'status' in value;

  function interactionMessageContext(record: InteractionRecord, type: number, extraFlags = 0) {
    const member = field(record.payload, 'member');
    return {
      channelId: String(record.payload.channel_id),
      guildId: typeof record.payload.guild_id === 'string' ? record.payload.guild_id : undefined,
      author: world.botUser,
      type,
      webhookId: world.applicationId,
      applicationId: world.applicationId,
      extraFlags,
      interactionMetadata: {
        id: record.id,
        type: record.type,
        user: field(member, 'user'),
        authorizing_integration_owners: record.payload.authorizing_integration_owners,
      },
    };
  }

  /** Where follow-ups and @original edits look up a message of this interaction. */
  function interactionMessage(record: InteractionRecord, messageId: string): FakeMessage | undefined {
    if (record.original?.id === messageId) return record.original;
    return record.followUps.find((m) => m.id === messageId);
  }

  function editInteractionMessage(record: InteractionRecord, message: FakeMessage, ctx: RouteContext): Reply {
    applyEdit(message, ctx.json, ctx.files, state.attachments);
    if (message === record.original) record.edits.push({ at: performance.now(), body: ctx.json });
    record.changed();
    return { status: 200, body: message };
  }

  function callback(ctx: RouteContext): Reply {
    const record = state.interactionsById.get(ctx.params.interaction_id ?? '');
    if (!record || record.token !== ctx.params.interaction_token) return unknownInteraction();
    const type = Number(field(ctx.json, 'type'));
    const data = field(ctx.json, 'data');
    // Discord's clock for the ack: the request's arrival, not the end of this fake's own checks.
    const now = ctx.receivedAt;
    record.callbacks.push(data === undefined ? { type } : { type, data });
    record.changed();
    if (record.acknowledged) return discordError(400, 40060, 'Interaction has already been acknowledged.');
    if (now - record.dispatchedAt > state.callbackDeadlineMs) return unknownInteraction();
    if (!(ALLOWED_CALLBACKS[record.type] ?? []).includes(type)) {
      const message = `Interaction callback type ${type} is not valid for interaction type ${record.type}`;
      return {
        status: 400,
        body: {
          code: 50035,
          message: 'Invalid Form Body',
          errors: { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message }] } },
        },
        violation: [`/type ${message}`],
      };
    }
    record.acknowledged = true;
    record.firstCallbackAt = now;
    const messageType = record.type === 2 ? 20 : 19;
    if (type === 4) {
      record.original = createMessage(
        data,
        ctx.files,
        interactionMessageContext(record, messageType),
        state.attachments,
      );
      state.rememberMessage(record.original, false);
    } else if (type === 5) {
      const flags = field(data, 'flags');
      const context = interactionMessageContext(record, messageType, MessageFlags.Loading);
      record.original = createMessage({ flags }, [], context, state.attachments);
      state.rememberMessage(record.original, false);
    } else if (type === 9) {
      const components = field(data, 'components');
      if (Array.isArray(components)) state.modals.set(String(field(data, 'custom_id')), components);
    } else if (type === 6 || type === 7) {
      record.original = record.sourceMessage;
      if (type === 7 && record.original) applyEdit(record.original, data, ctx.files, state.attachments);
    }
    record.changed();
    if (ctx.query.get('with_response') !== 'true') return { status: 204 };
    const message = type === 4 || type === 5 || type === 7 ? record.original : undefined;
    return {
      status: 200,
      body: {
        interaction: {
          id: record.id,
          type: record.type,
          ...(message
            ? {
                response_message_id: message.id,
                response_message_loading: (message.flags & MessageFlags.Loading) !== 0,
                response_message_ephemeral: (message.flags & MessageFlags.Ephemeral) !== 0,
              }
            : {}),
        },
        resource: { type, ...(message ? { message } : {}) },
      },
    };
  }

  const webhookBucket = (p: Record<string, string>): string => `${p.webhook_id}:${p.webhook_token}`;
  const channelBucket = (p: Record<string, string>): string => p.channel_id ?? '';

  function channelMessage(ctx: RouteContext): FakeMessage | Reply {
    const channelId = ctx.params.channel_id ?? '';
    if (!world.channels.has(channelId) && !world.dmChannels.has(channelId)) return unknownChannel();
    if (world.deniedChannels.has(channelId)) return missingAccess();
    const message = state.findMessage(ctx.params.message_id ?? '');
    return message && message.channel_id === ctx.params.channel_id ? message : unknownMessage();
  }
  const isMessage = (value: FakeMessage | Reply): value is FakeMessage => 'id' in value;

  return [
    route('GET', '/gateway/bot', 'bot', {
      majorParameter: global,
      handle: () => ({
        status: 200,
        body: {
          url: gatewayUrl(),
          shards: state.recommendedShards,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        },
      }),
    }),
    route('GET', '/users/@me', 'bot', {
      majorParameter: global,
      handle: () => ({ status: 200, body: world.botUser }),
    }),
    route('GET', '/applications/@me', 'bot', {
      majorParameter: global,
      handle: () => ({
        status: 200,
        body: {
          id: world.applicationId,
          name: world.botUser.username,
          icon: null,
          description: '',
          bot_public: false,
          bot_require_code_grant: false,
          bot: world.botUser,
          flags: 0,
          verify_key: '0'.repeat(64),
        },
      }),
    }),
    route('POST', '/interactions/{interaction_id}/{interaction_token}/callback', 'none', {
      majorParameter: () => null,
      messageIn: (body) => {
        const type = field(body, 'type');
        return type === 4 || type === 7 ? { message: field(body, 'data'), basePath: '/data' } : undefined;
      },
      handle: callback,
    }),
    route('GET', '/webhooks/{webhook_id}/{webhook_token}/messages/@original', 'none', {
      majorParameter: webhookBucket,
      handle: (ctx) => {
        const record = webhookInteraction(ctx.params);
        if (isReply(record)) return record;
        return record.original ? { status: 200, body: record.original } : unknownMessage();
      },
    }),
    route('PATCH', '/webhooks/{webhook_id}/{webhook_token}/messages/@original', 'none', {
      majorParameter: webhookBucket,
      messageIn: wholeBody,
      handle: (ctx) => {
        const record = webhookInteraction(ctx.params);
        if (isReply(record)) return record;
        return record.original ? editInteractionMessage(record, record.original, ctx) : unknownMessage();
      },
    }),
    route('DELETE', '/webhooks/{webhook_id}/{webhook_token}/messages/@original', 'none', {
      majorParameter: webhookBucket,
      handle: (ctx) => {
        const record = webhookInteraction(ctx.params);
        if (isReply(record)) return record;
        if (!record.original) return unknownMessage();
        state.forgetMessage(record.original);
        record.original = undefined;
        record.changed();
        return { status: 204 };
      },
    }),
    route('POST', '/webhooks/{webhook_id}/{webhook_token}', 'none', {
      majorParameter: webhookBucket,
      messageIn: wholeBody,
      handle: (ctx) => {
        const record = webhookInteraction(ctx.params);
        if (isReply(record)) return record;
        // Follow-ups need an initial response first; before it the webhook does not exist yet.
        if (!record.acknowledged) return unknownWebhook();
        const context = interactionMessageContext(record, record.type === 2 ? 20 : 19);
        const message = createMessage(ctx.json, ctx.files, context, state.attachments);
        state.rememberMessage(message, false);
        record.followUps.push(message);
        record.changed();
        return ctx.query.get('wait') === 'true' ? { status: 200, body: message } : { status: 204 };
      },
    }),
    route('GET', '/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}', 'none', {
      majorParameter: webhookBucket,
      handle: (ctx) => {
        const record = webhookInteraction(ctx.params);
        if (isReply(record)) return record;
        const message = interactionMessage(record, ctx.params.message_id ?? '');
        return message ? { status: 200, body: message } : unknownMessage();
      },
    }),
    route('PATCH', '/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}', 'none', {
      majorParameter: webhookBucket,
      messageIn: wholeBody,
      handle: (ctx) => {
        const record = webhookInteraction(ctx.params);
        if (isReply(record)) return record;
        const message = interactionMessage(record, ctx.params.message_id ?? '');
        return message ? editInteractionMessage(record, message, ctx) : unknownMessage();
      },
    }),
    route('DELETE', '/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}', 'none', {
      majorParameter: webhookBucket,
      handle: (ctx) => {
        const record = webhookInteraction(ctx.params);
        if (isReply(record)) return record;
        const message = interactionMessage(record, ctx.params.message_id ?? '');
        if (!message) return unknownMessage();
        state.forgetMessage(message);
        if (message === record.original) record.original = undefined;
        else record.followUps.splice(record.followUps.indexOf(message), 1);
        record.changed();
        return { status: 204 };
      },
    }),
    route('GET', '/channels/{channel_id}', 'bot', {
      majorParameter: channelBucket,
      handle: (ctx) => {
        const channel = world.channels.get(ctx.params.channel_id ?? '');
        return channel ? { status: 200, body: channel } : unknownChannel();
      },
    }),
    route('POST', '/channels/{channel_id}/messages', 'bot', {
      majorParameter: channelBucket,
      messageIn: wholeBody,
      handle: (ctx) => {
        const channel =
          world.channels.get(ctx.params.channel_id ?? '') ??
          world.dmChannels.get(ctx.params.channel_id ?? '');
        if (!channel) return unknownChannel();
        if (world.deniedChannels.has(channel.id)) return missingAccess();
        const guildId = 'guild_id' in channel ? channel.guild_id : world.guildId;
        const context = { channelId: channel.id, guildId, author: world.botUser };
        const message = createMessage(ctx.json, ctx.files, context, state.attachments);
        channel.last_message_id = message.id;
        state.rememberMessage(message, true);
        state.changes.notify();
        return { status: 200, body: message };
      },
    }),
    route('GET', '/channels/{channel_id}/messages/{message_id}', 'bot', {
      majorParameter: channelBucket,
      handle: (ctx) => {
        const message = channelMessage(ctx);
        return isMessage(message) ? { status: 200, body: message } : message;
      },
    }),
    route('PATCH', '/channels/{channel_id}/messages/{message_id}', 'bot', {
      majorParameter: channelBucket,
      messageIn: wholeBody,
      handle: (ctx) => {
        const message = channelMessage(ctx);
        if (!isMessage(message)) return message;
        applyEdit(message, ctx.json, ctx.files, state.attachments);
        state.channelEdits.push({
          channelId: message.channel_id,
          messageId: message.id,
          at: performance.now(),
          body: ctx.json,
        });
        state.changes.notify();
        return { status: 200, body: message };
      },
    }),
    route('DELETE', '/channels/{channel_id}/messages/{message_id}', 'bot', {
      majorParameter: channelBucket,
      handle: (ctx) => {
        const message = channelMessage(ctx);
        if (!isMessage(message)) return message;
        state.forgetMessage(message);
        state.changes.notify();
        return { status: 204 };
      },
    }),
    route('POST', '/users/@me/channels', 'bot', {
      majorParameter: global,
      handle: (ctx) => {
        const recipient = field(ctx.json, 'recipient_id');
        if (typeof recipient !== 'string') return discordError(400, 50035, 'Invalid Form Body');
        return { status: 200, body: world.dmChannelWith(recipient) };
      },
    }),
    ...commandRoutes(state),
  ];
}
