import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HELIACTYL_KEY,
  ROLES,
  answerEmbeds,
  isEphemeral,
  startE2E,
  waitForAnswer,
  type E2E,
} from '../helpers/e2e.js';

function panelStatus(e2e: E2E, roles: string[] = [ROLES.moderator]) {
  return e2e.discord.chatInput({ name: 'panel', subcommand: 'status', roles });
}

function dashboardCalls(e2e: E2E): number {
  return e2e.heliactyl.requests.filter((r) => r.path === '/api').length;
}

describe('/panel status against a configured bot', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ env: { HELIACTYL_MAX_WAIT_MS: '10000' } });
  });
  after(async () => {
    await e2e.close();
  });

  test('shows version and platform codename, ephemerally, after deferring', async () => {
    const interaction = panelStatus(e2e);
    const embed = await waitForAnswer(interaction);
    assert.equal(interaction.callbacks[0]?.type, 5, 'deferred before calling the dashboard');
    assert.ok(isEphemeral(interaction));
    assert.equal(embed.title, 'Dashboard is online');
    const fields = embed.fields as Array<{ name: string; value: string }>;
    assert.equal(fields.find((f) => f.name === 'Version')?.value, '3.2.1-beta.1');
    assert.equal(fields.find((f) => f.name === 'Platform')?.value, 'Avalanche 2');
    const call = e2e.heliactyl.requests.at(-1)!;
    assert.equal(call.method, 'GET');
    assert.equal(call.path, '/api');
    assert.equal(call.headers.authorization, `Bearer ${HELIACTYL_KEY}`);
    assert.deepEqual(interaction.original?.allowed_mentions, { parse: [] });
  });

  test('admins may use it too', async () => {
    const embed = await waitForAnswer(panelStatus(e2e, [ROLES.admin]));
    assert.equal(embed.title, 'Dashboard is online');
  });

  test('a member without a moderator or admin role is refused without a dashboard call', async () => {
    const before = dashboardCalls(e2e);
    const interaction = panelStatus(e2e, [ROLES.member]);
    const callback = await interaction.waitForCallback();
    assert.equal(callback.type, 4);
    assert.ok(isEphemeral(interaction));
    const embed = (callback.data as { embeds: Array<{ title: string; description: string }> }).embeds[0]!;
    assert.equal(embed.title, 'Not allowed');
    assert.match(embed.description, /`\/panel status` is for moderators/);
    assert.equal(dashboardCalls(e2e), before);
  });

  const failures: Array<{ name: string; arrange: (e2e: E2E) => void; expect: RegExp }> = [
    {
      name: 'the dashboard is slow (no answer within HTTP_TIMEOUT_MS)',
      arrange: (e) => e.heliactyl.faults.add({ fault: { kind: 'hang' }, path: '/api', times: 1 }),
      expect: /did not answer within 2 s/,
    },
    {
      name: 'the dashboard drops the connection',
      arrange: (e) => e.heliactyl.faults.add({ fault: { kind: 'reset' }, path: '/api', times: 1 }),
      expect: /connection to the dashboard broke|could not connect to the dashboard/,
    },
    {
      name: 'the dashboard answers 502',
      arrange: (e) =>
        e.heliactyl.faults.add({
          fault: { kind: 'status', status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' },
          path: '/api',
          times: 1,
        }),
      expect: /dashboard (failed \(HTTP 502\)|reported an error: "Bad Gateway")/,
    },
    {
      name: 'the dashboard sends malformed JSON',
      arrange: (e) => e.heliactyl.faults.add({ fault: { kind: 'malformed' }, path: '/api', times: 1 }),
      expect: /answer the bot could not read/,
    },
    {
      name: 'the dashboard API is disabled',
      arrange: (e) => {
        e.heliactyl.enabled = false;
      },
      expect: /API is disabled/,
    },
    {
      name: 'the dashboard rate-limits the bot',
      arrange: (e) =>
        e.heliactyl.faults.add({
          fault: { kind: 'rate_limit', retryAfterSeconds: 1 },
          path: '/api',
          times: 1,
        }),
      expect: /rate-limiting the bot; try again in 1 s/,
    },
  ];

  for (const failure of failures) {
    test(`a clear reply when ${failure.name}`, async () => {
      failure.arrange(e2e);
      try {
        const embed = await waitForAnswer(panelStatus(e2e));
        assert.equal(embed.title, 'Dashboard error');
        assert.match(String(embed.description), failure.expect);
      } finally {
        e2e.heliactyl.enabled = true;
        e2e.heliactyl.faults.clear();
      }
    });
  }

  test('the bot stays up after every failure and answers again', async () => {
    // No wait here: the bot holds the call until the 429 above has passed (HELIACTYL_MAX_WAIT_MS).
    const embed = await waitForAnswer(panelStatus(e2e));
    assert.equal(embed.title, 'Dashboard is online');
  });

  test('Discord forgetting the interaction (10062) is logged, not fatal', async () => {
    e2e.discord.faults.add({
      fault: {
        kind: 'status',
        status: 404,
        body: JSON.stringify({ code: 10062, message: 'Unknown interaction' }),
      },
      path: '/callback',
      times: 1,
    });
    panelStatus(e2e);
    await e2e.bot.waitForLog((l) => l.msg === 'Discord rejected a late or duplicate answer');
    const embed = await waitForAnswer(panelStatus(e2e));
    assert.equal(embed.title, 'Dashboard is online');
  });

  test('logs carry structured fields and never the dashboard key or the bot token', () => {
    const stdout = e2e.bot.stdout();
    assert.ok(!stdout.includes(HELIACTYL_KEY), 'dashboard key in logs');
    assert.ok(!stdout.includes(e2e.env.DISCORD_TOKEN!), 'bot token in logs');
    const refusal = e2e.bot.logs.find((l) => l.msg === 'Refused by role policy');
    assert.equal(refusal?.command, 'panel status');
    assert.match(String(refusal?.userId), /^\d{17,20}$/);
    assert.equal(refusal?.guildId, e2e.discord.guildId);
  });
});

