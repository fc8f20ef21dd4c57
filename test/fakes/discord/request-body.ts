/** A file part of a multipart body (`files[n]`). */
export interface UploadedFile {
  /** The form field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface ParsedBody {
  /** The JSON body, or multipart's `payload_json`; undefined when absent. */
  json: unknown;
  files: UploadedFile[];
  /** Set when the body could not be parsed at all. */
  error?: string;
}

const EMPTY: ParsedBody = { json: undefined, files: [] };

/**
 * Parses a request body as discord.js sends it: JSON, or multipart/form-data
 * with `payload_json` plus `files[n]` parts (undici's FormData encoding).
 * Multipart goes through the WHATWG Request parser, which handles boundaries,
 * quoting and binary parts correctly.
 */
export async function parseRequestBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  if (raw.length === 0) return EMPTY;
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return parseMultipart(contentType ?? '', raw);
  try {
    return { json: JSON.parse(raw.toString('utf8')) as unknown, files: [] };
  } catch {
    return { json: undefined, files: [], error: 'body is not valid JSON' };
  }
}

async function parseMultipart(contentType: string, raw: Buffer): Promise<ParsedBody> {
  let form: FormData;
  try {
    form = await new Request('http://fake-discord.local/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: raw,
    }).formData();
  } catch {
    return { json: undefined, files: [], error: 'multipart body could not be parsed' };
  }
  const result: ParsedBody = { json: undefined, files: [] };
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field !== 'payload_json') continue;
      try {
        result.json = JSON.parse(value) as unknown;
      } catch {
        result.error = 'payload_json is not valid JSON';
      }
    } else {
      result.files.push({
        field,
        filename: value.name,
        contentType: value.type || 'application/octet-stream',
        bytes: Buffer.from(await value.arrayBuffer()),
      });
    }
  }
  return result;
}
