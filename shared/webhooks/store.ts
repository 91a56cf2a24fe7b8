// Subscriptions live as Secrets in the gateway's namespace: they survive any Redis loss, and the signing
// secret sits where Kubernetes RBAC and encryption at rest already guard secrets.
import { randomBytes } from 'node:crypto'
import { CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node'
import { fromKubeError, isKubeNotFound, kubeStatusCode } from '../kube/kube-errors.ts'
import { GatewayError } from '../errors.ts'
import { WEBHOOK_EVENT_TYPES, type Subscription } from './schema.ts'

export const WEBHOOK_LABEL = 'hcp-gateway.io/webhook'
const SELECTOR = `${WEBHOOK_LABEL}=true`

export const secretName = (id: string) => `webhook-${id}`

export function newSubscriptionId (): string {
  return randomBytes(10).toString('hex')
}

// Standard Webhooks secrets: 'whsec_' + base64 of the key (32 random bytes, above the spec's 24 minimum).
export function newSigningSecret (): string {
  return `whsec_${randomBytes(32).toString('base64')}`
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64')
const unb64 = (s: string | undefined) => s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8')

function isSubscription (v: unknown): v is Subscription {
  const s = v as Subscription
  return !!s && typeof s.id === 'string' && typeof s.url === 'string' && Array.isArray(s.events) &&
    s.events.every(e => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(e)) &&
    (s.namespaces === undefined || (Array.isArray(s.namespaces) && s.namespaces.every(n => typeof n === 'string')))
}

// A Secret someone else labelled (or edited by hand) is skipped rather than trusted.
export function fromSecret (secret: V1Secret): { subscription: Subscription, signingSecret: string } | undefined {
  try {
    const subscription = JSON.parse(unb64(secret.data?.subscription) ?? 'null') as unknown
    const signingSecret = unb64(secret.data?.secret)
    if (!isSubscription(subscription) || !signingSecret?.startsWith('whsec_')) return undefined
    if (secret.metadata?.name !== secretName(subscription.id)) return undefined
    return { subscription, signingSecret }
  } catch {
    return undefined
  }
}

export interface SubscriptionStore {
  namespace: string
  create (subscription: Subscription, signingSecret: string): Promise<void>
  list (): Promise<Subscription[]>
  read (id: string): Promise<{ subscription: Subscription, signingSecret: string } | undefined>
  remove (id: string): Promise<boolean>
}

export function createSubscriptionStore (kubeConfig: KubeConfig, namespace: string): SubscriptionStore {
  const core = kubeConfig.makeApiClient(CoreV1Api)

  async function ensureNamespace (): Promise<void> {
    try {
      await core.createNamespace({ body: { metadata: { name: namespace, labels: { 'app.kubernetes.io/managed-by': 'hcp-gateway' } } } })
    } catch (err) {
      if (kubeStatusCode(err) !== 409) throw fromKubeError(err)
    }
  }

  return {
    namespace,
    async create (subscription, signingSecret) {
      const body: V1Secret = {
        metadata: {
          name: secretName(subscription.id),
          namespace,
          labels: { [WEBHOOK_LABEL]: 'true', 'app.kubernetes.io/managed-by': 'hcp-gateway' }
        },
        type: 'Opaque',
        data: { subscription: b64(JSON.stringify(subscription)), secret: b64(signingSecret) }
      }
      try {
        await core.createNamespacedSecret({ namespace, body })
      } catch (err) {
        if (!isKubeNotFound(err)) throw fromKubeError(err)
        // First subscription ever: the gateway's namespace may not exist yet.
        await ensureNamespace()
        await core.createNamespacedSecret({ namespace, body }).catch(e => { throw fromKubeError(e) })
      }
    },
    async list () {
      try {
        const list = await core.listNamespacedSecret({ namespace, labelSelector: SELECTOR })
        return list.items.flatMap(s => {
          const parsed = fromSecret(s)
          return parsed ? [parsed.subscription] : []
        })
      } catch (err) {
        if (isKubeNotFound(err)) return []
        throw fromKubeError(err)
      }
    },
    async read (id) {
      try {
        const secret = await core.readNamespacedSecret({ namespace, name: secretName(id) })
        return secret.metadata?.labels?.[WEBHOOK_LABEL] === 'true' ? fromSecret(secret) : undefined
      } catch (err) {
        if (isKubeNotFound(err)) return undefined
        throw fromKubeError(err)
      }
    },
    async remove (id) {
      try {
        await core.deleteNamespacedSecret({ namespace, name: secretName(id) })
        return true
      } catch (err) {
        if (isKubeNotFound(err)) return false
        throw fromKubeError(err)
      }
    }
  }
}

export const subscriptionNotFound = (id: string) => new GatewayError('GW_ERR_NOT_FOUND', `webhook subscription ${id} does not exist`)
