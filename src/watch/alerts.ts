import { plain } from '../text.js';
import type { OutMessage } from './ports.js';

/** States a transition is judged between; starting/stopping are on the way. */
export const SETTLED_STATES = new Set(['running', 'offline', 'crashed']);

const DOWN = new Set(['offline', 'crashed']);

/** running → offline/crashed and offline/crashed → running are worth an alert; nothing else is. */
export function isAlertTransition(before: string, after: string): boolean {
  return (before === 'running' && DOWN.has(after)) || (DOWN.has(before) && after === 'running');
}

function mention(roleId: string | null): Pick<OutMessage, 'mentionRoles'> & { prefix: string } {
  return roleId ? { prefix: `<@&${roleId}> `, mentionRoles: [roleId] } : { prefix: '', mentionRoles: [] };
}

export function transitionAlert(serverName: string, before: string, after: string, roleId: string | null) {
  const { prefix, mentionRoles } = mention(roleId);
  const text =
    after === 'running'
      ? `🟢 **${plain(serverName)}** is running again (was ${before}).`
      : `🔴 **${plain(serverName)}** is ${after === 'crashed' ? 'crashed' : 'offline'} (was running).`;
  return { content: prefix + text, mentionRoles };
}

export function unreachableAlert(serverName: string, checks: number, roleId: string | null): OutMessage {
  const { prefix, mentionRoles } = mention(roleId);
  return {
    content: `${prefix}⚪ **${plain(serverName)}** has been unreachable for ${checks} checks in a row.`,
    mentionRoles,
  };
}

export function reachableAlert(serverName: string, state: string, roleId: string | null): OutMessage {
  const { prefix, mentionRoles } = mention(roleId);
  return {
    content: `${prefix}🔁 **${plain(serverName)}** is reachable again (${plain(state, 30)}).`,
    mentionRoles,
  };
}
