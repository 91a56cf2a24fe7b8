import fp from 'fastify-plugin'
import { VersionApi, type KubeConfig } from '@kubernetes/client-node'

declare module 'fastify' {
  interface FastifyInstance {
    kube: { config: KubeConfig }
  }
}

export default fp<{ kubeConfig: KubeConfig }>(async function kube (fastify, opts) {
  const versionApi = opts.kubeConfig.makeApiClient(VersionApi)
  fastify.decorate('kube', { config: opts.kubeConfig })
  fastify.readiness.register('kube', async () => {
    const info = await versionApi.getCode()
    return { ok: true, detail: `${opts.kubeConfig.getCurrentCluster()?.server} (${info.gitVersion})` }
  })
}, { name: 'kube', dependencies: ['readiness'] })
