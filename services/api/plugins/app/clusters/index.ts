import fp from 'fastify-plugin'
import { createHypershiftApi, type HypershiftApi } from './hypershift-api.ts'
import { createClustersService, type ClustersService } from './clusters-service.ts'
import { createNodePoolsService, type NodePoolsService } from './nodepools-service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    clusters: ClustersService
    nodePools: NodePoolsService
    hypershift: HypershiftApi
  }
}

export default fp(async function clusterServices (fastify) {
  const api = createHypershiftApi(fastify.kube.config)
  const { clusters: clusterCache, nodePools: nodePoolCache, lister } = fastify.caches
  const clusters = createClustersService({ kubeConfig: fastify.kube.config, api, clusters: clusterCache, lister, jobs: fastify.jobs })
  fastify.decorate('hypershift', api)
  fastify.decorate('clusters', clusters)
  fastify.decorate('nodePools', createNodePoolsService({ kubeConfig: fastify.kube.config, api, clusters, nodePools: nodePoolCache, lister }))
}, { name: 'cluster-services', dependencies: ['caches', 'kube', 'jobs'] })
