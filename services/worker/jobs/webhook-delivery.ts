import { UnrecoverableError, type Job } from 'bullmq'
import type { KubeConfig } from '@kubernetes/client-node'
import { isGatewayError } from '../../../shared/errors.ts'
import { JobKinds } from '../../../shared/jobs/kinds.ts'
import { createDeliveryLog, type DeliveryJobData, type DeliveryOutcome } from '../../../shared/webhooks/delivery-log.ts'
import type { DeliveryAttempt, DeliveryState } from '../../../shared/webhooks/schema.ts'
import { send } from '../../../shared/webhooks/send.ts'
import { createSubscriptionStore, type SubscriptionStore } from '../../../shared/webhooks/store.ts'
import { checkTarget, parseAllowList, type TargetPolicy } from '../../../shared/webhooks/target.ts'
import type { ProcessorDefinition, WorkerDeps } from '../worker.ts'

// One API client per kube configuration and namespace, not one per delivery.
const stores = new WeakMap<KubeConfig, Map<string, SubscriptionStore>>()
function storeFor (kubeConfig: KubeConfig, namespace: string): SubscriptionStore {
  let byNamespace = stores.get(kubeConfig)
  if (!byNamespace) stores.set(kubeConfig, byNamespace = new Map())
  let store = byNamespace.get(namespace)
  if (!store) byNamespace.set(namespace, store = createSubscriptionStore(kubeConfig, namespace))
  return store
}

function policyOf (deps: WorkerDeps): TargetPolicy {
  return { allowHttp: deps.config.WEBHOOK_ALLOW_HTTP, allowList: parseAllowList(deps.config.WEBHOOK_ALLOWED_HOSTS) }
}

// One attempt per run: the subscription is re-read (deleted means stop, its secret may have been
// rotated), the target re-checked (DNS may now point inside), then one signed POST. A failure is
// retried by BullMQ's backoff until the delivery's period ends, then it is dead (kept in the failed set).
async function deliver (job: Job, _token: string | undefined, signal: AbortSignal | undefined, deps: WorkerDeps): Promise<unknown> {
  const data = job.data as DeliveryJobData
  const { config } = deps
  const log = createDeliveryLog(deps.redis, deps.prefix, { size: config.WEBHOOK_DELIVERY_LOG_SIZE, ttlSeconds: config.JOB_HISTORY_SECONDS })
  const at = new Date().toISOString()
  const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1) || Date.now() >= data.deadline

  const finish = async (attempt: DeliveryAttempt, state: DeliveryState, outcome: DeliveryOutcome) => {
    await log.record(data, attempt, state, outcome)
    if (state === 'delivered') return { statusCode: attempt.statusCode, latencyMs: attempt.latencyMs }
    const message = attempt.error ?? 'delivery failed'
    throw state === 'pending' ? new Error(message) : new UnrecoverableError(message)
  }
  const retryOrDie = (attempt: DeliveryAttempt) => last ? finish(attempt, 'dead', 'dead') : finish(attempt, 'pending', 'retry')

  if (!deps.kubeConfig) return finish({ at, latencyMs: 0, error: 'this worker has no Kubernetes configuration to read subscriptions from' }, 'pending', 'retry')
  let found
  try {
    found = await storeFor(deps.kubeConfig, config.GATEWAY_NAMESPACE).read(data.subscriptionId)
  } catch (err) {
    return retryOrDie({ at, latencyMs: 0, error: `subscription unreadable: ${(err as Error).message}` })
  }
  if (!found) return finish({ at, latencyMs: 0, error: 'the subscription was deleted' }, 'failed', 'failed')

  const started = performance.now()
  const bounded = signal ? AbortSignal.any([signal, AbortSignal.timeout(config.WEBHOOK_TIMEOUT_MS)]) : AbortSignal.timeout(config.WEBHOOK_TIMEOUT_MS)
  let target
  try {
    target = await checkTarget(found.subscription.url, policyOf(deps), bounded)
  } catch (err) {
    const attempt = { at, latencyMs: Math.round(performance.now() - started), error: (err as Error).message }
    // A refused target stays refused until someone changes DNS or the allow-list: no point retrying a day.
    if (isGatewayError(err) && err.code === 'GW_ERR_WEBHOOK_TARGET_REFUSED') return finish(attempt, 'failed', 'failed')
    return retryOrDie(attempt)
  }
  const body = JSON.stringify({ type: data.event.type, timestamp: data.event.timestamp, data: data.event.data })
  const remaining = Math.max(1, config.WEBHOOK_TIMEOUT_MS - Math.round(performance.now() - started))
  const result = await send(target, { id: data.event.id, body, secret: found.signingSecret }, remaining, signal)
  const attempt: DeliveryAttempt = {
    at,
    latencyMs: Math.round(performance.now() - started),
    ...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
    ...(result.error ? { error: result.error } : {}),
    ...(result.responseBody !== undefined ? { responseBody: result.responseBody } : {})
  }
  return result.ok ? finish(attempt, 'delivered', 'delivered') : retryOrDie(attempt)
}

export const webhookDeliveryJob: ProcessorDefinition = {
  kind: JobKinds.webhookDelivery,
  processor: deliver
}
