import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeDiscord } from '../fakes/discord/index.js';
import { startProcess } from '../helpers/bot-process.js';
import { ROLES, startE2E, waitForAnswer } from '../helpers/e2e.js';
import { runDockerfile, type Stage } from '../helpers/dockerfile.js';
import { npmStart } from '../helpers/npm-start.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Issue 13 item 11: the Dockerfile's build and start steps, run in a temporary
 * folder the way the image would (npm ci, build, prune, then its CMD with
 * plain node), reach READY against the fake Discord and answer a command.
 */
describe('the Dockerfile, built and started without Docker', () => {
  let runtime: Stage;
  let folder: string;
  before(async () => {
    const built = await runDockerfile(ROOT);
    runtime = built.stages.at(-1)!;
    folder = built.folder;
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('issue13 item 11: the runtime stage holds the bundled JavaScript and production dependencies only', () => {
    const start = npmStart();
    assert.deepEqual(
      runtime.cmd,
      ['node', ...start.nodeArgs, start.compiled],
      'node itself is the command, with the flags of npm start',
    );
    assert.ok(existsSync(join(runtime.dir, 'dist/src/index.js')));
    assert.ok(
      existsSync(join(runtime.dir, 'dist/deploy-commands.js')),
      'deploy-commands bundled beside the bot',
    );
    assert.ok(existsSync(join(runtime.dir, 'node_modules/discord.js')));
    assert.equal(existsSync(join(runtime.dir, 'node_modules/typescript')), false, 'dev dependencies pruned');
    assert.equal(existsSync(join(runtime.dir, 'node_modules/tsx')), false, 'no TypeScript loader');
    assert.equal(existsSync(join(runtime.dir, 'src')), false, 'no sources in the image');
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^USER node$/m, 'runs as a non-root user');
    assert.match(dockerfile, /^VOLUME \["\/app\/data"\]$/m, 'data on a volume');
    assert.match(dockerfile, /^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m, 'an init forwards signals');
  });

  test('issue13 item 11: the systemd unit example starts node with the flags of npm start', () => {
    const unit = readFileSync(join(ROOT, 'deploy/hostlink.service'), 'utf8');
    const start = npmStart();
    const execStart = /^ExecStart=(.+)$/m.exec(unit)?.[1];
    assert.equal(execStart, ['/usr/bin/node', ...start.nodeArgs, start.compiled].join(' '));
  });

  test('issue13 item 11: its CMD reaches READY, answers /panel status, and exits 0 on SIGTERM', async () => {
    const [program, ...args] = runtime.cmd!;
    assert.equal(program, 'node');
    const e2e = await startE2E({
      process: {
        compiled: args.at(-1)!,
        nodeArgs: args.slice(0, -1),
        cwd: runtime.dir,
        baseEnv: runtime.env,
      },
    });
    try {
      const embed = await waitForAnswer(
        e2e.discord.chatInput({ name: 'panel', subcommand: 'status', roles: [ROLES.moderator] }),
      );
      assert.equal(embed.title, 'Dashboard is online');
      assert.ok(existsSync(join(runtime.dir, 'data')), 'the store lives in the data folder (the volume)');
      e2e.bot.child.kill('SIGTERM');
      assert.equal(await e2e.bot.waitForExit(), 0);
    } finally {
      await e2e.close();
    }
  });

  describe('compiled deploy', () => {
    let discord: FakeDiscord;
    before(async () => {
      discord = await FakeDiscord.start();
    });
    after(async () => {
      await discord.close();
    });

    test('issue13 item 2: node dist/deploy-commands.js in the image registers the commands', async () => {
      const run = startProcess(
        {
          DISCORD_TOKEN: discord.botToken,
          DISCORD_APPLICATION_ID: discord.applicationId,
          DISCORD_API_URL: discord.apiUrl,
          DISCORD_GUILD_ID: discord.guildId,
        },
        { compiled: 'dist/deploy-commands.js', cwd: runtime.dir, baseEnv: runtime.env },
      );
      assert.equal(await run.waitForExit(), 0, run.stderr());
      const registered = (discord.commands.guild.get(discord.guildId) ?? []) as Array<{ name: string }>;
      assert.ok(registered.some((command) => command.name === 'panel'));
      assert.match(run.stdout(), /Registered \d+ commands in guild/);
      assert.deepEqual(discord.violations, []);
    });
  });
});
