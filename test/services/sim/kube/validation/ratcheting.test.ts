import t from 'tap'
import { createCrdValidator } from '../../../../../services/sim/kube/validation/index.ts'

function crd (specProps: Record<string, unknown>, rules: unknown[] = []): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: specProps, 'x-kubernetes-validations': rules },
              status: { type: 'object', properties: { phase: { type: 'string', enum: ['Ready'] } } }
            }
          }
        }
      }]
    }
  }
}

const gvr = { group: 'example.com', version: 'v1', plural: 'widgets' }

t.test('unchanged invalid values are ratcheted, changed ones are not', async t => {
  const v = createCrdValidator([crd({
    name: { type: 'string', maxLength: 3 },
    other: { type: 'string', 'x-kubernetes-validations': [{ rule: "self != 'bad'", message: 'other is bad' }] },
    tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' } }
  }, [{ rule: '!has(oldSelf.other) || has(self.other)', message: 'other cannot be removed' }])])
  const old = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { name: 'toolong', other: 'bad', tags: ['A1'] } }
  t.equal(v.validate({ ...gvr, object: old }).causes.length, 3, 'the old object is invalid on create')
  const touched = structuredClone(old)
  touched.spec.tags = ['A1', 'b']
  t.same(v.validate({ ...gvr, object: touched, oldObject: old }).causes.map(c => c.field), ['spec.tags[0]'],
    'atomic list changed: its item errors come back; untouched name and CEL rule stay ratcheted')
  const renamed = structuredClone(old)
  renamed.spec.name = 'stilltoolong'
  t.same(v.validate({ ...gvr, object: renamed, oldObject: old }).causes.map(c => c.message), [
    'Too long: may not be more than 3 bytes',
    'Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation'
  ], 'a changed value is checked again, and its blocking error stops the CEL rules')
  const removed = structuredClone(old) as { spec: Record<string, unknown> }
  delete removed.spec.other
  t.same(v.validate({ ...gvr, object: removed, oldObject: old }).causes.map(c => c.message), ['Invalid value: "object": other cannot be removed'],
    'transition rules are never ratcheted')
})

t.test('status writes ratchet the untouched spec and block CEL on structural errors', async t => {
  const v = createCrdValidator([crd({ size: { type: 'integer' } }, [{ rule: 'self.size > 0', message: 'size must be positive' }])])
  const old = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 0 } }
  const statusWrite = { ...old, status: { phase: 'Ready' } }
  t.same(v.validate({ ...gvr, object: statusWrite, oldObject: old, subresource: 'status' }).causes, [], 'spec errors unchanged since the stored object are dropped')
  const badStatus = { ...old, status: { phase: 'Nope' } }
  t.same(v.validate({ ...gvr, object: badStatus, oldObject: old, subresource: 'status' }).causes.map(c => `${c.field}: ${c.message}`), [
    'status.phase: Unsupported value: "Nope": supported values: "Ready"',
    '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation'
  ])
})
