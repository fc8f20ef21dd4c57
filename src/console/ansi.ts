/* eslint-disable no-control-regex -- matching escape sequences and control characters is this module's job */
/**
 * Console text reduced to what Discord's ```ansi blocks render: reset (0),
 * bold (1), underline (4), foreground 30–37 and background 40–47. Bright,
 * 256-colour and truecolour are mapped to the nearest of the 8 colours;
 * every other escape (cursor movement, erase, OSC titles and links, DCS,
 * charset switches) and every control character except tab is removed.
 * Pure; one `AnsiReducer` per stream, because colour carries across lines.
 */

import { escapeCodeBlock } from '../text.js';

export interface SgrState {
  bold: boolean;
  underline: boolean;
  /** 30–37, or null for the default colour. */
  fg: number | null;
  /** 40–47, or null for the default colour. */
  bg: number | null;
}

export const DEFAULT_SGR: Readonly<SgrState> = Object.freeze({
  bold: false,
  underline: false,
  fg: null,
  bg: null,
});

const ESC = '\u001b';
export const RESET = `${ESC}[0m`;

/** The 8 colours as a terminal draws them (xterm defaults), for nearest-colour mapping. */
const PALETTE: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 0],
  [205, 0, 0],
  [0, 205, 0],
  [205, 205, 0],
  [0, 0, 238],
  [205, 0, 205],
  [0, 205, 205],
  [229, 229, 229],
];

/** Index 0–7 of the palette colour nearest to an RGB colour. */
export function nearestColour(r: number, g: number, b: number): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  PALETTE.forEach(([pr, pg, pb], index) => {
    const distance = (r - pr) ** 2 + (g - pg) ** 2 + (b - pb) ** 2;
    if (distance < bestDistance) {
      best = index;
      bestDistance = distance;
    }
  });
  return best;
}

const CUBE_LEVELS = [0, 95, 135, 175, 215, 255];

function computeColour256(n: number): number {
  if (n < 8) return n;
  if (n < 16) return n - 8;
  if (n < 232) {
    const index = n - 16;
    return nearestColour(
      CUBE_LEVELS[Math.floor(index / 36)]!,
      CUBE_LEVELS[Math.floor(index / 6) % 6]!,
      CUBE_LEVELS[index % 6]!,
    );
  }
  const grey = 8 + (n - 232) * 10;
  return nearestColour(grey, grey, grey);
}

/** The 256 answers computed once: a flood of 256-colour codes costs a lookup each. */
const BASIC_OF_256 = Array.from({ length: 256 }, (_, n) => computeColour256(n));

/** Index 0–7 for a colour of the 256-colour palette. */
export function colour256ToBasic(n: number): number | null {
  if (!Number.isInteger(n) || n < 0 || n > 255) return null;
  return BASIC_OF_256[n]!;
}

function clampByte(value: number | undefined): number | null {
  if (value === undefined || !Number.isFinite(value)) return null;
  return Math.max(0, Math.min(255, value));
}

/**
 * Parameters of one SGR sequence that are applied; the rest are ignored, as
 * terminals do (xterm keeps 30). Bounds the work a hostile line can cause.
 */
export const SGR_MAX_PARAMS = 32;
/** Sub-parameters of one colon-form parameter (`38:2::r:g:b` needs 6). */
const SGR_MAX_SUBPARAMS = 8;

/** A parameter's value; empty means 0. */
function param(text: string | undefined): number {
  return text === undefined || text === '' ? 0 : Number(text);
}

/** The value of parameter `index`, or undefined past the end. */
function paramAt(parts: readonly string[], index: number): number | undefined {
  return index < parts.length ? param(parts[index]) : undefined;
}

/** The basic index of an extended colour (38/48) from its mode (`5` or `2`) and values, or null when unusable. */
function extendedColour(mode: number | undefined, values: ReadonlyArray<number | undefined>): number | null {
  if (mode === 5) return colour256ToBasic(values[0] ?? -1);
  if (mode === 2) {
    const [r, g, b] = [clampByte(values[0]), clampByte(values[1]), clampByte(values[2])];
    return r === null || g === null || b === null ? null : nearestColour(r, g, b);
  }
  return null;
}

