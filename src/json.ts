import type { z } from 'zod';

/** `raw` parsed as JSON and checked against `schema`; undefined when it is not JSON or not of that shape. */
export function parseJsonAs<T>(raw: string, schema: z.ZodType<T>): T | undefined {
  try {
    const result = schema.safeParse(JSON.parse(raw));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
