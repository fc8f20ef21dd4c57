import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { formatCount } from '../format.js';

/**
 * The whole output of one console message, for *Download log*, bounded:
 * the newest TRANSCRIPT_MAX_LINES lines and TRANSCRIPT_MAX_BYTES bytes are
 * kept (older ones are dropped, and the file says how many). Lines are
 * packed into chunks that are compressed once full, so a console costs a
 * fraction of its text in memory.
 */
export const TRANSCRIPT_MAX_LINES = 20_000;
export const TRANSCRIPT_MAX_BYTES = 2 * 1024 * 1024;
/** One line is cut to this many characters in the transcript. */
export const TRANSCRIPT_LINE_MAX = 8_192;
/**
 * Raw bytes per compressed chunk. Each live console holds one chunk's buffer
 * while it fills; 16 KB packs within 3 % of 32 KB and halves that buffer.
 */
const CHUNK_BYTES = 16 * 1024;
/**
 * Brotli at quality 5: server log lines pack about 28 % smaller than with
 * deflate at its fastest level (74 against 103 KiB for 888 KiB of lines, in
 * 16 KB chunks), for about 20 ms of CPU per MB of output.
 */
const BROTLI = {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 5,
    [constants.BROTLI_PARAM_LGWIN]: 16,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
  },
};

/** The bound in words, for the message and the file. */
export const TRANSCRIPT_BOUND_TEXT = `the last ${formatCount(TRANSCRIPT_MAX_LINES)} lines or 2 MB`;

interface Chunk {
  data: Buffer;
  lines: number;
  bytes: number;
}

export interface TranscriptOptions {
  maxLines?: number;
  maxBytes?: number;
  chunkBytes?: number;
}

export class Transcript {
  readonly #maxLines: number;
  readonly #maxBytes: number;
  readonly #chunkBytes: number;
  readonly #chunkLines: number;
  #chunks: Chunk[] = [];
  /** The chunk being filled: lines are copied in as UTF-8 at once, so no string is kept alive. */
  #open: Buffer;
  #openBytes = 0;
  #openLines = 0;
  #lines = 0;
  #bytes = 0;
  #droppedLines = 0;
  #received = 0;

  constructor(options: TranscriptOptions = {}) {
    this.#maxLines = options.maxLines ?? TRANSCRIPT_MAX_LINES;
    this.#maxBytes = options.maxBytes ?? TRANSCRIPT_MAX_BYTES;
    this.#chunkLines = Math.max(1, Math.floor(this.#maxLines / 20));
    this.#chunkBytes = Math.min(
      options.chunkBytes ?? CHUNK_BYTES,
      Math.max(1, Math.floor(this.#maxBytes / 4)),
    );
    this.#open = Buffer.alloc(0);
  }

  /** Lines appended in total (kept or dropped). */
  get received(): number {
    return this.#received;
  }

  /** Lines dropped to stay within the bound. */
  get dropped(): number {
    return this.#droppedLines;
  }

  get keptLines(): number {
    return this.#lines;
  }

  /** Bytes the kept lines take uncompressed (UTF-8, with newlines). */
  get keptBytes(): number {
    return this.#bytes;
  }

  /** Bytes held in memory (compressed chunks plus the chunk being filled). */
  get memoryBytes(): number {
    return this.#chunks.reduce((sum, c) => sum + c.data.length, 0) + this.#open.length;
  }

  /** Sequence number (0-based, in order of appending) of the oldest line still kept. */
  get firstKept(): number {
    return this.#received - this.#lines;
  }

  append(line: string): void {
    const cut = line.length > TRANSCRIPT_LINE_MAX ? `${line.slice(0, TRANSCRIPT_LINE_MAX)}…` : line;
    // One line per line: slice() counts newlines.
    const text = cut.includes('\n') ? cut.replace(/\n/g, ' ') : cut;
    // Room for the worst case (3 UTF-8 bytes per UTF-16 unit) saves measuring the line first.
    const room = text.length * 3 + 1;
    if (this.#openBytes + room > this.#open.length) {
      if (this.#openBytes > 0) this.#seal();
      if (room > this.#open.length) this.#open = Buffer.allocUnsafe(Math.max(room, this.#chunkBytes));
    }
    const bytes = this.#open.write(text, this.#openBytes) + 1;
    this.#openBytes += bytes;
    this.#open[this.#openBytes - 1] = 0x0a;
    this.#openLines += 1;
    this.#received += 1;
    this.#lines += 1;
    this.#bytes += bytes;
    if (this.#openBytes >= this.#chunkBytes || this.#openLines >= this.#chunkLines) this.#seal();
    this.#enforce();
  }

  #seal(): void {
    if (this.#openLines === 0) return;
    const compressed = brotliCompressSync(this.#open.subarray(0, this.#openBytes), BROTLI);
    // Copied into memory of its own: zlib's output buffer is larger, and a small Buffer.from
    // would share an 8 KB pool slab with other consoles' chunks (kept until all are dropped).
    const data = Buffer.allocUnsafeSlow(compressed.length);
    compressed.copy(data);
    this.#chunks.push({ data, lines: this.#openLines, bytes: this.#openBytes });
    this.#openBytes = 0;
    this.#openLines = 0;
  }

  /** Drops the oldest chunks until within the bound (a chunk holds at most a twentieth of the lines). */
  #enforce(): void {
    while (this.#lines > this.#maxLines || this.#bytes > this.#maxBytes) {
      if (this.#chunks.length === 0) this.#seal();
      const oldest = this.#chunks.shift();
      if (!oldest) return;
      this.#lines -= oldest.lines;
      this.#bytes -= oldest.bytes;
      this.#droppedLines += oldest.lines;
    }
  }

  /**
   * The kept lines whose sequence numbers are in [from, to), as UTF-8 text
   * (one per line), and how many they are.
   */
  slice(from: number, to: number): { data: Buffer; lines: number } {
    const start = Math.max(from, this.firstKept);
    const end = Math.min(to, this.#received);
    if (end <= start) return { data: Buffer.alloc(0), lines: 0 };
    const all = this.toBuffer();
    const begin = offsetOfLine(all, start - this.firstKept);
    const finish = offsetOfLine(all, end - this.firstKept);
    return { data: all.subarray(begin, finish), lines: end - start };
  }

  /** The kept lines as UTF-8 text, one per line. */
  toBuffer(): Buffer {
    const parts = this.#chunks.map((c) => brotliDecompressSync(c.data));
    if (this.#openBytes > 0) parts.push(Buffer.from(this.#open.subarray(0, this.#openBytes)));
    return Buffer.concat(parts);
  }
}

/** Byte offset at which line `index` (0-based) of newline-terminated text starts. */
function offsetOfLine(text: Buffer, index: number): number {
  let offset = 0;
  for (let line = 0; line < index && offset < text.length; line++) {
    const newline = text.indexOf(0x0a, offset);
    if (newline < 0) return text.length;
    offset = newline + 1;
  }
  return offset;
}
