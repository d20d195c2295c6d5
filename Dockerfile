# syntax=docker/dockerfile:1
# Production image of the API, the BullMQ workers and the migration CLI (one image, three commands;
# see helm/massage-saas). Build: docker build -t <registry>/massage-saas:<tag> .

# 1. Build: all dependencies, Prisma client generation, TypeScript → dist/.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY src ./src
COPY web ./web
RUN npm run build

# 2. Production dependencies only, installed after the build so no dev tooling reaches the image.
FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime: non-root, read-only friendly (writes only to /tmp).
FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY package.json ./
COPY migrations ./migrations
USER 10001:10001
EXPOSE 3000
# API by default; the chart runs the same image with RUN_WORKERS=true for workers and
# `node dist/src/cli/migrate.js` for the migration hook.
# Heap flags as in `npm run start:prod`: V8 otherwise sizes the heap from the host's memory. A
# fixed 16 MB young generation and no allocation-site pretenuring keep short-lived request objects
# out of the old generation, so full collections (the latency tail) are rare; see load-tests/README.md.
CMD ["node", "--max-old-space-size=256", "--min-semi-space-size=16", "--max-semi-space-size=16", "--no-allocation-site-pretenuring", "dist/src/main.js"]
