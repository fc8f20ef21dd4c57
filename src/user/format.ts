/** File-side formatting shared by the user commands (languages, names, binary sniffing). Pure. */

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
