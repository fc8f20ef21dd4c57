import { z } from 'zod';

/**
 * Shapes of the AtomicHost User API's `data`, as the spec shows them. Where
 * the spec is silent (file writes, deletes, backup lists…) the schemas accept
 * both the natural Pterodactyl-like shape the fake sends and close variants,
 * so a small upstream difference is not a "malformed response". Unknown
 * fields are dropped; the wire's snake_case names are kept.
 */

const nullableString = z.string().nullish();

export const successEnvelopeSchema = z.object({ success: z.literal(true), data: z.unknown() });
export const errorEnvelopeSchema = z.object({
  success: z.literal(false),
  error: z.object({ code: z.string().min(1), message: z.string().optional() }),
});

export const meSchema = z.object({
  user: z.object({ id: z.number(), username: z.string(), email: z.string().nullish() }),
  api_key: z.object({
    name: z.string(),
    prefix: z.string(),
    created_at: nullableString,
    last_used_at: nullableString,
  }),
  credits: z.object({
    limit: z.number(),
    used: z.number(),
    remaining: z.number(),
    reset_at: z.string(),
    reset_timezone: z.string().optional(),
  }),
});
export type Me = z.infer<typeof meSchema>;

export const serverSummarySchema = z.object({
  id: z.number(),
  name: z.string(),
  status: z.string(),
  service: z.string(),
  package: z.object({ id: z.number(), name: z.string() }).nullish(),
  role: z.string(),
  created_at: nullableString,
  due_date: nullableString,
});
export type ServerSummary = z.infer<typeof serverSummarySchema>;
export const serverListSchema = z.array(serverSummarySchema);

export const serverDetailsSchema = serverSummarySchema.extend({
  features: z.object({ files: z.boolean(), backups: z.boolean(), console: z.boolean() }).partial().optional(),
  permissions: z.array(z.string()).optional(),
});
export type ServerDetails = z.infer<typeof serverDetailsSchema>;

export const resourcesSchema = z.object({
  memory_bytes: z.number(),
  cpu_absolute: z.number(),
  disk_bytes: z.number(),
  memory_limit_bytes: z.number().optional(),
  disk_limit_bytes: z.number().optional(),
  network_rx_bytes: z.number().optional(),
  network_tx_bytes: z.number().optional(),
  uptime: z.number().optional(),
});

export const serverStatusSchema = z.object({
  id: z.number(),
  state: z.string(),
  is_suspended: z.boolean(),
  resources: resourcesSchema,
});
export type ServerStatus = z.infer<typeof serverStatusSchema>;

export const POWER_SIGNALS = ['start', 'stop', 'restart', 'kill'] as const;
export type PowerSignal = (typeof POWER_SIGNALS)[number];
export const powerResultSchema = z.object({ signal: z.string(), accepted: z.boolean() });
export type PowerResult = z.infer<typeof powerResultSchema>;

export const commandResultSchema = z.object({ sent: z.boolean() });
export type CommandResult = z.infer<typeof commandResultSchema>;

export const fileEntrySchema = z.object({
  name: z.string(),
  size: z.number(),
  is_file: z.boolean(),
  mode: z.string(),
  modified_at: nullableString,
});
export type FileEntry = z.infer<typeof fileEntrySchema>;
export const fileListSchema = z.object({ path: z.string(), files: z.array(fileEntrySchema) });
export type FileList = z.infer<typeof fileListSchema>;

/** `{ path, content }`, or the text itself as `data`. */
export const fileContentsSchema = z.union([
  z.object({ path: z.string().optional(), content: z.string() }),
  z.string().transform((content) => ({ path: undefined, content })),
]);
export interface FileContents {
  path: string;
  content: string;
}

/** Results of file writes the spec does not describe: whatever object (or nothing) comes back. */
const looseResult = <T extends z.ZodRawShape>(shape: T) =>
  z
    .object(shape)
    .partial()
    .nullish()
    .transform((value) => value ?? ({} as NonNullable<typeof value>));
export const writeResultSchema = looseResult({ path: z.string(), size: z.number() });
export type WriteResult = z.infer<typeof writeResultSchema>;
export const deleteResultSchema = looseResult({ root: z.string(), deleted: z.array(z.string()) });
export type DeleteResult = z.infer<typeof deleteResultSchema>;
export const createFolderResultSchema = looseResult({ path: z.string() });
export type CreateFolderResult = z.infer<typeof createFolderResultSchema>;
export const renameResultSchema = looseResult({ root: z.string(), from: z.string(), to: z.string() });
export type RenameResult = z.infer<typeof renameResultSchema>;

export const transferUrlSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
});
export type TransferUrl = z.infer<typeof transferUrlSchema>;

export const backupSchema = z.object({
  uuid: z.string(),
  name: z.string(),
  ignored_files: z.array(z.string()).default([]),
  bytes: z.number().nullish(),
  checksum: nullableString,
  is_successful: z.boolean().optional(),
  is_locked: z.boolean().default(false),
  created_at: nullableString,
  completed_at: nullableString,
});
export type Backup = z.infer<typeof backupSchema>;

/** `{ backups: [...] }` or a bare array. */
export const backupListSchema = z.union([
  z.object({ backups: z.array(backupSchema) }).transform((value) => value.backups),
  z.array(backupSchema),
]);

/** `{ backup: {...} }` or the backup itself. */
export const backupOneSchema = z.union([
  z.object({ backup: backupSchema }).transform((value) => value.backup),
  backupSchema,
]);

export const deleteBackupResultSchema = looseResult({ deleted: z.boolean() });
export type DeleteBackupResult = z.infer<typeof deleteBackupResultSchema>;

export interface CreateBackupInput {
  name?: string;
  /** Newline-separated ignore patterns, as the panel takes them. */
  ignored?: string;
}

/** `stats` event data on the console stream. */
export const consoleStatsSchema = resourcesSchema.extend({ state: z.string().optional() });
export type ConsoleStats = z.infer<typeof consoleStatsSchema>;
