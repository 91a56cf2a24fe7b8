import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions
} from '@kubernetes/client-node'

export const HYPERSHIFT_GROUP = 'hypershift.openshift.io'
export const HYPERSHIFT_VERSION = 'v1beta1'

export interface KubeClients {
  kc: KubeConfig
  core: CoreV1Api
  apps: AppsV1Api
  custom: CustomObjectsApi
}

export function makeClients (kubeconfigYaml: string): KubeClients {
  const kc = new KubeConfig()
  kc.loadFromString(kubeconfigYaml)
  // client-node 2 refuses plain http:// unless skipTLSVerify is set; there is no TLS to verify there
  if (kc.clusters.some((c) => c.server.startsWith('http://') && c.skipTLSVerify !== true)) {
    kc.loadFromOptions({
      clusters: kc.clusters.map((c) => (c.server.startsWith('http://') ? { ...c, skipTLSVerify: true } : c)),
      users: kc.users,
      contexts: kc.contexts,
      currentContext: kc.currentContext
    })
  }
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi)
  }
}

export function statusCode (err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'number' ? code : undefined
}

export const isNotFound = (err: unknown): boolean => statusCode(err) === 404
export const isConflict = (err: unknown): boolean => statusCode(err) === 409
export const isAlreadyExists = (err: unknown): boolean => statusCode(err) === 409

export const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
export const JSON_PATCH = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch)

// Swallows 404 so that "make sure it is gone" reads as one call.
export async function ignoreNotFound<T> (p: Promise<T>): Promise<T | undefined> {
  try {
    return await p
  } catch (err) {
    if (isNotFound(err)) return undefined
    throw err
  }
}

// Create-if-missing: a 409 AlreadyExists means another writer (or our previous run) got there first.
export async function createIfMissing<T> (p: Promise<T>): Promise<boolean> {
  try {
    await p
    return true
  } catch (err) {
    if (isAlreadyExists(err)) return false
    throw err
  }
}

export function errorMessage (err: unknown): string {
  if (err instanceof ApiException) {
    const body = err.body as { message?: string } | string | undefined
    const msg = typeof body === 'string' ? body : body?.message
    return `HTTP ${err.code}: ${msg ?? err.message}`
  }
  return err instanceof Error ? err.message : String(err)
}
