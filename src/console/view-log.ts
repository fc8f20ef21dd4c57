import { TRANSCRIPT_BOUND_TEXT, TRANSCRIPT_MAX_BYTES, type Transcript } from './transcript.js';

/** A stretch of one stream's transcript that a message showed: lines [from, to), `to` open while live. */
interface Segment {
  transcript: Transcript;
  from: number;
  to: number | undefined;
}

export interface LogSummary {
  /** Lines the message received while it followed its streams. */
  received: number;
  /** Of those, the lines still kept (see TRANSCRIPT_BOUND_TEXT). */
  kept: number;
  dropped: number;
}

/**
 * What *Download log* gives for one message: the stretches of the stream
 * transcripts it followed. The transcript belongs to the stream and is kept
 * once however many messages show it; a message only remembers where it
 * started and stopped reading. After several reconnects the oldest stretches
 * are let go once their transcripts together exceed the transcript bound.
 */
export class ViewLog {
  #segments: Segment[] = [];
  /** Lines of stretches let go. */
  #forgotten = 0;

  /** Starts reading `transcript` from its next line (ends the current stretch first). */
  follow(transcript: Transcript): void {
    this.stop();
    this.#segments.push({ transcript, from: transcript.received, to: undefined });
    this.#bound();
  }

  /** Ends the current stretch at the transcript's last line. */
  stop(): void {
    const last = this.#segments.at(-1);
    if (last && last.to === undefined) last.to = last.transcript.received;
  }

  summary(): LogSummary {
    let received = this.#forgotten;
    let kept = 0;
    for (const segment of this.#segments) {
      const to = segment.to ?? segment.transcript.received;
      received += to - segment.from;
      kept += Math.max(0, to - Math.max(segment.from, segment.transcript.firstKept));
    }
    return { received, kept, dropped: received - kept };
  }

  /** The kept lines, oldest first, as UTF-8 text (one per line). */
  toBuffer(): Buffer {
    return Buffer.concat(
      this.#segments.map((s) => s.transcript.slice(s.from, s.to ?? s.transcript.received).data),
    );
  }

  #bound(): void {
    const held = (): number =>
      [...new Set(this.#segments.map((s) => s.transcript))].reduce((sum, t) => sum + t.keptBytes, 0);
    while (this.#segments.length > 1 && held() > TRANSCRIPT_MAX_BYTES) {
      const oldest = this.#segments.shift()!;
      this.#forgotten += (oldest.to ?? oldest.transcript.received) - oldest.from;
    }
  }
}

/** The kept-lines sentence of the *Download log* answer. */
export function logSummaryText(summary: LogSummary): string {
  const bound = `logs keep ${TRANSCRIPT_BOUND_TEXT}`;
  return summary.dropped > 0
    ? `The last ${summary.kept.toLocaleString('en-US')} of ${summary.received.toLocaleString('en-US')} lines (${bound}).`
    : `All ${summary.received.toLocaleString('en-US')} lines (${bound}).`;
}
