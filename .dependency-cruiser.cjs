/**
 * Which way dependencies may point (run by `npm run lint`).
 * Layers, bottom up: upstream clients and the vault (src/heliactyl,
 * src/atomichost, src/http, src/vault) know nothing of Discord or of the
 * features; the features (src/console, src/user, src/moderation, src/watch) use them;
 * commands/ and src/bot wire everything together. The relational store
 * (src/store) sits with the upstream layer; the rewards core (src/rewards)
 * and the HTTP server (src/server) sit beside the features, knowing nothing
 * of Discord commands or the other features.
 */
const UPSTREAM = '^src/(heliactyl|atomichost|http|vault)/';
const FEATURES = ['console', 'user', 'moderation', 'watch'];

/**
 * A feature's public files: what other features may import. Everything else
 * in the folder is its own internals.
 */
const FEATURE_ENTRY = {
  console: '^src/console/manager\\.ts$',
  user: '^src/user/(api|options|format|footer|caches|action)\\.ts$',
  moderation: '^src/moderation/(audit|dashboard)\\.ts$',
  watch: '^src/watch/(services|commands/[^/]+)\\.ts$',
};

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order fragile and hide who owns what.',
      from: {},
      // Type-only imports count too: a type cycle is the same knot, only erased at run time.
      to: { circular: true },
    },
    {
      name: 'upstream-stays-below',
      severity: 'error',
      comment: 'Upstream clients and the vault must not know about Discord, features or commands.',
      from: { path: UPSTREAM },
      to: { path: '^(src/(bot|console|user|moderation|watch|commands)/|commands/)' },
    },
    {
      name: 'store-stays-below',
      severity: 'error',
      comment: 'The relational store knows only its schema: no Discord, features, rewards or HTTP server.',
      from: { path: '^src/store/' },
      to: { path: '^(src/(bot|console|user|moderation|commands|rewards|server|presenter)/|commands/)' },
    },
    {
      name: 'rewards-and-server-stay-apart-from-features',
      severity: 'error',
      comment:
        'The rewards core and the HTTP server use upstream clients and the store, never features or commands.',
      from: { path: '^src/(rewards|server)/' },
      to: { path: '^(src/(console|user|moderation|commands)/|commands/)' },
    },
    {
      name: 'rewards-knows-no-bot',
      severity: 'error',
      comment: 'The bot wires the rewards core (Discord DMs, audit channel) through ports, not imports.',
      from: { path: '^src/rewards/' },
      to: { path: '^src/bot/' },
    },
    {
      name: 'server-reaches-bot-only-for-readiness',
      severity: 'error',
      comment: 'The HTTP server reports readiness; everything else it gets from its deps.',
      from: { path: '^src/server/' },
      to: { path: '^src/bot/', pathNot: '^src/bot/readiness\\.ts$' },
    },
    ...FEATURES.map((feature) => ({
      name: `no-reach-into-${feature}`,
      severity: 'error',
      comment: `Other features use src/${feature} only through its entry files, not its internals.`,
      from: { path: `^src/(${FEATURES.filter((f) => f !== feature).join('|')})/` },
      to: { path: `^src/${feature}/`, pathNot: FEATURE_ENTRY[feature] },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|vendor)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
