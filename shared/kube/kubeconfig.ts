import { KubeConfig } from '@kubernetes/client-node'

export interface KubeSource {
  kubeconfigPath?: string
  kubeconfigYaml?: string
  context?: string
}

// One KubeConfig per cluster: client-node binds the server when an API client is made (kubernetes-client/javascript#871).
export function loadKubeConfig (source: KubeSource): KubeConfig {
  const kc = new KubeConfig()
  if (source.kubeconfigYaml) kc.loadFromString(source.kubeconfigYaml)
  else if (source.kubeconfigPath) kc.loadFromFile(source.kubeconfigPath)
  else if (process.env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster()
  else throw new Error('no Kubernetes API configured: set KUBECONFIG, run in a cluster, or start the sim role')
  if (source.context) {
    if (!kc.getContexts().some(c => c.name === source.context)) throw new Error(`KUBE_CONTEXT ${source.context} is not in the kubeconfig`)
    kc.setCurrentContext(source.context)
  }
  if (!kc.getCurrentCluster()) throw new Error('the kubeconfig has no current cluster')
  return kc
}