function setExtended(head: number, colour: number | null, state: SgrState): void {
  if (colour === null) return;
  if (head === 38) state.fg = 30 + colour;
  else state.bg = 40 + colour;
}

/** ITU colon form of one parameter: 38:5:n, 38:2::r:g:b, 38:2:r:g:b, 4:0 … 4:5. */
function applyColonForm(part: string, state: SgrState): void {
  const sub = part.split(':', SGR_MAX_SUBPARAMS).map((p) => (p === '' ? Number.NaN : Number(p)));
  const head = sub[0];
  if (head === 38 || head === 48) {
    const mode = sub[1];
    const values =
      mode === 2
        ? sub
            .slice(2)
            .filter((v) => !Number.isNaN(v))
            .slice(-3)
        : sub.slice(2);
    setExtended(head, extendedColour(mode, values), state);
  } else if (head === 4) {
    state.underline = sub[1] !== 0;
  }
}

/**
 * Applies one SGR parameter string (what sits between `ESC[` and `m`) to
 * `state`. Parameters are read by index, at most SGR_MAX_PARAMS of them, so
 * the work is linear in the sequence however it is built.
 */
export function applySgr(params: string, state: SgrState): void {
  const parts = params === '' ? ['0'] : params.split(';', SGR_MAX_PARAMS);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.includes(':')) {
      applyColonForm(part, state);
      continue;
    }
    const code = param(part);
    if (!Number.isInteger(code)) continue;
    if (code === 0) Object.assign(state, DEFAULT_SGR);
    else if (code === 1) state.bold = true;
    else if (code === 4) state.underline = true;
    else if (code === 22) state.bold = false;
    else if (code === 24) state.underline = false;
    else if (code >= 30 && code <= 37) state.fg = code;
    else if (code === 39) state.fg = null;
    else if (code >= 40 && code <= 47) state.bg = code;
    else if (code === 49) state.bg = null;
    else if (code >= 90 && code <= 97) state.fg = code - 60;
    else if (code >= 100 && code <= 107) state.bg = code - 60;
    else if (code === 38 || code === 48) {
      // `5;n` or `2;r;g;b` follow; an unknown mode swallows the rest, as before.
      const mode = paramAt(parts, i + 1);
      const used = mode === 5 ? 2 : mode === 2 ? 4 : parts.length - i - 1;
      const values = [paramAt(parts, i + 2), paramAt(parts, i + 3), paramAt(parts, i + 4)];
      setExtended(code, extendedColour(mode, values), state);
      i += used;
    }
    // Everything else (italic, blink, inverse, strike, fonts, …) Discord does not render.
  }
}

function isDefault(state: SgrState): boolean {
  return !state.bold && !state.underline && state.fg === null && state.bg === null;
}

function sameState(a: SgrState, b: SgrState): boolean {
  return a.bold === b.bold && a.underline === b.underline && a.fg === b.fg && a.bg === b.bg;
}

/** The shortest SGR sequence Discord understands that turns `from` into `to` ('' when equal). */
export function transition(from: SgrState, to: SgrState): string {
  if (sameState(from, to)) return '';
  const turnsOff =
    (from.bold && !to.bold) ||
    (from.underline && !to.underline) ||
    (from.fg !== null && to.fg === null) ||
    (from.bg !== null && to.bg === null);
  const codes: number[] = [];
  if (turnsOff) {
    // Discord knows no 22/24/39/49: reset, then set again what stays on.
    codes.push(0);
    if (to.bold) codes.push(1);
    if (to.underline) codes.push(4);
    if (to.fg !== null) codes.push(to.fg);
    if (to.bg !== null) codes.push(to.bg);
  } else {
    if (to.bold && !from.bold) codes.push(1);
    if (to.underline && !from.underline) codes.push(4);
    if (to.fg !== null && to.fg !== from.fg) codes.push(to.fg);
    if (to.bg !== null && to.bg !== from.bg) codes.push(to.bg);
  }
  return `${ESC}[${codes.join(';')}m`;
}

