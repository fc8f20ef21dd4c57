/**
 * Buttons and modals carry `name:state` in their custom id. `name` finds the
 * handler; `state` is whatever that handler needs (ids joined by `:`).
 * Discord caps custom ids at 100 characters.
 */
export const CUSTOM_ID_MAX = 100;

export function encodeCustomId(name: string, ...state: Array<string | number>): string {
  if (name.includes(':')) throw new Error(`custom id name "${name}" must not contain ":"`);
  const id = [name, ...state.map(String)].join(':');
  if (id.length > CUSTOM_ID_MAX)
    throw new Error(`custom id "${id.slice(0, 40)}…" exceeds ${CUSTOM_ID_MAX} chars`);
  return id;
}

export function decodeCustomId(customId: string): { name: string; state: string[] } {
  const [name = '', ...state] = customId.split(':');
  return { name, state };
}
