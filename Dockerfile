# One image for the bot, the worker and the CLI; the command chooses (docker-compose.yml, deploy/helm/nansen).
# scripts/image-steps.sh runs these same steps without Docker (CI does, under this Node); keep the two in step.
ARG NODE_VERSION=22.23.5

# Build: compile the native modules (better-sqlite3) for this image's Node, compile TypeScript to dist/, then drop
# the dev dependencies. The host's node_modules and dist never enter the context (.dockerignore).
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY ingest ingest
COPY workers workers
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

# Run: production dependencies and compiled JavaScript only, as the unprivileged `node` user.
FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    NANSEN_DATA_DIR=/data \
    NANSEN_SOURCES=/app/config/sources.yml \
    NANSEN_HEALTH_PORT=8080
WORKDIR /app
# A CJK font for the lineage pictures (resvg loads the system fonts): without it Korean names are left out of them.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY data data
COPY deploy/sources.yml config/sources.yml
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000 8080
# Liveness for plain `docker run`; compose and Kubernetes probe /readyz as well.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.NANSEN_HEALTH_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: the bot stops Slack, the worker drains crawls (NANSEN_SHUTDOWN_GRACE_MS).
CMD ["node", "dist/src/main/bot.js"]
