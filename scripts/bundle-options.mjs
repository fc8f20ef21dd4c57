// The esbuild options of `npm run build` (scripts/build.mjs), shared with
// the test that checks what the bundle keeps (test/e2e/bundle-caches.test.ts).

/**
 * Left to node_modules at run time: native addons, optional packages
 * discord.js, ws and pg probe for, the Keyv backends an operator installs
 * (STORE_URL), and pino, whose transports start a worker from its own files.
 */
const external = [
  'better-sqlite3',
  'sqlite3',
  'zlib-sync',
  'bufferutil',
  'utf-8-validate',
  'pg-native',
  '@keyv/redis',
  '@keyv/postgres',
  'pino',
  'pino-pretty',
];

/** Everything but the entry points and the output folder. */
export const bundleOptions = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // CommonJS packages in an ES module bundle still call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __hostlinkCreateRequire } from 'node:module'; const require = __hostlinkCreateRequire(import.meta.url);",
  },
  // Identifiers are kept, but two modules' classes of the same name are renamed apart
  // (UserManager becomes UserManager2): nothing may find a class by its name
  // (src/bot/client.ts keys discord.js's cache limits by the classes themselves).
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  logLevel: 'warning',
};
