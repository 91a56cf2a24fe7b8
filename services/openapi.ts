import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { KubeConfig } from '@kubernetes/client-node'
import type { Config } from '../shared/config.ts'
import { buildApi } from './api/server.ts'

export const openApiPath = fileURLToPath(new URL('../openapi/openapi.json', import.meta.url))

// The document depends only on the route schemas, so it is rendered from an app wired to
// endpoints that are never called.
export async function renderOpenApi (config: Config): Promise<string> {
  const kubeConfig = new KubeConfig()
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'none', server: 'http://127.0.0.1:9' }],
    users: [{ name: 'none' }],
    contexts: [{ name: 'none', cluster: 'none', user: 'none' }],
    currentContext: 'none'
  })
  const app = await buildApi({
    config: { ...config, LOG_LEVEL: 'silent' },
    redisUrl: 'redis://127.0.0.1:9',
    kubeConfig,
    objectStore: { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', bucket: config.S3_BUCKET, forcePathStyle: true },
    offline: true
  })
  try {
    await app.ready()
    return JSON.stringify(app.swagger(), null, 2) + '\n'
  } finally {
    await app.close()
  }
}

// Returns a drift message in check mode when the committed copy differs, else undefined.
export async function writeOpenApi (config: Config, opts: { check: boolean }): Promise<string | undefined> {
  const doc = await renderOpenApi(config)
  if (opts.check) {
    const committed = await readFile(openApiPath, 'utf8').catch(() => '')
    return committed === doc ? undefined : `${openApiPath} is out of date; run npm run openapi and commit it`
  }
  await writeFile(openApiPath, doc)
  return undefined
}
