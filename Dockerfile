# One image for every service; the container's args name the entry point, e.g.
#   args: ["services/ingest-gateway/src/main.ts"]
# Not built by CI here (these machines have no Docker engine).
FROM node:22-bookworm-slim AS deps
WORKDIR /app
RUN corepack enable
COPY . .
RUN pnpm install --frozen-lockfile && pnpm db:generate

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app /app
USER 10001
ENTRYPOINT ["node", "--enable-source-maps", "--import", "tsx"]
