import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs a Dockerfile's steps on this machine, in temporary folders, the way
 * the image would be built (Docker itself cannot run here): each stage's
 * WORKDIR is a folder of its own, COPY copies from the repo (or from an
 * earlier stage's folder with --from), RUN runs through `sh -c` there, and
 * ENV and CMD are returned for the caller to start the program with.
 *
 * Two substitutions, both about what the machine provides rather than what
 * the project does: `apt-get` lines (system packages of the base image) are
 * skipped, and `npm rebuild <packages>` copies this checkout's compiled addons
 * (same version and platform: what its prebuilt download would be) instead
 * of compiling it for minutes. npm may use its local cache (prefer-offline).
 */

export interface Stage {
  name: string;
  dir: string;
  workdir: string;
  env: Record<string, string>;
  cmd: string[] | undefined;
}

interface Instruction {
  keyword: string;
  args: string;
}

export function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const space = line.indexOf(' ');
      return { keyword: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
    });
}

function run(command: string, cwd: string, log: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      cwd,
      env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      log.push(`$ ${command}\n${output.join('')}`);
      if (code === 0) resolve();
      else reject(new Error(`RUN ${command} failed (${code}):\n${output.join('')}`));
    });
  });
}

export async function runDockerfile(
  repoRoot: string,
  dockerfile = 'Dockerfile',
): Promise<{ stages: Stage[]; log: string[]; folder: string }> {
  const instructions = parseDockerfile(readFileSync(join(repoRoot, dockerfile), 'utf8'));
  const base = mkdtempSync(join(tmpdir(), 'hostlink-image-'));
  const stages: Stage[] = [];
  const log: string[] = [];
  let stage: Stage | undefined;
  const inStage = (path: string, of: Stage): string =>
    path.startsWith('/')
      ? join(of.dir, path.startsWith(of.workdir) ? path.slice(of.workdir.length) : path)
      : join(of.dir, path);

  for (const { keyword, args } of instructions) {
    if (keyword === 'FROM') {
      const name = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? `stage${stages.length}`;
      stage = { name, dir: join(base, name), workdir: '/', env: {}, cmd: undefined };
      mkdirSync(stage.dir, { recursive: true });
      stages.push(stage);
      continue;
    }
    if (!stage) throw new Error(`${keyword} before FROM`);
    switch (keyword) {
      case 'WORKDIR':
        stage.workdir = args;
        break;
      case 'ENV': {
        const [key, ...value] = args.split('=');
        stage.env[key!] = value.join('=');
        break;
      }
      case 'COPY': {
        const words = args.split(/\s+/);
        const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
        const paths = words.filter((w) => !w.startsWith('--'));
        const destination = inStage(paths.pop()!, stage);
        const source = from ? stages.find((s) => s.name === from) : undefined;
        if (from && !source) throw new Error(`COPY --from=${from}: no such stage`);
        for (const path of paths) {
          const origin = source ? inStage(path, source) : join(repoRoot, path);
          const target =
            paths.length > 1 || destination.endsWith('/')
              ? join(destination, path.split('/').pop()!)
              : destination;
          cpSync(origin, target, { recursive: true });
        }
        break;
      }
      case 'RUN':
        if (/^apt-get\b/.test(args)) break;
        if (args.startsWith('npm rebuild ')) {
          for (const name of args.slice('npm rebuild '.length).split(/\s+/))
            cpSync(
              join(repoRoot, 'node_modules', name, 'build'),
              join(stage.dir, 'node_modules', name, 'build'),
              { recursive: true },
            );
          break;
        }
        // The runtime stage's own folders and ownership are the image's business.
        if (/^(mkdir|chown)\b/.test(args)) break;
        await run(args, stage.dir, log);
        break;
      case 'CMD':
        stage.cmd = JSON.parse(args) as string[];
        break;
      default:
        break; // USER, VOLUME, ENTRYPOINT: how Docker runs the process, not what it runs
    }
  }
  return { stages, log, folder: base };
}
