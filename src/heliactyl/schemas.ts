import { z } from 'zod';

/**
 * Response shapes of the Heliactyl v3 admin API, as the dashboard really
 * sends them (notes/heliactyl-behaviour.md). Objects are loose — extra fields
 * are ignored — but the fields the bot uses are checked, and each schema
 * turns the wire format into the camelCase result the client returns.
 */

const count = z.number().finite();

const resources = z.object({ ram: count, disk: count, cpu: count, servers: count });

export type Resources = z.infer<typeof resources>;

const ZERO: Resources = { ram: 0, disk: 0, cpu: 0, servers: 0 };

/** Every response carries `status`; success is 'success' (or `true` for GET /api). */
export const envelopeSchema = z.looseObject({
  status: z.union([z.string(), z.boolean()]),
  message: z.unknown().optional(),
});

export const apiStatusSchema = z
  .looseObject({ status: z.literal(true), version: z.string(), platform_codename: z.string() })
  .transform((body) => ({ version: body.version, platformCodename: body.platform_codename }));

export type ApiStatus = z.infer<typeof apiStatusSchema>;

const pterodactylUser = z.looseObject({
  attributes: z.looseObject({
    id: z.number(),
    username: z.string(),
    email: z.string(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    root_admin: z.boolean().optional(),
    relationships: z
      .looseObject({ servers: z.looseObject({ data: z.array(z.unknown()) }).optional() })
      .optional(),
  }),
});

export const userInfoSchema = z
  .looseObject({
    status: z.literal('success'),
    id: z.string(),
    // Absent or null on some installs when the bypass was never granted.
    renewalBypass: z.boolean().nullish(),
    // `name` is absent for users on the default package.
    package: resources.extend({ name: z.string().optional() }).loose(),
    extra: resources.loose().nullish(),
    userinfo: pterodactylUser,
    // null when the dashboard has coins disabled.
    coins: z.number().nullable(),
  })
  .transform((body) => {
    const attrs = body.userinfo.attributes;
    return {
      id: body.id,
      renewalBypass: body.renewalBypass === true,
      package: {
        /** null: the default package (the dashboard does not name it). */
        name: body.package.name ?? null,
        ram: body.package.ram,
        disk: body.package.disk,
        cpu: body.package.cpu,
        servers: body.package.servers,
      },
      extra: body.extra
        ? { ram: body.extra.ram, disk: body.extra.disk, cpu: body.extra.cpu, servers: body.extra.servers }
        : { ...ZERO },
      /** null: coins are disabled on this dashboard. */
      coins: body.coins,
      panelAccount: {
        id: attrs.id,
        username: attrs.username,
        email: attrs.email,
        firstName: attrs.first_name ?? null,
        lastName: attrs.last_name ?? null,
        rootAdmin: attrs.root_admin ?? false,
        /** Number of servers Pterodactyl lists for the account, when it included them. */
        serverCount: attrs.relationships?.servers?.data.length ?? null,
      },
    };
  });

export type UserInfo = z.infer<typeof userInfoSchema>;

const serverSummary = z.looseObject({ id: z.number(), identifier: z.string(), name: z.string() });

export const userServersSchema = z
  .looseObject({
    status: z.literal('success'),
    userId: z.string(),
    serverCount: z.number(),
    servers: z.array(serverSummary),
  })
  .transform((body) => ({
    userId: body.userId,
    servers: body.servers.map((s) => ({ id: s.id, identifier: s.identifier, name: s.name })),
  }));

export type UserServers = z.infer<typeof userServersSchema>;
export type ServerSummary = UserServers['servers'][number];

const serverDetail = z.looseObject({
  id: z.number(),
  identifier: z.string(),
  uuid: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  // Pterodactyl's install status (null once installed), not a power state.
  status: z.string().nullable(),
  limits: z.looseObject({ memory: count, disk: count, cpu: count, swap: count, io: count }),
  featureLimits: z.looseObject({ databases: count, allocations: count, backups: count }),
  suspended: z.boolean(),
  node: z.number(),
  allocation: z.number(),
  egg: z.number(),
});

export const userServerDetailsSchema = z
  .looseObject({
    status: z.literal('success'),
    userId: z.string(),
    serverCount: z.number(),
    servers: z.array(serverDetail),
  })
  .transform((body) => ({
    userId: body.userId,
    servers: body.servers.map((s) => ({
      id: s.id,
      identifier: s.identifier,
      uuid: s.uuid,
      name: s.name,
      description: s.description ?? '',
      installStatus: s.status,
      limits: {
        memory: s.limits.memory,
        disk: s.limits.disk,
        cpu: s.limits.cpu,
        swap: s.limits.swap,
        io: s.limits.io,
      },
      featureLimits: {
        databases: s.featureLimits.databases,
        allocations: s.featureLimits.allocations,
        backups: s.featureLimits.backups,
      },
      suspended: s.suspended,
      node: s.node,
      allocation: s.allocation,
      egg: s.egg,
    })),
  }));

export type UserServerDetails = z.infer<typeof userServerDetailsSchema>;
export type ServerDetail = UserServerDetails['servers'][number];

export const userInteractionsSchema = z
  .looseObject({
    status: z.literal('success'),
    userId: z.string(),
    limit: z.number(),
    count: z.number(),
    interactions: z.array(
      // timestamp is null for continuation lines of a multi-line log entry.
      z.looseObject({ timestamp: z.string().nullable(), action: z.string() }),
    ),
  })
  .transform((body) => ({
    userId: body.userId,
    limit: body.limit,
    interactions: body.interactions.map((i) => ({ timestamp: i.timestamp, action: i.action })),
  }));

export type UserInteractions = z.infer<typeof userInteractionsSchema>;
export type Interaction = UserInteractions['interactions'][number];

/** Writes answer `{"status":"success"}`, sometimes with a message. */
export const writeResultSchema = z
  .looseObject({ status: z.literal('success'), message: z.string().optional() })
  .transform(() => undefined);
