# The gateway runs its TypeScript directly on Node 24's type stripping: no build step, no dist/.
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY services ./services
COPY shared ./shared
COPY openapi ./openapi
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
ENTRYPOINT ["node", "services/cli.ts"]
CMD ["start", "--roles", "api,worker"]
