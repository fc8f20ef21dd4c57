# Hostlink: a multi-stage image. The build stage installs every dependency,
# bundles the TypeScript into dist/ (scripts/build.mjs) and prunes the dev dependencies; the runtime
# stage holds only node_modules, dist/ and package.json, and runs as `node`.
# test/e2e/container-steps.test.ts runs these steps (COPY, RUN, CMD) in a
# temporary folder, so keep them plain: one command per RUN line.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Only for the native addons' fallback (sqlite3, better-sqlite3) when no prebuilt binary can be downloaded.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Dependencies first (a cached layer while only the sources change); install scripts
# skipped here because `prepare` needs the sources, then the native addons alone.
RUN npm ci --ignore-scripts --no-audit --no-fund
RUN npm rebuild sqlite3 better-sqlite3
COPY tsconfig.json deploy-commands.ts ./
COPY scripts ./scripts
COPY src ./src
COPY commands ./commands
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
# tini is PID 1: it forwards SIGTERM to node and reaps zombies (or run with `docker run --init`).
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
ENV HTTP_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# data/ holds the SQLite store and the generated encryption key file: keep it on a volume.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--max-semi-space-size=8", "--expose-gc", "dist/src/index.js"]
