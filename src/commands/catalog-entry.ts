import type { Tier } from '../policy/tiers.js';

/** One invocable command path as /help lists it. */
export interface CatalogEntry {
  /** `name`, `name sub` or `name group sub`. */
  path: string;
  description: string;
  tier: Tier;
}
