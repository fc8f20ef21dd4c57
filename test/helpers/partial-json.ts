import assert from 'node:assert/strict';

/**
 * Reads JSON that was cut off (the recording keeps only the first 400
 * characters of a body). Complete values come back as they are; a cut
 * object or array comes back as a `Partial` holding what was complete in it;
 * a value cut in the middle (a string, a number, a literal) is left out.
 */

export class Partial {
  constructor(readonly value: Record<string, unknown> | unknown[]) {}
}

const CUT = Symbol('cut');
type Read = unknown;

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  #skip(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos += 1;
  }

  get atEnd(): boolean {
    this.#skip();
    return this.pos >= this.text.length;
  }

  value(): Read {
    if (this.atEnd) return CUT;
    const c = this.text[this.pos];
    if (c === '{') return this.#container('}', true);
    if (c === '[') return this.#container(']', false);
    if (c === '"') return this.#string();
    const token = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(
      this.text.slice(this.pos),
    )?.[0];
    if (!token) throw new SyntaxError(`unexpected ${JSON.stringify(c)} at ${this.pos}`);
    this.pos += token.length;
    // A token running into the end may have been cut short ("15" of "150").
    return this.pos >= this.text.length ? CUT : (JSON.parse(token) as unknown);
  }

  #string(): Read {
    const match = /^"(?:[^"\\]|\\.)*"/.exec(this.text.slice(this.pos));
    if (!match) {
      this.pos = this.text.length;
      return CUT;
    }
    this.pos += match[0].length;
    return JSON.parse(match[0]) as unknown;
  }

  #container(close: '}' | ']', isObject: boolean): Read {
    this.pos += 1;
    const entries: Array<[string, unknown]> = [];
    const items: unknown[] = [];
    for (;;) {
      if (this.atEnd) break;
      if (this.text[this.pos] === close) {
        this.pos += 1;
        return isObject ? Object.fromEntries(entries) : items;
      }
      if (this.text[this.pos] === ',') this.pos += 1;
      let key = '';
      if (isObject) {
        const name = this.value();
        if (name === CUT || this.atEnd) break;
        key = name as string;
        this.pos += 1; // the colon
      }
      const value = this.value();
      if (value === CUT) break;
      if (isObject) entries.push([key, value]);
      else items.push(value);
      if (value instanceof Partial) break;
    }
    return new Partial(isObject ? Object.fromEntries(entries) : items);
  }
}

/** Parses possibly cut JSON: a plain value when complete, else a Partial. */
export function parsePartialJson(text: string): unknown {
  const value = new Reader(text).value();
  return value === CUT ? new Partial({}) : value;
}

/** Asserts `actual` agrees with every part of `expected` that survived the cut. */
export function assertMatchesPartial(actual: unknown, expected: unknown, where = 'body'): void {
  if (!(expected instanceof Partial)) {
    assert.deepEqual(actual, expected, where);
    return;
  }
  assert.equal(typeof actual, 'object', `${where} is an object or array`);
  assert.equal(Array.isArray(actual), Array.isArray(expected.value), `${where}: array or object`);
  const shown = actual as Record<string, unknown>;
  for (const [key, value] of Object.entries(expected.value)) {
    assert.ok(key in shown, `${where}.${key} is present`);
    assertMatchesPartial(shown[key], value, `${where}.${key}`);
  }
}
