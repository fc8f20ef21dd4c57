import { spawn, type ChildProcess } from 'node:child_process';
import { WAIT_MS } from '../fakes/discord/fake-interaction.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX_LOADER = join(ROOT, 'node_modules/tsx/dist/loader.mjs');

export interface BotProcess {
  child: ChildProcess;
  /** The process's working directory (a fresh temp folder unless given): holds its data/ folder. */
  cwd: string;
  /** Every stdout line parsed as JSON (pino); non-JSON lines as `{ raw }`. */
  logs: Array<Record<string, unknown>>;
  stdout(): string;
  stderr(): string;
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  waitForExit(timeoutMs?: number): Promise<number | null>;
  /** SIGTERM, then wait for exit. */
  stop(): Promise<number | null>;
}

/**
 * Runs the real entry point (`src/index.ts` under tsx, another script of the
 * repo, or compiled JavaScript under plain node) as its own process with exactly `env` (plus PATH): nothing from the
 * developer's environment or `.env` leaks in, because the working directory
 * is a fresh temporary folder (which also holds the bot's data folder).
 */
export function startProcess(
  env: Record<string, string>,
  options: {
    script?: string;
    cwd?: string;
    /** Compiled JavaScript to run with plain `node`, as `npm start` does (relative to `cwd` when given, else to the repo). */
    compiled?: string;
    /** Variables the process gets beside `env` (an image's ENV lines). */
    baseEnv?: Record<string, string>;
    /** Extra node flags before the script (e.g. `--cpu-prof`, which NODE_OPTIONS refuses). */
    nodeArgs?: string[];
  } = {},
): BotProcess {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'hostlink-'));
  const args = [
    ...(options.nodeArgs ?? []),
    ...(options.compiled
      ? [resolve(options.cwd ?? ROOT, options.compiled)]
      : ['--import', TSX_LOADER, join(ROOT, options.script ?? 'src/index.ts')]),
  ];
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...options.baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  const err: string[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out.push(chunk);
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ raw: line });
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => err.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  return {
    child,
    cwd,
    logs,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    waitForLog(predicate, timeoutMs = WAIT_MS) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = logs.find(predicate);
          if (found) {
            cleanup();
            resolve(found);
          }
          return Boolean(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `log line not seen in ${timeoutMs} ms; stdout:\n${out.join('')}\nstderr:\n${err.join('')}`,
            ),
          );
        }, timeoutMs);
        const onExit = (): void => {
          if (check()) return;
          cleanup();
          reject(
            new Error(`bot exited before the log line; stdout:\n${out.join('')}\nstderr:\n${err.join('')}`),
          );
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off('exit', onExit);
        };
        if (check()) return;
        waiters.add(check);
        child.on('exit', onExit);
      });
    },
    async waitForExit(timeoutMs = WAIT_MS) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('process did not exit in time')), timeoutMs);
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // A backstop only: the bot exits on its own within 10 s, later on a loaded machine.
      const timer = setTimeout(() => child.kill('SIGKILL'), WAIT_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
