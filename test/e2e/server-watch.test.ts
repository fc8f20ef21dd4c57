import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, type E2E } from '../helpers/e2e.js';
import type { FakeService } from '../fakes/atomichost/index.js';
import { MEMBER_PERMISSIONS } from '../fakes/discord/world.js';
import { OptionType } from '../fakes/discord/interaction-builders.js';
import { answerConfirmation, bool, command, seen, str, userWithKey } from '../helpers/user-side.js';

const ROLE = '500000000000000007';

describe('/server watch, unwatch, schedule and schedules through the real bot', () => {
  let e2e: E2E;
  let owner: { userId: string; accountId: number };
  let survival: FakeService;
  let channelId: string;

  before(async () => {
    e2e = await startE2E();
    const o = await userWithKey(e2e, 'owner');
    owner = { userId: o.userId, accountId: o.account.id };
    survival = e2e.atomichost.addService({ name: 'Survival', ownerId: owner.accountId });
    channelId = e2e.discord.addTextChannel('status').id;
  });
  after(async () => {
    await e2e.close();
  });

  const watchCommand = (channelPermissions?: string) =>
    e2e.discord.chatInput({
      name: 'server',
      subcommand: 'watch',
      userId: owner.userId,
      ...(channelPermissions ? { channelPermissions } : {}),
      options: [
        str('server', String(survival.id)),
        { name: 'channel', type: OptionType.Channel, value: channelId },
        str('interval', '5m'),
        { name: 'alert_role', type: OptionType.Role, value: ROLE },
      ],
    });

  test('a member who may not manage messages in the channel is refused, with no upstream call', async () => {
    const before = e2e.atomichost.requests.length;
    const embed = await seen(watchCommand(MEMBER_PERMISSIONS));
    assert.match(
      embed.description ?? '',
      /Only members who may manage messages in <#\d+> can put a status panel there/,
    );
    assert.equal(e2e.atomichost.requests.length, before);
  });

  test('confirming shows the cost per day first, then posts the panel in the channel', async () => {
    const question = watchCommand();
    const asked = await seen(question);
    assert.match(
      asked.description ?? '',
      /\*\*Cost: 289 credits a day\*\* \(288 status checks \+ 1 due-date read\), 12 % of your daily 2,500/,
    );
    assert.match(asked.description ?? '', new RegExp(`Alerts ping <@&${ROLE}> \\(and nobody else\\)`));
    assert.equal(e2e.discord.channelMessages(channelId).length, 0, 'nothing posted before Confirm');

    const { embed } = await answerConfirmation(e2e, question, owner.userId);
    assert.match(
      embed.description ?? '',
      /The status panel of \*\*Survival\*\* is in <#\d+>, checked every 5 min\./,
    );
    const [panel] = e2e.discord.channelMessages(channelId);
    const shown = panel?.embeds[0] as { title?: string; description?: string } | undefined;
    assert.equal(shown?.title, 'Status of Survival');
    assert.match(shown?.description ?? '', /🟢 \*\*running\*\* · up since <t:\d+:R>\nChecked every 5 min\./);
  });

  test('/server unwatch edits the panel to say why it stopped', async () => {
    const embed = await seen(
      command(e2e, owner.userId, 'server', 'unwatch', [str('server', String(survival.id))]),
    );
    assert.match(embed.description ?? '', /Stopped the panel of server `#\d+`/);
    const [panel] = e2e.discord.channelMessages(channelId);
    await e2e.discord.waitFor(() => JSON.stringify(panel?.embeds).includes('Stopped'));
    assert.match(
      (panel?.embeds[0] as { description?: string }).description ?? '',
      /removed with `\/server unwatch`/,
    );
  });

  test('/server schedule confirms with its credits; /server schedules lists it and Cancel removes it', async () => {
    const question = command(e2e, owner.userId, 'server', 'schedule', [
      str('server', String(survival.id)),
      str('signal', 'restart'),
      str('in', '2h'),
      bool('warn', true),
    ]);
    const asked = await seen(question);
    assert.match(asked.description ?? '', /\*\*Uses up to 5 credits\*\* \(4 announcements \+ the signal\)/);
    const { embed } = await answerConfirmation(e2e, question, owner.userId);
    assert.equal(embed.title, 'Scheduled');

    const listed = command(e2e, owner.userId, 'server', 'schedules');
    const list = await seen(listed);
    assert.match(list.description ?? '', /\*\*1\.\*\* restart \*\*#\d+\*\* <t:\d+:f> · warns players/);
    const cancelId = (listed.original as { components?: Array<{ components: Array<{ custom_id: string }> }> })
      .components?.[0]?.components[0]?.custom_id;
    assert.ok(cancelId);
    const click = e2e.discord.button({
      customId: cancelId,
      messageId: listed.original?.id,
      userId: owner.userId,
    });
    await click.waitFor(() => JSON.stringify(listed.original?.embeds).includes('Cancelled'));
    assert.match(
      (listed.original?.embeds[0] as { description?: string }).description ?? '',
      /✅ Cancelled\.\n\nYou have no scheduled power actions/,
    );
    assert.equal(survival.powerHistory.length, 0);
  });

  test('/server remind: a DM when the due date is within `before`, once; `off` stops it', async () => {
    survival.dueDate = new Date(Date.now() + 2 * 86_400_000);
    const embed = await seen(
      command(e2e, owner.userId, 'server', 'remind', [
        str('server', String(survival.id)),
        str('before', '3d'),
      ]),
    );
    assert.equal(embed.title, 'Renewal reminder on');
    await e2e.discord.waitFor(() => e2e.discord.dms(owner.userId).length > 0);
    assert.match(e2e.discord.dms(owner.userId)[0]!.content, /is due for renewal <t:\d+:R>/);
    const again = await seen(
      command(e2e, owner.userId, 'server', 'remind', [
        str('server', String(survival.id)),
        str('before', '3d'),
      ]),
    );
    assert.equal(again.title, 'Renewal reminder on');
    assert.equal(e2e.discord.dms(owner.userId).length, 1, 'once per due date');
    const off = await seen(
      command(e2e, owner.userId, 'server', 'remind', [
        str('server', String(survival.id)),
        str('before', 'off'),
      ]),
    );
    assert.match(off.description ?? '', /No more renewal reminders/);
  });

  test('bad input gets a specific answer and no upstream call', async () => {
    const before = e2e.atomichost.requests.length;
    const tooShort = await seen(
      e2e.discord.chatInput({
        name: 'server',
        subcommand: 'watch',
        userId: owner.userId,
        options: [
          str('server', String(survival.id)),
          { name: 'channel', type: OptionType.Channel, value: channelId },
          str('interval', '30s'),
        ],
      }),
    );
    assert.match(tooShort.description ?? '', /at least `1m`/);
    const both = await seen(
      command(e2e, owner.userId, 'server', 'schedule', [
        str('server', String(survival.id)),
        str('signal', 'stop'),
        str('in', '1h'),
        str('at', '2030-01-01T00:00:00Z'),
      ]),
    );
    assert.match(both.description ?? '', /exactly one of `in`/);
    assert.equal(e2e.atomichost.requests.length, before);
  });

  test('a channel Hostlink cannot send to: no panel, the user is told why', async () => {
    const closed = e2e.discord.addTextChannel('closed').id;
    e2e.discord.denyAccess(closed);
    const question = e2e.discord.chatInput({
      name: 'server',
      subcommand: 'watch',
      userId: owner.userId,
      options: [
        str('server', String(survival.id)),
        { name: 'channel', type: OptionType.Channel, value: closed },
      ],
    });
    const { embed } = await answerConfirmation(e2e, question, owner.userId);
    assert.equal(embed.title, 'Not watching');
    assert.match(
      embed.description ?? '',
      /Hostlink cannot send messages in <#\d+>: give it View Channel, Send Messages/,
    );
    const before = e2e.atomichost.requests.length;
    const again = await seen(
      command(e2e, owner.userId, 'server', 'unwatch', [str('server', String(survival.id))]),
    );
    assert.match(again.description ?? '', /You are not watching server/);
    assert.equal(e2e.atomichost.requests.length, before, 'nothing is polled for it');
  });
});
