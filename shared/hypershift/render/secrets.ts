import type { KubeObject, RenderedCluster } from './types.ts'
import { SAFE_TO_DELETE_LABEL } from './defaults.ts'

export const REDACTED = '<redacted>'

function b64 (value: string | Buffer): string {
  return (typeof value === 'string' ? Buffer.from(value, 'utf8') : value).toString('base64')
}

// Every Secret hcp writes carries the safe-to-delete label (cmd/util DeleteWithClusterLabelName);
// `type` is only set where hcp sets it (etcd key, platform credentials).
export function clusterSecret (namespace: string, name: string, data: Record<string, string | Buffer>, type?: string): KubeObject {
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { [SAFE_TO_DELETE_LABEL]: 'true' } },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)]))
  }
  if (type !== undefined) secret.type = type
  return secret
}

function redactObject (object: KubeObject): KubeObject {
  if (object.kind !== 'Secret') return object
  const copy = structuredClone(object)
  for (const field of ['data', 'stringData'] as const) {
    const values = copy[field]
    if (values !== undefined) copy[field] = Object.fromEntries(Object.keys(values).map(k => [k, REDACTED]))
  }
  return copy
}

// The REST layer answers with this unless an admin asks for sensitive=true (hcp's --render without
// --render-sensitive drops Secrets; keeping them redacted shows what will be created).
export function redactSecrets (rendered: RenderedCluster): RenderedCluster {
  const objects = rendered.objects.map(redactObject)
  const secrets = objects.filter(o => o.kind === 'Secret')
  return { ...rendered, secrets, objects }
}
