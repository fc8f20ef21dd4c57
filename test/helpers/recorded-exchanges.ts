import { readFileSync } from 'node:fs';

/**
 * Reads test/fixtures/heliactyl-recorded-exchanges.txt: what a real Heliactyl
 * dashboard answered to curl requests, in the order they were sent.
 */

export const RECORDING_PATH = new URL('../fixtures/heliactyl-recorded-exchanges.txt', import.meta.url);

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/api/v3/userinfo?id=123`. */
  path: string;
  headers: Record<string, string>;
  /** The body as sent; undefined when curl sent none. */
  body?: string;
  /** `--data-binary @file`: a file the recording does not hold (the body over 500 kB). */
  bodyFile?: string;
}

export type RecordedResponse =
  | {
      kind: 'answer';
      status: number;
      contentType: string;
      /** The RateLimit-* and Retry-After headers on the summary line. */
      rateLimit: Record<string, string>;
      /** As recorded: cut at 400 characters, '' when written to a file instead. */
      body: string;
    }
  /** curl gave up waiting: the dashboard never answered. */
  | { kind: 'no answer'; detail: string };

export interface RecordedExchange {
  kind: 'exchange';
  number: number;
  title: string;
  request: RecordedRequest;
  response: RecordedResponse;
  /** `coins field: N` — the body's `coins`, when the body went to a file. */
  coinsField?: number;
  /** `keys: a,b` — the body's top-level keys, in order. */
  keys?: string[];
  /** `db: {...}` lines: the dashboard's records for an account after the request. */
  db: Array<Record<string, Record<string, unknown>>>;
  /** `all headers of a 429:` block. */
  allHeaders?: Record<string, string>;
}

/** `251 x GET /api/v3/nope (no auth): 250 404 1 429` under a section naming a forwarded address. */
export interface RecordedBurst {
  kind: 'burst';
  count: number;
  method: string;
  path: string;
  forwardedFor: string | undefined;
  /** status → how many answers had it. */
  statuses: Map<number, number>;
}

/** Splits curl arguments as the shell would: backslash escapes, single quotes, spaces. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[i + 1];
      i += 1;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

export function curlRequest(args: string[]): RecordedRequest {
  const headers: Record<string, string> = {};
  let method: string | undefined;
  let body: string | undefined;
  let bodyFile: string | undefined;
  let url = '';
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const next = args[i + 1] ?? '';
    if (arg === '-H') {
      const colon = next.indexOf(':');
      headers[next.slice(0, colon).toLowerCase()] = next.slice(colon + 1).trim();
      i += 1;
    } else if (arg === '-d') {
      body = next;
      i += 1;
    } else if (arg === '--data-binary') {
      bodyFile = next.replace(/^@/, '');
      i += 1;
    } else if (arg === '-X') {
      method = next;
      i += 1;
    } else if (arg === '-o') {
      i += 1;
    } else {
      url = arg;
    }
  }
  const sendsBody = body !== undefined || bodyFile !== undefined;
  // curl's -d defaults to a form content type unless one is given.
  if (sendsBody && !headers['content-type']) headers['content-type'] = 'application/x-www-form-urlencoded';
  const parsed = new URL(url);
  return {
    method: method ?? (sendsBody ? 'POST' : 'GET'),
    path: parsed.pathname + parsed.search,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(bodyFile === undefined ? {} : { bodyFile }),
  };
}

function headerPairs(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/([\w-]+): (\S+)/g)].map((m) => [m[1]!, m[2]!]));
}

function parseResponse(line: string): RecordedResponse {
  if (line.startsWith('curl exit')) return { kind: 'no answer', detail: line };
  const match = /^HTTP\/1\.1 (\d{3}) [^|]*\| ([^|]*) \| ?(.*)$/.exec(line);
  if (!match) throw new Error(`unreadable response line: ${line}`);
  return {
    kind: 'answer',
    status: Number(match[1]),
    contentType: match[2]!.trim(),
    rateLimit: headerPairs(match[3] ?? ''),
    body: '',
  };
}

export function readRecording(
  text = readFileSync(RECORDING_PATH, 'utf8'),
): Array<RecordedExchange | RecordedBurst> {
  const items: Array<RecordedExchange | RecordedBurst> = [];
  let section = '';
  let current: RecordedExchange | undefined;
  let inAllHeaders = false;
  for (const line of text.split('\n')) {
    const heading = /^\[(\d+)\] (.*)$/.exec(line);
    if (line.startsWith('== ')) {
      section = line;
      current = undefined;
    } else if (heading) {
      current = {
        kind: 'exchange',
        number: Number(heading[1]),
        title: heading[2]!,
        request: { method: 'GET', path: '', headers: {} },
        response: { kind: 'no answer', detail: '' },
        db: [],
      };
      inAllHeaders = false;
      items.push(current);
    } else if (/^ {2}\d+ x /.test(line)) {
      const burst = /^ {2}(\d+) x (\w+) (\S+) [^:]*:\s+(.*)$/.exec(line)!;
      const statuses = new Map<number, number>();
      for (const pair of burst[4]!.matchAll(/(\d+) (\d{3})/g)) statuses.set(Number(pair[2]), Number(pair[1]));
      items.push({
        kind: 'burst',
        count: Number(burst[1]),
        method: burst[2]!,
        path: burst[3]!,
        forwardedFor: /X-Forwarded-For (\S+)/.exec(section)?.[1],
        statuses,
      });
    } else if (current && line.startsWith('  > ')) {
      current.request = curlRequest(shellWords(line.slice(4).trim()));
    } else if (current && line.startsWith('  < ')) {
      const rest = line.slice(4);
      if (current.response.kind === 'answer') current.response.body = rest.trimEnd();
      else current.response = parseResponse(rest.trim());
    } else if (current && line.trim() === '<') {
      // An empty body line: the body was written to a file.
    } else if (current && line.startsWith('  coins field: ')) {
      current.coinsField = Number(line.slice('  coins field: '.length));
    } else if (current && line.startsWith('  keys: ')) {
      current.keys = line.slice('  keys: '.length).split(',');
    } else if (current && line.startsWith('  db: ')) {
      current.db.push(JSON.parse(line.slice('  db: '.length)) as Record<string, Record<string, unknown>>);
    } else if (current && line.startsWith('  all headers of a 429:')) {
      inAllHeaders = true;
      current.allHeaders = {};
    } else if (current && inAllHeaders && line.startsWith('    ')) {
      const colon = line.indexOf(':');
      current.allHeaders![line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
  }
  return items;
}
