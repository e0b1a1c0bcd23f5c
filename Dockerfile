# One image for both services (and the init command); compose picks the command.
# Build stage: compilers for better-sqlite3, every npm package, the TypeScript build.
FROM node:24-bookworm-slim AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
# Build native addons against the image's own Node headers instead of downloading them.
ENV npm_config_nodedir=/usr/local
WORKDIR /app
# Behind a TLS-intercepting proxy, its CA (docker/build-ca/*.crt) is trusted for npm here only.
COPY docker/build-ca /tmp/build-ca
COPY package.json package-lock.json ./
# Fixes to dependencies, applied by npm install's postinstall (patch-package; see patches/).
COPY patches patches
RUN if ls /tmp/build-ca/*.crt >/dev/null 2>&1; then \
        cat /tmp/build-ca/*.crt > /tmp/build-ca.pem && npm config set cafile /tmp/build-ca.pem; \
    fi \
    && npm install --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY libs libs
COPY apps apps
COPY scripts scripts
COPY bench bench
RUN npm run build && npm prune --omit=dev --no-audit --no-fund \
    && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src \
              node_modules/better-sqlite3/build/Release/obj* node_modules/better-sqlite3/build/Release/.deps \
              node_modules/better-sqlite3/build/deps /tmp/build-ca.pem

# Run stage: production packages, compiled code and the seed data; no compilers, no root.
FROM node:24-bookworm-slim
ENV NODE_ENV=production
# As libs/topology's SERVICE_NODE_OPTIONS and SERVICE_MALLOC_ENV (see docs/performance.md).
ENV NODE_OPTIONS="--max-semi-space-size=2 --max-old-space-size=96" MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=16384 MALLOC_TRIM_THRESHOLD_=16384
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY data data
# Named volumes copy this ownership when first mounted, so the node user can write them.
RUN mkdir -p /data/users /data/timelines /data/monitor /data/secrets && chown -R node:node /data
USER node
EXPOSE 5000 5100 5200
# No curl in the image: bash asks the readiness route over /dev/tcp (with Node started for it
# every 2 s in each container, compose idle kept a 2-core host 22% busy; with bash 12%).
HEALTHCHECK --interval=2s --timeout=2s --start-period=10s --retries=5 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-5000} && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && read -r status <&3 && [[ $status == *' 200 '* ]]"]
CMD ["node", "dist/scripts/scripts/run-service.js", "timelines"]
