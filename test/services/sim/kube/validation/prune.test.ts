import t from 'tap'
import { applyDefaults, prune, pruneNulls } from '../../../../../services/sim/kube/validation/prune.ts'
import type { Schema } from '../../../../../services/sim/kube/validation/types.ts'

const schema: Schema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      properties: {
        known: { type: 'string' },
        policy: { type: 'string', default: 'HighlyAvailable' },
        storage: {
          type: 'object',
          default: { type: 'PersistentVolume' },
          properties: {
            type: { type: 'string' },
            size: { type: 'string', default: '8Gi' }
          }
        },
        optional: { type: 'object', properties: { inner: { type: 'string', default: 'x' } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { typed: { type: 'object', properties: { a: { type: 'string' } } } } },
        items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, mode: { type: 'string', default: 'auto' } } } },
        embedded: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } },
        maybe: { type: 'string', nullable: true },
        notNull: { type: 'string' },
        nullDefault: { type: 'string', default: 'd' }
      }
    }
  }
}

t.test('prune drops unknown fields and keeps root/embedded meta', async t => {
  const obj = {
    apiVersion: 'g/v1',
    kind: 'K',
    metadata: { name: 'n', labels: { a: 'b' } },
    unknownTop: 1,
    spec: {
      known: 'k',
      unknown: 'u',
      labels: { any: 'thing' },
      free: { extra: { deep: 1 }, typed: { a: 'x', b: 'pruned' } },
      items: [{ name: 'a', bogus: true }],
      embedded: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, spec: {}, data: { x: '1' } }
    }
  }
  prune(obj, schema, true)
  t.same(obj, {
    apiVersion: 'g/v1',
    kind: 'K',
    metadata: { name: 'n', labels: { a: 'b' } },
    spec: {
      known: 'k',
      labels: { any: 'thing' },
      free: { extra: { deep: 1 }, typed: { a: 'x' } },
      items: [{ name: 'a' }],
      embedded: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, spec: {} }
    }
  })
})

t.test('defaults apply under present parents only, recursively', async t => {
  const obj: Record<string, unknown> = { spec: { items: [{ name: 'a' }, { name: 'b', mode: 'manual' }] } }
  applyDefaults(obj, schema)
  t.same(obj, {
    spec: {
      policy: 'HighlyAvailable',
      storage: { type: 'PersistentVolume', size: '8Gi' },
      items: [{ name: 'a', mode: 'auto' }, { name: 'b', mode: 'manual' }],
      nullDefault: 'd'
    }
  }, 'absent optional object is not created; defaults nested in a default value apply')
  const noSpec: Record<string, unknown> = {}
  applyDefaults(noSpec, schema)
  t.same(noSpec, {}, 'nothing is defaulted when the parent is absent')
})

t.test('nulls: nullable kept, defaulted replaced, others dropped', async t => {
  const obj = { spec: { maybe: null, notNull: null, nullDefault: null } }
  pruneNulls(obj, schema)
  applyDefaults(obj, schema)
  t.same(obj.spec, { maybe: null, nullDefault: 'd', policy: 'HighlyAvailable', storage: { type: 'PersistentVolume', size: '8Gi' } })
})
