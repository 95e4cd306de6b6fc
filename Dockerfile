# syntax=docker/dockerfile:1
# The Slack app in HTTP mode: docker build -t alignment-review . &&
# docker run -p 3000:3000 -e SLACK_BOT_TOKEN=… -e SLACK_SIGNING_SECRET=… -e REDIS_URL=redis://… alignment-review
# test/production/build.test.ts performs these same steps outside a container.

# --- build: TypeScript compiled with the dev dependencies ---
FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Compiles to dist/ and copies the store's Lua scripts to dist/src/store/lua.
RUN npm run build

# --- runtime: production dependencies and compiled JavaScript only (no TypeScript, no tsx) ---
FROM node:26-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY flows ./flows
COPY data ./data
# The image's unprivileged user; the app only reads its files.
USER node
EXPOSE 3000
# Slim images carry no curl: ask node. /healthz answers while the process runs; /readyz is for load balancers.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# main.js finishes the replies in flight on SIGTERM and exits within 10 s.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
