import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Starting two TypeScript processes and three fakes on a loaded 2-core machine. */
const START_MS = 120_000;
const ANSWER_MS = 30_000;

/**
 * `npm run demo` driven through its stdin like a person at the keyboard: one
 * command starts the fakes and the real bot, and the prompt answers slash
 * commands, including a live console whose output arrives while we watch.
 */
describe('npm run demo', () => {
  let demo: ChildProcess;
  let output = '';
  const changed = new Set<() => void>();

  /** Resolves with the match once `pattern` appears in the output written after `from`. */
  function until(pattern: RegExp, from: number, timeoutMs = ANSWER_MS): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(output.slice(from));
        if (!match) return;
        changed.delete(check);
        clearTimeout(timer);
        resolve(match);
      };
      const timer = setTimeout(() => {
        changed.delete(check);
        reject(new Error(`${pattern} not seen in ${timeoutMs} ms; output since:\n${output.slice(from)}`));
      }, timeoutMs);
      changed.add(check);
      check();
    });
  }

  /** Types one line; resolves once `expect` shows in what the demo printed after it. */
  function type(line: string, expect: RegExp, timeoutMs?: number): Promise<RegExpExecArray> {
    const from = output.length;
    demo.stdin!.write(`${line}\n`);
    return until(expect, from, timeoutMs);
  }

  before(async () => {
    demo = spawn('npm', ['run', '--silent', 'demo'], {
      cwd: ROOT,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const collect = (chunk: string): void => {
      output += chunk;
      for (const check of [...changed]) check();
    };
    demo.stdout!.setEncoding('utf8').on('data', collect);
    demo.stderr!.setEncoding('utf8').on('data', collect);
    await until(/hostlink> /, 0, START_MS);
  });

  after(() => {
    if (demo.exitCode === null && demo.signalCode === null) process.kill(-demo.pid!, 'SIGTERM');
  });

  test('answers /panel status and /server list with no .env and no deploy step', async () => {
    await type(
      '/panel status',
      /\[\d+\] reply to \/panel status[^\n]*\n== Dashboard is online\n {2}Version: /,
    );
    const list = await type('/server list', /== Your servers\n([\s\S]*?)\n {2}-- /);
    assert.match(list[1]!, /\*\*Survival SMP\*\* · `#101`/);
    assert.match(list[1]!, /\*\*Lobby Proxy\*\* · `#103`/);
  });

  test('typed values are checked as Discord checks them: nothing reaches the bot', async () => {
    await type(
      '/coins add user:100000000000000003 amount:1e9',
      /Discord would not send this: amount: "1e9" is not a whole number$/m,
    );
    await type(
      '/coins add user:100000000000000003',
      /Discord would not send this: \/coins add needs amount:… \(required\)$/m,
    );
    await type(':messages', /\[2\] reply to \/server list \(only you\) — Your servers\n/);
    assert.doesNotMatch(output, /reply to \/coins add/, 'no refused command was answered by the bot');
  });

  test('/console stream shows live output; a command typed into its form reaches the server', async () => {
    const opened = await type('/console stream server:101', /\[(\d+)\] reply to \/console stream/);
    const n = opened[1]!;
    await type(`:watch ${n}`, /```ansi\n[^`]*\[Server thread\/INFO\]: /, ANSWER_MS);
    await type(`:press ${n}.1`, /The bot opened a form "[^"]*" with field\(s\): command\n/);
    await type(':form command="say hello world"', /\[\d+\] answer to the form/);
    await type(`:watch ${n}`, /\[Server\] hello world\n/, ANSWER_MS);
  });

  test(':as member: moderator commands are refused; the prompt says who you are', async () => {
    await type(':as member', /You are now alex \(member: /);
    await type('/panel status', /`\/panel status` is for moderators: you need a moderator or admin role\./);
  });

  test('the end of input stops the fakes and the bot, exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => demo.on('exit', (code) => resolve(code)));
    demo.stdin!.end();
    assert.equal(await exited, 0);
  });
});
