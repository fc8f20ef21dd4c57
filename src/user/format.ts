import { clipLine, codeSpan, shown } from '../text.js';
import { clipForScan } from '../upstream-text.js';

/** Formatting shared by the user-side commands. Pure. */

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1073741824 → "1.00 GiB"; 1234 → "1.21 KiB"; 12 → "12 B". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${value} B`;
  return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${BYTE_UNITS[unit]}`;
}

/** 93784000 → "1 d 2 h 3 min"; under a minute → "42 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || '0 min';
}

/** A Discord timestamp (`<t:…:f>`, shown in the reader's time zone), or the raw text when unparsable. */
export function discordDate(value: string | null | undefined, style: 'f' | 'R' | 'D' = 'f'): string {
  if (!value) return '—';
  const time = new Date(clipForScan(value, 100)).getTime();
  if (Number.isNaN(time)) return shown(value, 64);
  return `<t:${Math.floor(time / 1000)}:${style}>`;
}

/** Upstream text (names) shown in embeds: one line, length capped, markdown and masked links neutralised. */
export function plain(text: string, max = 100): string {
  return shown(text, max);
}

/** Inline code that cannot be broken out of (backticks become look-alikes). */
export function inlineCode(text: string, max = 200): string {
  return codeSpan(text, max);
}

/** Neutralises fences so text cannot close its code block: a zero-width space between backticks. */
export function escapeCodeBlock(text: string): string {
  return text.replace(/`(?=`)/g, '`\u200b');
}

export function codeBlock(text: string, language = ''): string {
  const body = escapeCodeBlock(text);
  return `\`\`\`${language}\n${body}${body.endsWith('\n') ? '' : '\n'}\`\`\``;
}

const LANGUAGES: Record<string, string> = {
  properties: 'properties',
  yml: 'yaml',
  yaml: 'yaml',
  json: 'json',
  json5: 'json',
  toml: 'toml',
  ini: 'ini',
  cfg: 'ini',
  conf: 'ini',
  env: 'bash',
  sh: 'bash',
  bash: 'bash',
  bat: 'bat',
  cmd: 'bat',
  ps1: 'powershell',
  js: 'js',
  mjs: 'js',
  cjs: 'js',
  ts: 'ts',
  py: 'py',
  lua: 'lua',
  java: 'java',
  kt: 'kotlin',
  cs: 'cs',
  xml: 'xml',
  html: 'html',
  htm: 'html',
  css: 'css',
  md: 'md',
  sql: 'sql',
  csv: 'csv',
  log: 'log',
  diff: 'diff',
  php: 'php',
  rb: 'ruby',
  go: 'go',
  rs: 'rust',
  c: 'c',
  h: 'c',
  cpp: 'cpp',
  skript: 'vb',
  sk: 'vb',
  mcfunction: 'bash',
};

/** The code block language for a file name, from its extension ('' when unknown). */
export function languageFor(path: string): string {
  const name = baseName(path).toLowerCase();
  if (name === 'dockerfile') return 'dockerfile';
  const dot = name.lastIndexOf('.');
  if (dot < 0) return '';
  return LANGUAGES[name.slice(dot + 1)] ?? '';
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/**
 * True when text is not meant for a chat window: NUL bytes, or more than
 * 10 % control or replacement characters (bytes that were not UTF-8).
 */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.slice(0, 8192);
  if (sample.length === 0) return false;
  // eslint-disable-next-line no-control-regex
  const odd = sample.match(/[\u0001-\u0008\u000b\u000e-\u001f\u007f\ufffd]/g)?.length ?? 0;
  return odd / sample.length > 0.1;
}

/** A file name safe for a Discord attachment. */
export function attachmentName(path: string, fallback = 'file.txt'): string {
  const name = baseName(path)
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^\.+/, '');
  return (name || fallback).slice(0, 100);
}

/** Plain text (titles, labels: no markdown rendered) capped at `max` characters. */
export function clipText(text: string, max = 100): string {
  return clipLine(text, max);
}
