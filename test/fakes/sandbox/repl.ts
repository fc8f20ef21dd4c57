import { createInterface } from 'node:readline';
import type { CommandDefinition } from './command-line.js';
import { HostlinkPrompt } from './prompt.js';
import type { Sandbox } from './seed.js';

/**
 * Runs the `hostlink>` prompt on stdin/stdout. Lines are handled one at a
 * time in the order typed (or piped); `:quit`, Ctrl+D or the end of piped
 * input resolve the returned promise once the last line's answer is printed.
 */
export function runRepl(
  sandbox: Sandbox,
  commands: ReadonlyMap<string, CommandDefinition>,
): { prompt: HostlinkPrompt; done: Promise<void> } {
  const readline = createInterface({ input: process.stdin, output: process.stdout, prompt: 'hostlink> ' });
  const print = (text: string): void => {
    process.stdout.write(`${text}\n`);
  };
  let closed = false;
  const offerPrompt = (): void => {
    if (!closed) readline.prompt(true);
  };
  const prompt = new HostlinkPrompt(sandbox, commands, print, offerPrompt, process.stdout.isTTY);
  let queue = Promise.resolve();
  let quitting = false;
  const done = new Promise<void>((resolve) => {
    readline.on('line', (line) => {
      prompt.interrupt();
      queue = queue.then(async () => {
        if (quitting) return;
        const result = await prompt.handle(line).catch((error: unknown) => {
          print(`(${describeFailure(error)})`);
          return undefined;
        });
        if (result === 'quit') {
          quitting = true;
          readline.close();
        } else offerPrompt();
      });
    });
    readline.on('close', () => {
      closed = true;
      prompt.interrupt();
      void queue.then(resolve);
    });
    readline.on('SIGINT', () => readline.close());
  });
  readline.prompt();
  return { prompt, done };
}

function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('no gateway client')) {
    return 'the bot is not connected to the fake Discord yet: start it with `npm start`, or use `npm run demo`';
  }
  return `prompt error: ${message}`;
}
