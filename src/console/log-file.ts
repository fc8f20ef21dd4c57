import type { Clock } from '../clock.js';
import { TRANSCRIPT_BOUND_TEXT } from './transcript.js';
import type { ConsoleView } from './view.js';

/** The log file of a message: a header stating the bound, then the kept lines without colours. */
export function consoleLogFile(view: ConsoleView, clock: Clock): { name: string; data: Buffer } {
  const t = view.log.summary();
  const header = [
    `Hostlink console log — ${view.title().replace(/^Console · /, '')}`,
    `Started ${view.startedAt.toISOString()}${view.endedAt ? `, ended ${view.endedAt.toISOString()}` : ' (still live)'}`,
    view.ending ? `Why it ended: ${view.ending.text}` : '',
    `Lines received: ${t.received}. Kept: ${t.kept} (bound: ${TRANSCRIPT_BOUND_TEXT}; ${t.dropped} older lines dropped).`,
    'Colours and control characters are removed.',
    '-'.repeat(60),
    '',
  ]
    .filter((line, index, all) => line !== '' || index === all.length - 1)
    .join('\n');
  const stamp = (view.endedAt ?? new Date(clock.wallNow())).toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return {
    name: `console-${view.serverId}-${stamp}.log`,
    data: Buffer.concat([Buffer.from(header), view.log.toBuffer()]),
  };
}
