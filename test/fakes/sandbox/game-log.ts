/**
 * Plausible Minecraft-style console output for the demo's game servers, with
 * the colours a real server prints (timestamps dim, WARN yellow, chat cyan).
 * Pure: randomness and the clock come from the caller.
 */

const ESC = '\u001b[';
const RESET = `${ESC}0m`;
const DIM = `${ESC}90m`;
const GREEN = `${ESC}32m`;
const YELLOW = `${ESC}33m`;
const CYAN = `${ESC}36m`;
const BOLD = `${ESC}1m`;

const PLAYERS = ['Steve', 'Alex', 'Notch_fan42', 'CreeperQueen', 'xXBuilderXx', 'Mia'];
const CHAT = [
  'anyone up for the nether?',
  'who took my diamonds',
  'brb, dinner',
  'nice base!',
  'gg',
  'the villagers are restocking again',
  'can someone set a home near spawn?',
];
const EVENTS = [
  (p: string) => `${p} has made the advancement ${GREEN}[Stone Age]${RESET}`,
  (p: string) => `${p} was slain by Zombie`,
  (p: string) => `${p} fell from a high place`,
  () => 'Saving the game (this may take a moment!)',
  () => 'Saved the game',
  () => `Villager Trade refreshed at spawn`,
];

export type Random = () => number;

export class GameLog {
  readonly #online = new Set<string>(['Steve', 'Alex']);

  constructor(
    private readonly random: Random = Math.random,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** One ordinary line of a running server. */
  next(): string {
    const roll = this.random();
    if (roll < 0.1) return this.#joinOrLeave();
    if (roll < 0.45)
      return this.#info(`<${this.#pick([...this.#online])}> ${CYAN}${this.#pick(CHAT)}${RESET}`);
    if (roll < 0.55) {
      const behind = 2000 + Math.floor(this.random() * 3000);
      return this.#warn(
        `Can't keep up! Is the server overloaded? Running ${behind}ms or ${Math.round(behind / 50)} ticks behind`,
      );
    }
    return this.#info(this.#pick(EVENTS)(this.#pick([...this.#online])));
  }

  boot(): string[] {
    return [
      this.#info('Starting minecraft server version 1.21.4'),
      this.#info('Loading properties'),
      this.#info('Default game type: SURVIVAL'),
      this.#info('Preparing level "world"'),
      this.#info('Preparing spawn area: 84%'),
      this.#info(`${GREEN}Done (3.214s)! For help, type "help"${RESET}`),
    ];
  }

  shutdown(): string[] {
    return [
      this.#info('Stopping the server'),
      this.#info('Saving players'),
      this.#info('Saving worlds'),
      this.#info('ThreadedAnvilChunkStorage: All dimensions are saved'),
    ];
  }

  /** What the server prints for a command typed into its console. */
  reply(command: string): string[] {
    const [verb = '', ...args] = command.trim().replace(/^\//, '').split(/\s+/);
    const text = args.join(' ');
    switch (verb.toLowerCase()) {
      case 'say':
        return [this.#info(`${BOLD}[Server]${RESET} ${text}`)];
      case 'list':
        return [
          this.#info(
            `There are ${this.#online.size} of a max of 20 players online: ${[...this.#online].join(', ')}`,
          ),
        ];
      case 'help':
        return ['/list', '/say <message>', '/save-all', '/stop'].map((line) => this.#info(line));
      case 'save-all':
        return [this.#info('Saving the game (this may take a moment!)'), this.#info('Saved the game')];
      default:
        return [this.#info(`Unknown or incomplete command, see below for error: ${verb}<--[HERE]`)];
    }
  }

  #joinOrLeave(): string {
    const away = PLAYERS.filter((p) => !this.#online.has(p));
    if (away.length > 0 && (this.#online.size < 2 || this.random() < 0.6)) {
      const player = this.#pick(away);
      this.#online.add(player);
      return this.#info(`${YELLOW}${player} joined the game${RESET}`);
    }
    const player = this.#pick([...this.#online]);
    this.#online.delete(player);
    return this.#info(`${YELLOW}${player} left the game${RESET}`);
  }

  #info(text: string): string {
    return `${DIM}[${this.#time()}]${RESET} ${GREEN}[Server thread/INFO]${RESET}: ${text}`;
  }

  #warn(text: string): string {
    return `${DIM}[${this.#time()}]${RESET} ${YELLOW}[Server thread/WARN]: ${text}${RESET}`;
  }

  #time(): string {
    return this.now().toISOString().slice(11, 19);
  }

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length) % items.length]!;
  }
}
