# CPE — the production image: both listeners (public portal on PORT, staff console on STAFF_PORT) in one
# process, as `npm run serve` runs them. Build from the repository root:
#   docker build -t cpe:<version> .
# How to run it (PostgreSQL, S3 storage, nginx in front, two instances): deploy/README.md.
#
# Stages: manifests → deps (every package, for the build) → build (`npm run build`: server and shared compiled to
# JavaScript, both web apps built) → prod-deps (only what the compiled server imports) → the runtime image. Debian
# slim, not Alpine: sharp, @node-rs/argon2 and the ffmpeg binary are installed for glibc from the lockfile.
# For reproducible builds pin the base by digest (node:24-slim@sha256:…) in your registry mirror.

# The manifests alone (every workspace's, as npm ci needs them all): the install layers below, the slowest, are
# rebuilt only when a dependency changes.
FROM node:24-slim AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/shared/package.json packages/shared/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY e2e/package.json e2e/
COPY bench/package.json bench/

FROM node:24-slim AS deps
WORKDIR /app
COPY --from=manifests /app/ ./
RUN npm ci --no-audit --no-fund

FROM node:24-slim AS build
WORKDIR /app
COPY --from=deps /app/ ./
COPY . .
# Each dist is a symbolic link to dist.<hash> (scripts/build.mjs); `cp -rL` copies the folders the links point at,
# so the runtime stage gets plain folders named dist.
RUN npm run build \
  && mkdir -p /out/apps/server /out/apps/web /out/packages/shared \
  && cp -rL apps/server/dist /out/apps/server/dist \
  && cp -rL apps/web/dist /out/apps/web/dist \
  && cp -rL packages/shared/dist /out/packages/shared/dist

# Production dependencies of the server and of @cpe/shared only: the web apps are prebuilt files (their React and
# antd are not needed at run time), and e2e/bench are not shipped.
FROM node:24-slim AS prod-deps
WORKDIR /app
COPY --from=manifests /app/ ./
RUN npm ci --omit=dev --no-audit --no-fund --workspace=@cpe/server --workspace=@cpe/shared \
  && npm cache clean --force

FROM node:24-slim
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=3000 \
  STAFF_PORT=3001 \
  DATA_DIR=/var/lib/cpe
WORKDIR /app
# Everything the process reads is owned by root and read-only to it; it writes only to DATA_DIR (video uploads are
# spooled there before they go to storage).
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json ./
COPY packages/shared/package.json packages/shared/
COPY apps/server/package.json apps/server/
# The Noto Sans SC font every generated PDF embeds (apps/server/src/lib/pdf-font.ts reads it next to dist).
COPY apps/server/assets apps/server/assets
COPY --from=build /out/ ./
RUN mkdir -p /var/lib/cpe && chown node:node /var/lib/cpe
VOLUME /var/lib/cpe
USER node
EXPOSE 3000 3001
# Slim images have no curl: Node's own fetch asks the public listener's liveness route. Eight misses (two minutes)
# before "unhealthy" cover the first start's migrations; deploy/compose.yaml sets a start_period instead
# (dockerfilelint 1.8 misreads --start-period as an unknown option).
HEALTHCHECK --interval=15s --timeout=5s --retries=8 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself as PID 1 (no npm in between): SIGTERM from `docker stop` reaches server.ts, which closes the
# listeners, writes buffered study heartbeats and closes the database.
CMD ["node", "--enable-source-maps", "--conditions=cpe-dist", "apps/server/dist/server.js"]