/**
 * Escape sequences and controls, in one pass:
 * 1. CSI `ESC [ params intermediates final` (SGR when the final is `m`)
 * 2. OSC `ESC ]` … BEL or ST (or the end of the line)
 * 3. DCS / SOS / PM / APC `ESC P|X|^|_` … ST (or the end of the line)
 * 4. any other `ESC` sequence (charset, keypad, single shifts) or a lone ESC
 * 5. 8-bit CSI (0x9B), then C0 controls except tab, DEL and C1 controls
 */
const SEQUENCE =
  /\u001b\[([0-?]*)[ -/]*([@-~])?|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[ -/]*[0-~]?|\u009b[0-?]*[ -/]*[@-~]?|[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
const NEEDS_WORK = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

/** What a terminal shows of a line with carriage returns: the text after the last one. */
export function afterCarriageReturn(line: string): string {
  // Trailing returns are cut by index: /\r+$/ backtracks quadratically over a line of returns.
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 13) end -= 1;
  const trimmed = end === line.length ? line : line.slice(0, end);
  const at = trimmed.lastIndexOf('\r');
  return at < 0 ? trimmed : trimmed.slice(at + 1);
}

const MENTION = /@(everyone|here)|<(@[!&]?|#)(?=\d)/g;

/** `@everyone`, `@here`, `<@id>`, `<@!id>`, `<@&id>`, `<#id>` broken with a zero-width space. */
export function neutraliseMentions(text: string): string {
  if (!text.includes('@') && !text.includes('<#')) return text;
  return text.replace(MENTION, (match: string, word: string | undefined) =>
    word ? `@\u200b${word}` : `<\u200b${match.slice(1)}`,
  );
}

/** True when `text` still holds something Discord would read as a mention. */
export function hasMention(text: string): boolean {
  MENTION.lastIndex = 0;
  const found = MENTION.test(text);
  MENTION.lastIndex = 0;
  return found;
}

export interface ReducedLine {
  /** For the ```ansi block: Discord's SGR subset, self-contained (starts and ends in default style), neutralised. */
  display: string;
  /** For the transcript: no escapes or controls at all. */
  plain: string;
}

/** Strips every escape and control: plain text as a log file should hold it. */
export function stripAnsi(line: string): string {
  const text = afterCarriageReturn(line);
  if (!NEEDS_WORK.test(text)) return text;
  SEQUENCE.lastIndex = 0;
  return text.replace(SEQUENCE, '');
}

/**
 * Reduces a stream's lines one by one. SGR state carries over from line to
 * line as a terminal's would, but each reduced line re-establishes the
 * style it starts with and resets at its end, so any tail of lines renders
 * correctly on its own.
 */
export class AnsiReducer {
  readonly #state: SgrState = { ...DEFAULT_SGR };

  /** The style the next line starts with. */
  get state(): Readonly<SgrState> {
    return this.#state;
  }

  reduce(rawLine: string): ReducedLine {
    const line = afterCarriageReturn(rawLine);
    if (!NEEDS_WORK.test(line)) {
      const plain = line;
      const body = neutraliseMentions(escapeCodeBlock(line));
      if (isDefault(this.#state) || plain === '') return { display: body, plain };
      return { display: `${transition(DEFAULT_SGR, this.#state)}${body}${RESET}`, plain };
    }
    let display = '';
    let plain = '';
    const emitted: SgrState = { ...DEFAULT_SGR };
    let last = 0;
    const emitText = (text: string): void => {
      if (text === '') return;
      display += transition(emitted, this.#state) + text;
      Object.assign(emitted, this.#state);
      plain += text;
    };
    SEQUENCE.lastIndex = 0;
    for (let match = SEQUENCE.exec(line); match; match = SEQUENCE.exec(line)) {
      emitText(line.slice(last, match.index));
      last = match.index + match[0].length;
      if (match[0].startsWith(`${ESC}[`) && match[2] === 'm') applySgr(match[1] ?? '', this.#state);
    }
    emitText(line.slice(last));
    if (!isDefault(emitted)) display += RESET;
    return { display: neutraliseMentions(escapeCodeBlock(display)), plain };
  }
}
