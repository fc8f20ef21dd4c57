/**
 * Recent display lines, bounded by count and characters (a little more than
 * one embed needs). Trimmed once a quarter over the bound rather than on
 * every line (one splice per batch), and not later: a line kept longer than
 * a young-generation collection apart is copied to the old heap.
 */
const SLACK = 1.25;

export class LineRing {
  #lines: string[] = [];
  #chars = 0;
  constructor(
    readonly maxLines = 1_000,
    readonly maxChars = 6_000,
  ) {}

  push(line: string): void {
    this.#lines.push(line);
    this.#chars += line.length + 1;
    if (this.#lines.length > this.maxLines * SLACK || this.#chars > this.maxChars * SLACK) this.#trim();
  }

  #trim(): void {
    let drop = 0;
    let chars = this.#chars;
    while (
      drop < this.#lines.length - 1 &&
      (this.#lines.length - drop > this.maxLines || chars > this.maxChars)
    ) {
      chars -= this.#lines[drop]!.length + 1;
      drop += 1;
    }
    this.#lines.splice(0, drop);
    this.#chars = chars;
  }

  get lines(): readonly string[] {
    return this.#lines;
  }
}
