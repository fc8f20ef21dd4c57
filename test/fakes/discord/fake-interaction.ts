import type { FakeMessage } from './messages.js';

export interface InteractionCallback {
  type: number;
  data?: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions reach into arbitrary payloads
}

export interface FakeInteraction {
  id: string;
  token: string;
  /** Interaction type: 2 chat input, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  /** POST /interactions/{id}/{token}/callback bodies, in order (including rejected repeats). */
  callbacks: InteractionCallback[];
  /** The @original message (callback 4/5, or the component's message after 6/7), with edits applied. */
  original: FakeMessage | undefined;
  /** Each PATCH of @original with its arrival time (performance.now()). */
  edits: Array<{ at: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  followUps: FakeMessage[];
  firstCallbackAt?: number;
  dispatchedAt: number;
  /** The payload dispatched as INTERACTION_CREATE. */
  payload: Record<string, unknown>;
  waitForCallback(timeoutMs?: number): Promise<InteractionCallback>;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
}

/**
 * Resolves waiters whenever state they watch changes. Waiters re-check their
 * predicate on each notify, so no polling timer is needed.
 */
/**
 * How long a test waits for an event before failing. Waits end at the event,
 * so this is only a safety net: generous, so a loaded machine cannot fail a
 * correct test.
 */
export const WAIT_MS = 60_000;

export class ChangeNotifier {
  readonly #waiters = new Set<() => void>();

  /** A standing listener, called on every notify until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.#waiters.add(listener);
    return () => this.#waiters.delete(listener);
  }

  notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  waitFor(predicate: () => boolean, timeoutMs = WAIT_MS, describe = 'condition'): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate()) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${describe}`));
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }
}

export class InteractionRecord implements FakeInteraction {
  callbacks: InteractionCallback[] = [];
  original: FakeMessage | undefined;
  edits: Array<{ at: number; body: any }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  followUps: FakeMessage[] = [];
  firstCallbackAt?: number;
  readonly dispatchedAt = performance.now();
  /** Set once an initial response (any callback type) was accepted. */
  acknowledged = false;
  readonly #changes = new ChangeNotifier();

  constructor(
    readonly id: string,
    readonly token: string,
    readonly type: number,
    readonly payload: Record<string, unknown>,
    /** The message a component/modal interaction came from (target of callback 6/7). */
    readonly sourceMessage: FakeMessage | undefined,
    private readonly onChange: () => void,
  ) {}

  changed(): void {
    this.#changes.notify();
    this.onChange();
  }

  async waitForCallback(timeoutMs = WAIT_MS): Promise<InteractionCallback> {
    await this.waitFor(() => this.callbacks.length > 0, timeoutMs);
    return this.callbacks[0] as InteractionCallback;
  }

  waitFor(predicate: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
    return this.#changes.waitFor(predicate, timeoutMs, `interaction ${this.id}`);
  }
}
