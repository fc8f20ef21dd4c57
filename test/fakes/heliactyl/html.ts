import type { ServerResponse } from 'node:http';

/** escape-html, as Express's finalhandler uses it. */
function escapeHtml(text: string): string {
  const entities: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
  };
  return text.replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

/** Where the stack traces of the fake's error pages claim the dashboard is installed. */
const INSTALL_DIR = '/srv/heliactyl';

/**
 * A stack trace like the one the real dashboard prints on its 400 and 413
 * pages, with server paths in it (which the bot must never show a user).
 */
export function bodyParserStack(firstLine: string, origin: 'json' | 'raw-body'): string {
  const frames =
    origin === 'json'
      ? [
          'at JSON.parse (<anonymous>)',
          `at parse (${INSTALL_DIR}/node_modules/body-parser/lib/types/json.js:92:19)`,
          `at ${INSTALL_DIR}/node_modules/body-parser/lib/read.js:128:18`,
        ]
      : [
          `at readStream (${INSTALL_DIR}/node_modules/raw-body/index.js:163:17)`,
          `at getRawBody (${INSTALL_DIR}/node_modules/raw-body/index.js:116:12)`,
          `at read (${INSTALL_DIR}/node_modules/body-parser/lib/read.js:79:3)`,
        ];
  return [firstLine, ...frames.map((frame) => `    ${frame}`)].join('\n');
}

/**
 * Express's default error page (finalhandler), as the dashboard sends for
 * 400, 404 and 413: the message, or the whole stack, in a <pre>.
 */
export function sendExpressHtml(res: ServerResponse, status: number, message: string): void {
  const pre = escapeHtml(message).replace(/\n/g, '<br>').replace(/ {2}/g, ' &nbsp;');
  const body =
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head>' +
    `<body><pre>${pre}</pre></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'",
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** `res.send(string)` in Express: the text as an HTML page, whatever it holds. */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(text);
}
