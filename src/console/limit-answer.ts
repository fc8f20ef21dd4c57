import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
} from 'discord.js';
import type { AtomicHostError } from '../atomichost/errors.js';
import { fitEmbeds } from '../bot/embed-limits.js';
import { Colors } from '../bot/style.js';
import { plain } from '../text.js';
import { minutes } from './close-wording.js';
import { consoleCustomId } from './view.js';
import type { StreamEntry } from '../coordination/index.js';
import type { Clock } from '../clock.js';

/** What the answer shows of one stream Hostlink holds for the user. */
export interface HeldStream {
  id: string;
  serverId: string;
  serverName: string | undefined;
  openForMs: number;
  /** Messages showing it; undefined when another Hostlink process holds it (no Stop button here). */
  messages: number | undefined;
}

/** The answer at the account's stream limit: what Hostlink holds, with a Stop button for each. */
export function limitAnswer(
  userId: string,
  held: HeldStream[],
  error?: AtomicHostError,
  note?: string,
): { embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[] } {
  const sessions = held.slice(0, 5);
  const lines = sessions.map((s) => {
    const label = s.serverName ? `**${plain(s.serverName, 60)}** (#${s.serverId})` : `server #${s.serverId}`;
    const where =
      s.messages === undefined
        ? 'held by another Hostlink process'
        : `shown in ${s.messages} ${s.messages === 1 ? 'message' : 'messages'}`;
    return `• ${label} — open ${minutes(s.openForMs)}, ${where}`;
  });
  const heldText =
    sessions.length === 0
      ? 'None of them is held by Hostlink: they are open elsewhere (the AtomicHost website or another tool) and close on their own when their time is up.'
      : `Hostlink holds ${sessions.length === 1 ? 'this one' : 'these'} for you — stop one to open another:\n${lines.join('\n')}`;
  const credits = error?.limits?.credits;
  const description = [
    note,
    `AtomicHost allows 3 console streams per account at a time, and yours are all open. ${heldText}`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const embed: APIEmbed = {
    title: 'Too many console streams',
    description,
    color: Colors.warning,
    ...(credits ? { footer: { text: `${credits.remaining} of ${credits.limit} credits left today` } } : {}),
  };
  const buttons: APIButtonComponent[] = sessions
    .filter((s) => s.messages !== undefined)
    .map((s) => ({
      type: ComponentType.Button,
      style: ButtonStyle.Danger,
      label: `Stop #${s.serverId}`.slice(0, 80),
      custom_id: consoleCustomId({
        action: 'stopsession',
        id: s.id,
        serverId: s.serverId,
        invokerId: userId,
        isPublic: false,
      }),
    }));
  return {
    embeds: fitEmbeds([embed]),
    components: buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [],
  };
}

/**
 * What holds the account's places: this process's sessions, then the
 * streams the registry says other Hostlink processes hold (no Stop button:
 * they live elsewhere).
 */
export function heldStreams(
  sessions: ReadonlyArray<{ id: string; serverId: string; openedAt: number; views: { size: number } }>,
  elsewhere: StreamEntry[],
  clock: Clock,
  serverName: (serverId: string) => string | undefined,
): HeldStream[] {
  const now = clock.now();
  const wallNow = clock.wallNow();
  const mine = new Set(sessions.map((s) => s.id));
  return [
    ...sessions.map((s) => ({
      id: s.id,
      serverId: s.serverId,
      serverName: serverName(s.serverId),
      openForMs: now - s.openedAt,
      messages: s.views.size,
    })),
    ...elsewhere
      .filter((entry) => !mine.has(entry.id))
      .map((entry) => ({
        id: entry.id,
        serverId: entry.serverId,
        serverName: serverName(entry.serverId),
        openForMs: Math.max(0, wallNow - entry.openedAt),
        messages: undefined,
      })),
  ];
}
