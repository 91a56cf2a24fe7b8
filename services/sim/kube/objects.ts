// Object lifecycle shared by the HTTP handlers and the controllers: create, update (main resource and
// subresources), delete with finalizers and propagation policies. Every write goes through here.
import { randomUUID } from 'node:crypto'
import { generateSuffix, nameRuleFor, now, validateMeta } from './meta.ts'
import { deepEqual } from './patch.ts'
import type { Registry } from './resources.ts'
import { alreadyExists, badRequest, conflict, forbidden, invalid, MODIFIED, notFound, success } from './status.ts'
import type { FieldError, StatusBody } from './status.ts'
import type { Store } from './store.ts'
import { apiVersionOf, resourceKey } from './types.ts'
import type { KubeObject, ResourceInfo } from './types.ts'
import type { CrdValidator } from './validation/index.ts'

export type Propagation = 'Foreground' | 'Background' | 'Orphan'

export interface DeleteOptions {
  propagationPolicy?: Propagation
  gracePeriodSeconds?: number
  preconditions?: { uid?: string, resourceVersion?: string }
  dryRun?: boolean
}

export interface Objects {
  create (r: ResourceInfo, namespace: string | undefined, body: KubeObject, dryRun: boolean): KubeObject
  // subresource 'status' writes only status; undefined writes everything but status (when r has /status)
  update (r: ResourceInfo, current: KubeObject, body: KubeObject, opts: { dryRun: boolean, subresource?: 'status' }): KubeObject
  remove (r: ResourceInfo, current: KubeObject, opts: DeleteOptions): { object: KubeObject, deleted: boolean, response: KubeObject | StatusBody }
  get (r: ResourceInfo, namespace: string | undefined, name: string): KubeObject
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

// what generation tracks: everything except metadata (and status when it has its own endpoint)
function specPart (r: ResourceInfo, o: KubeObject): unknown {
  const { metadata: _m, status, ...rest } = o
  return r.subresources.status ? rest : { ...rest, status }
}

function comparable (o: KubeObject): KubeObject {
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = o.metadata
  return { ...o, metadata }
}

export function createObjects (ctx: { store: Store, registry: Registry, validator: CrdValidator | null }): Objects {
  const { store } = ctx

  function checkTypeMeta (r: ResourceInfo, body: KubeObject): void {
    const want = apiVersionOf(r)
    if (body.apiVersion !== undefined && body.apiVersion !== want) throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${want})`)
    if (body.kind !== undefined && body.kind !== r.kind) throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${r.kind})`)
    body.apiVersion = want
    body.kind = r.kind
  }

  function validate (r: ResourceInfo, obj: KubeObject, old: KubeObject | undefined, subresource?: 'status'): KubeObject {
    const errs: FieldError[] = validateMeta(obj, { nameRule: nameRuleFor(r.plural), namespaced: r.namespaced })
    let out = obj
    if (r.validated && ctx.validator !== null) {
      const result = ctx.validator.validate({ group: r.group, version: r.version, plural: r.plural, object: obj, oldObject: old, subresource })
      out = { ...(result.object as KubeObject), metadata: obj.metadata }
      errs.push(...result.causes)
    }
    if (errs.length > 0) throw invalid(r.group, r.kind, obj.metadata.name ?? '', errs)
    return out
  }

  function applyDefaults (r: ResourceInfo, obj: KubeObject): void {
    const spec = (isRecord(obj.spec) ? obj.spec : undefined)
    switch (resourceKey(r)) {
      case 'namespaces':
        obj.spec = { finalizers: ['kubernetes'] }
        obj.status = { phase: 'Active' }
        obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name! }
        break
      case 'pods':
        obj.status = { phase: 'Pending', qosClass: 'BestEffort' }
        break
      case 'services':
        if (spec !== undefined) {
          spec.type ??= 'ClusterIP'
          if (spec.type !== 'ExternalName' && spec.clusterIP === undefined) {
            const n = store.rv() + 1
            spec.clusterIP = `10.96.${(n >> 8) & 255}.${n & 255}`
            spec.clusterIPs = [spec.clusterIP]
          }
        }
        obj.status = { loadBalancer: {} }
        break
      case 'deployments.apps': case 'statefulsets.apps':
        if (spec !== undefined) spec.replicas ??= 1
        break
    }
  }

  function namespaceGate (r: ResourceInfo, namespace: string, name: string): void {
    const ns = store.get('namespaces', '', namespace)
    if (ns === undefined) throw notFound({ group: '', plural: 'namespaces' }, namespace)
    if (ns.metadata.deletionTimestamp !== undefined) {
      throw forbidden(r, name, `unable to create new content in namespace ${namespace} because it is being terminated`, { reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' })
    }
  }

  function get (r: ResourceInfo, namespace: string | undefined, name: string): KubeObject {
    const o = store.get(resourceKey(r), r.namespaced ? namespace ?? '' : '', name)
    if (o === undefined) throw notFound(r, name)
    return o
  }

  function create (r: ResourceInfo, namespace: string | undefined, body: KubeObject, dryRun: boolean): KubeObject {
    checkTypeMeta(r, body)
    const meta = isRecord(body.metadata) ? body.metadata : {}
    if (r.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
      meta.namespace = namespace
    } else delete meta.namespace
    if ((meta.name === undefined || meta.name === '') && typeof meta.generateName === 'string' && meta.generateName !== '') {
      meta.name = meta.generateName + generateSuffix()
    }
    for (const k of ['uid', 'resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink']) delete meta[k]
    meta.creationTimestamp = now()
    meta.uid = randomUUID()
    if (r.generation) meta.generation = 1
    else delete meta.generation
    // admission (namespace lifecycle) runs before validation, as upstream
    if (r.namespaced) namespaceGate(r, namespace ?? '', typeof meta.name === 'string' ? meta.name : '')
    const { apiVersion, kind, metadata: _m, ...rest } = body
    let obj: KubeObject = { apiVersion, kind, metadata: meta, ...rest }
    // the status endpoint owns status: a create may not set it
    if (r.subresources.status && !r.builtin) delete obj.status
    if (r.group === 'apps') obj.status = {}
    applyDefaults(r, obj)
    obj = validate(r, obj, undefined)
    const name = obj.metadata.name!
    if (store.get(resourceKey(r), obj.metadata.namespace ?? '', name) !== undefined) throw alreadyExists(r, name)
    if (dryRun) return obj
    return store.commit(resourceKey(r), 'ADDED', obj)
  }

  function update (r: ResourceInfo, current: KubeObject, body: KubeObject, opts: { dryRun: boolean, subresource?: 'status' }): KubeObject {
    checkTypeMeta(r, body)
    const name = current.metadata.name!
    const meta = isRecord(body.metadata) ? body.metadata : {}
    if (meta.name !== undefined && meta.name !== name) throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`)
    if (r.namespaced && meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== current.metadata.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
    }
    if (typeof meta.resourceVersion === 'string' && meta.resourceVersion !== '' && meta.resourceVersion !== current.metadata.resourceVersion) throw conflict(r, name, MODIFIED)
    if (typeof meta.uid === 'string' && meta.uid !== '' && meta.uid !== current.metadata.uid) {
      throw conflict(r, name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${current.metadata.uid}`)
    }
    let next: KubeObject
    if (opts.subresource === 'status') {
      next = { ...structuredClone(current), status: body.status }
      if (body.status === undefined) delete next.status
    } else {
      next = { ...body }
      next.metadata = { ...meta }
      for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'namespace', 'name', 'generation', 'resourceVersion'] as const) {
        const meta: Record<string, unknown> = next.metadata
        if (current.metadata[k] === undefined) delete meta[k]
        else meta[k] = current.metadata[k]
      }
      delete next.metadata.managedFields
      if (r.subresources.status) {
        if (current.status === undefined) delete next.status
        else next.status = structuredClone(current.status)
      }
      if (r.plural === 'namespaces' && r.group === '') next.spec = current.spec
    }
    if (current.metadata.deletionTimestamp !== undefined) {
      const added = (next.metadata.finalizers ?? []).filter(f => !(current.metadata.finalizers ?? []).includes(f))
      if (added.length > 0) {
        throw invalid(r.group, r.kind, name, [{ reason: 'FieldValueForbidden', field: 'metadata.finalizers', message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map(f => `"${f}"`).join(', ')}}` }])
      }
    }
    next = validate(r, next, current, opts.subresource)
    if (r.generation && !deepEqual(specPart(r, next), specPart(r, current))) next.metadata.generation = (current.metadata.generation ?? 0) + 1
    if (deepEqual(comparable(next), comparable(current))) return current
    if (opts.dryRun) return next
    const key = resourceKey(r)
    const finalizersGone = (next.metadata.finalizers ?? []).length === 0 && !hasSpecFinalizers(r, next)
    if (next.metadata.deletionTimestamp !== undefined && finalizersGone) return store.commit(key, 'DELETED', next)
    return store.commit(key, 'MODIFIED', next)
  }

  function hasSpecFinalizers (r: ResourceInfo, o: KubeObject): boolean {
    if (r.plural !== 'namespaces' || r.group !== '') return false
    const fin = (o.spec as { finalizers?: string[] } | undefined)?.finalizers
    return Array.isArray(fin) && fin.length > 0
  }

  function remove (r: ResourceInfo, current: KubeObject, opts: DeleteOptions): { object: KubeObject, deleted: boolean, response: KubeObject | StatusBody } {
    const name = current.metadata.name!
    const pre = opts.preconditions ?? {}
    if (pre.uid !== undefined && pre.uid !== '' && pre.uid !== current.metadata.uid) {
      throw conflict(r, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`)
    }
    if (pre.resourceVersion !== undefined && pre.resourceVersion !== '' && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(r, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`)
    }
    const key = resourceKey(r)
    const dryRun = opts.dryRun === true
    const policy = opts.propagationPolicy ?? 'Background'
    if (policy === 'Orphan' && !dryRun) orphanDependents(current.metadata.uid!)
    const next = structuredClone(current)
    const finalizers = [...(next.metadata.finalizers ?? [])]
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion')
    if (finalizers.length > 0 || hasSpecFinalizers(r, next)) {
      next.metadata.finalizers = finalizers
      if (next.metadata.deletionTimestamp === undefined) {
        next.metadata.deletionTimestamp = now()
        next.metadata.deletionGracePeriodSeconds = 0
      }
      if (r.plural === 'namespaces' && r.group === '') next.status = { phase: 'Terminating' }
      if (dryRun || deepEqual(next, current)) return { object: next, deleted: false, response: next }
      const stored = store.commit(key, 'MODIFIED', next)
      return { object: stored, deleted: false, response: stored }
    }
    const gone = dryRun ? next : store.commit(key, 'DELETED', next)
    return { object: gone, deleted: true, response: r.returnDeletedObject ? gone : success(r, name, current.metadata.uid) }
  }

  function orphanDependents (uid: string): void {
    for (const { resource, object } of store.entries()) {
      const refs = object.metadata.ownerReferences ?? []
      if (!refs.some(o => o.uid === uid)) continue
      const remaining = refs.filter(o => o.uid !== uid)
      if (remaining.length > 0) object.metadata.ownerReferences = remaining
      else delete object.metadata.ownerReferences
      store.commit(resource, 'MODIFIED', object)
    }
  }

  return { create, update, remove, get }
}