describe('/panel status with a key the dashboard rejects', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ env: { HELIACTYL_API_KEY: 'hl_wrong_key_for_this_dashboard' } });
  });
  after(async () => {
    await e2e.close();
  });

  test('tells the moderator the bot is misconfigured and logs it for the operator', async () => {
    const embed = await waitForAnswer(panelStatus(e2e));
    assert.match(String(embed.description), /rejected the bot's API key — the bot is misconfigured/);
    const line = await e2e.bot.waitForLog((l) => l.level === 50 && String(l.msg).includes('Dashboard error'));
    assert.equal(line.command, 'panel status');
    assert.ok(!e2e.bot.stdout().includes('hl_wrong_key_for_this_dashboard'));
  });
});

describe('/panel status when the operator configured no roles or no dashboard', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({
      env: { ADMIN_ROLE_IDS: '', MODERATOR_ROLE_IDS: '', HELIACTYL_URL: '', HELIACTYL_API_KEY: '' },
    });
  });
  after(async () => {
    await e2e.close();
  });

  test('no roles configured: refused, naming the variables to set', async () => {
    const interaction = panelStatus(e2e, [ROLES.admin]);
    await interaction.waitForCallback();
    const embed = answerEmbedsFromCallback(interaction);
    assert.match(embed.description, /MODERATOR_ROLE_IDS.*ADMIN_ROLE_IDS/);
    assert.equal(e2e.heliactyl.requests.length, 0);
  });
});

describe('/panel status when the dashboard is not configured', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ env: { HELIACTYL_URL: '', HELIACTYL_API_KEY: '' } });
  });
  after(async () => {
    await e2e.close();
  });

  test('says which variables the operator must set', async () => {
    const interaction = panelStatus(e2e);
    await interaction.waitForCallback();
    const embed = answerEmbedsFromCallback(interaction);
    assert.equal(embed.title, 'Dashboard not configured');
    assert.match(embed.description, /HELIACTYL_URL.*HELIACTYL_API_KEY/);
    assert.equal(e2e.heliactyl.requests.length, 0);
  });
});

function answerEmbedsFromCallback(interaction: ReturnType<E2E['discord']['chatInput']>): {
  title: string;
  description: string;
} {
  const fromCallback = (
    interaction.callbacks[0]?.data as { embeds?: Array<{ title: string; description: string }> }
  )?.embeds?.[0];
  return fromCallback ?? (answerEmbeds(interaction)[0] as { title: string; description: string });
}
