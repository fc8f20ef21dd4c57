import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { fullFormats } from 'ajv-formats/dist/formats.js';

/**
 * Validates request bodies against the `requestBody` schema of Discord's own
 * OpenAPI operation (method + path template). The 1.2 MB document is read once
 * per process, when the first fake starts; each operation's validator is compiled on its
 * first request and cached, so the per-request cost is one compiled function.
 */

/**
 * The copy of Discord's OpenAPI document committed in the repository (with
 * its MIT licence beside it), so a clone needs nothing outside it.
 */
export const OPENAPI_PATH = fileURLToPath(
  new URL('../../../vendor/discord-openapi/openapi.json', import.meta.url),
);
const DOCUMENT_ID = 'discord-openapi';

export interface BodyCheck {
  ok: boolean;
  /** Human-readable lines: `/content must NOT have more than 2000 characters`. */
  errors: string[];
  /** Discord's nested `errors` object for a 50035 answer. */
  discordErrors: Record<string, unknown>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
  components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> };
}

/**
 * The one known gap between the schema and the real API: permission bitfields
 * (`default_member_permissions`) are declared as integers, but Discord documents
 * and accepts them as decimal strings — which is what discord.js sends
 * (`"0"`, `"8"`). Allow a decimal string besides the declared integer.
 */
function acceptPermissionStrings(doc: OpenApiDocument): void {
  for (const schema of Object.values(doc.components?.schemas ?? {})) {
    const declared = schema.properties?.default_member_permissions;
    if (declared === undefined || schema.properties === undefined) continue;
    schema.properties.default_member_permissions = {
      anyOf: [declared, { type: 'string', pattern: '^(0|[1-9][0-9]{0,16})$' }],
    };
  }
}

let ajv: Ajv2020 | undefined;
let document: OpenApiDocument | undefined;
const validators = new Map<string, ValidateFunction | null>();

/** A file the fakes cannot run without; its message is one line naming the file. */
export class MissingFileError extends Error {
  override name = 'MissingFileError';
}

/** Reads and parses the document; a missing or unreadable file fails at once, naming it. */
export function readOpenApiDocument(path = OPENAPI_PATH): OpenApiDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new MissingFileError(
      `Discord's OpenAPI schema is missing: ${path} (it is part of the repository; restore it with git)`,
    );
  }
  try {
    return JSON.parse(text) as OpenApiDocument;
  } catch {
    throw new MissingFileError(`Discord's OpenAPI schema is not valid JSON: ${path} (restore it with git)`);
  }
}

function loadAjv(): { ajv: Ajv2020; document: OpenApiDocument } {
  if (ajv && document) return { ajv, document };
  document = readOpenApiDocument();
  // strict:false because the document carries OpenAPI-only keywords
  // (x-discord-union, contentEncoding on multipart parts) that are annotations.
  ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, addUsedSchema: false });
  for (const name of ['uri', 'date-time', 'int32', 'int64', 'double'] as const) {
    ajv.addFormat(name, fullFormats[name]);
  }
  // Discord-specific formats; the schema already constrains them with a
  // pattern / maxLength, so the format itself only checks the basic shape.
  ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
  ajv.addFormat('nonce', { type: 'string', validate: (value: string) => value.length <= 25 });
  acceptPermissionStrings(document);
  ajv.addSchema(document as object, DOCUMENT_ID);
  return { ajv, document };
}

/** Loads the document now, so a fake started without it fails at start rather than answering 500. */
export function loadSchema(): void {
  loadAjv();
}

/** RFC 6901 pointer segment, URI-fragment encoded (path templates contain `{`, `}` and `@`). */
function pointerSegment(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

/** The compiled validator for an operation's JSON body, or null when the operation takes none. */
export function validatorFor(method: string, template: string): ValidateFunction | null {
  const key = `${method} ${template}`;
  const cached = validators.get(key);
  if (cached !== undefined) return cached;
  const { ajv, document } = loadAjv();
  const operation = document.paths[template]?.[method.toLowerCase()];
  let validate: ValidateFunction | null = null;
  if (operation?.requestBody?.content?.['application/json']) {
    const ref = [
      'paths',
      template,
      method.toLowerCase(),
      'requestBody',
      'content',
      'application/json',
      'schema',
    ]
      .map(pointerSegment)
      .join('/');
    validate = ajv.compile({ $ref: `${DOCUMENT_ID}#/${ref}` });
  }
  validators.set(key, validate);
  return validate;
}

/** Validates `body` for the operation. Operations without a JSON body accept anything. */
export function checkBody(method: string, template: string, body: unknown): BodyCheck {
  const validate = validatorFor(method, template);
  if (!validate || validate(body)) return { ok: true, errors: [], discordErrors: {} };
  return fromAjvErrors(validate.errors ?? []);
}

/**
 * Union schemas (anyOf/oneOf over message shapes) make Ajv report every
 * branch's complaint. Keep the most specific ones: drop the union summaries
 * and any error whose location has a deeper error below it.
 */
function mostSpecific(ajvErrors: ErrorObject[]): ErrorObject[] {
  const paths = ajvErrors.map((e) => e.instancePath);
  const specific = ajvErrors.filter(
    (e) =>
      e.keyword !== 'anyOf' &&
      e.keyword !== 'oneOf' &&
      !paths.some((p) => p.startsWith(`${e.instancePath}/`)),
  );
  return specific.length > 0 ? specific : ajvErrors;
}

function fromAjvErrors(ajvErrors: ErrorObject[]): BodyCheck {
  const errors: string[] = [];
  const discordErrors: Record<string, unknown> = {};
  for (const error of mostSpecific(ajvErrors)) {
    const where = error.instancePath || '/';
    errors.push(`${where} ${error.message ?? error.keyword}`);
    addDiscordError(
      discordErrors,
      error.instancePath,
      codeFor(error.keyword),
      error.message ?? error.keyword,
    );
  }
  return { ok: false, errors: [...new Set(errors)], discordErrors };
}

/** Adds one error to Discord's nested shape: `{embeds: {0: {description: {_errors: [...]}}}}`. */
export function addDiscordError(
  tree: Record<string, unknown>,
  instancePath: string,
  code: string,
  message: string,
): void {
  let node = tree;
  for (const part of instancePath.split('/').filter(Boolean)) {
    const next = (node[part] as Record<string, unknown> | undefined) ?? {};
    node[part] = next;
    node = next;
  }
  const list = (node._errors as Array<{ code: string; message: string }> | undefined) ?? [];
  if (!list.some((e) => e.code === code && e.message === message)) list.push({ code, message });
  node._errors = list;
}

function codeFor(keyword: string): string {
  switch (keyword) {
    case 'maxLength':
      return 'BASE_TYPE_MAX_LENGTH';
    case 'minLength':
      return 'BASE_TYPE_MIN_LENGTH';
    case 'required':
      return 'BASE_TYPE_REQUIRED';
    case 'maxItems':
      return 'BASE_TYPE_MAX_LENGTH';
    case 'enum':
    case 'const':
      return 'BASE_TYPE_CHOICES';
    default:
      return 'BASE_TYPE_INVALID';
  }
}
