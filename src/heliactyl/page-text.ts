/**
 * The one sentence worth showing from a non-JSON answer of the dashboard:
 * Express's error page (its <pre>), or a bare text such as the sentence
 * userinfo sends when a panel account is missing. The dashboard's 400 and
 * 413 pages carry a stack trace with server paths: only the headline is
 * kept, and anything that still looks like a server path is hidden.
 */

/** Only the start of a page is read: the headline is there, and regexes stay cheap on hostile sizes. */
const MAX_PAGE_CHARS = 4_096;
const MAX_SENTENCE_CHARS = 200;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#\d{1,7}|#x[\da-f]{1,6}|[a-z]{2,6});/gi, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
    const code =
      name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** Absolute file paths (with a file extension, or under a usual install root) and Windows paths. */
const SERVER_PATH =
  /(?:[A-Za-z]:\\|\/)(?:[^\s'"()<>:]+[\\/])*[^\s'"()<>:]*\.(?:[cm]?js|ts|json|toml|log|sqlite)(?::\d+)*|(?:^|(?<=[\s('"]))\/(?:home|srv|usr|var|opt|root|tmp|app|etc)\/[^\s'"()<>]*|[A-Za-z]:\\[^\s'"()<>]*/g;

/** Control, zero-width and bidi characters: nothing a reader should get from a dashboard's text. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g;

export function pageSentence(page: string): string {
  const head = page.slice(0, MAX_PAGE_CHARS);
  const pre = /<pre>([\s\S]*?)(?:<\/pre>|$)/i.exec(head)?.[1];
  const body = pre ?? head.replace(/<(script|style)[\s\S]*?<\/\1>/gi, '');
  // The first line is the message; a stack trace follows on the next ones.
  const firstLine = body.split(/<br\s*\/?>|\r?\n/i).find((line) => line.trim() !== '') ?? '';
  const text = decodeEntities(firstLine.replace(/<[^>]*>/g, ' '))
    .replace(/\s+at\s+\S+\s+\([^)]*\)[\s\S]*$/, '') // a stack frame on the same line
    .replace(SERVER_PATH, '[path]')
    .replace(INVISIBLE, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > MAX_SENTENCE_CHARS ? `${text.slice(0, MAX_SENTENCE_CHARS - 1)}…` : text;
}
