import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real bot (src/index.ts) as a child process of the demo, wired to the
 * fakes by its environment alone: no `.env` (it runs in a fresh temporary
 * folder, which also holds its SQLite store and is removed afterwards).
 * Its JSON log stays out of the way: warnings and errors are shown as one
 * short line each, everything else is dropped.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX_LOADER = join(ROOT, 'node_modules/tsx/dist/loader.mjs');
const READY_MESSAGE = 'Hostlink is ready';
/** pino's numeric levels. */
const WARN = 40;
const STDERR_KEPT = 8_192;

export interface DemoBot {
  /** Resolves when the bot logged in; rejects with its output when it exits first. */
  ready: Promise<void>;
  /** Resolves with the exit code when the process ends (by stop() or on its own). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function startDemoBot(env: Record<string, string>, warn: (line: string) => void): DemoBot {
  const cwd = mkdtempSync(join(tmpdir(), 'hostlink-demo-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX_LOADER, join(ROOT, 'src/index.ts')], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let partial = '';
  let isReady = false;
  let markReady: () => void = () => {};
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    void exited.then((code) => {
      if (!isReady)
        reject(new Error(`The bot stopped before it was ready (exit code ${code}).\n${stderr.trim()}`));
    });
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT);
    if (isReady) warn(chunk.trimEnd());
  });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = (lines.pop() ?? '').slice(-STDERR_KEPT);
    for (const line of lines) {
      const entry = parseLogLine(line);
      if (entry?.msg === READY_MESSAGE && !isReady) {
        isReady = true;
        markReady();
      } else if (entry && entry.level >= WARN) warn(`bot: ${entry.msg}${entry.err ? ` (${entry.err})` : ''}`);
      else if (!entry && line.trim()) warn(`bot: ${line}`);
    }
  });
  return {
    ready,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

function parseLogLine(line: string): { level: number; msg: string; err?: string } | undefined {
  try {
    const parsed = JSON.parse(line) as { level?: unknown; msg?: unknown; err?: { message?: unknown } };
    if (typeof parsed.level !== 'number') return undefined;
    const err = typeof parsed.err?.message === 'string' ? parsed.err.message : undefined;
    return { level: parsed.level, msg: String(parsed.msg ?? ''), err };
  } catch {
    return undefined;
  }
}
