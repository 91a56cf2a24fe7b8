import t from 'tap'
import { deepEqual, jsonPatch, mergePatch, strategicMerge } from '../../../../services/sim/kube/patch.ts'

t.test('merge patch (RFC 7386)', async t => {
  t.same(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { a: null, b: { c: 5 }, l: [3] }), { b: { c: 5, d: 3 }, l: [3] })
  t.same(mergePatch({ a: 1 }, 'x'), 'x')
})

t.test('JSON patch (RFC 6902)', async t => {
  const doc = { a: { b: [1, 2] }, c: 'x' }
  t.same(jsonPatch(doc, [
    { op: 'add', path: '/a/b/-', value: 3 },
    { op: 'add', path: '/a/b/0', value: 0 },
    { op: 'remove', path: '/a/b/1' },
    { op: 'replace', path: '/c', value: 'y' },
    { op: 'copy', from: '/c', path: '/d' },
    { op: 'move', from: '/d', path: '/e~1f' },
    { op: 'test', path: '/a/b', value: [0, 2, 3] }
  ]), { a: { b: [0, 2, 3] }, c: 'y', 'e/f': 'y' })
  t.same(doc, { a: { b: [1, 2] }, c: 'x' }, 'input untouched')
  t.throws(() => jsonPatch(doc, [{ op: 'test', path: '/c', value: 'z' }]), { code: 422, message: 'the server rejected our request due to an error in our request' })
  t.throws(() => jsonPatch(doc, [{ op: 'replace', path: '/nope', value: 1 }]), { code: 422 })
  t.throws(() => jsonPatch(doc, [{ op: 'remove', path: '/a/b/9' }]), { code: 422 })
  t.throws(() => jsonPatch(doc, { op: 'add' }), { code: 400 })
  t.throws(() => jsonPatch(doc, [{ op: 'frobnicate', path: '/c' }]), { code: 422 })
})

t.test('strategic merge patch', async t => {
  const pod = {
    metadata: { finalizers: ['a'] },
    spec: {
      containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, name: 'http' }], volumeMounts: [{ mountPath: '/m', name: 'v' }] }],
      volumes: [{ name: 'v', emptyDir: {} }],
      tolerations: [{ key: 'k' }]
    },
    status: { conditions: [{ type: 'Ready', status: 'False' }] }
  }
  const out = strategicMerge(pod, {
    metadata: { finalizers: ['b'] },
    spec: {
      containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }] }, { name: 'b', image: 'y' }],
      volumes: [{ name: 'v', $patch: 'delete' }],
      tolerations: [{ key: 'z' }]
    },
    status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Other', status: 'True' }] }
  }) as any
  t.same(out.metadata.finalizers, ['a', 'b'])
  t.same(out.spec.containers[0].ports, [{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443 }])
  t.equal(out.spec.containers[1].image, 'y')
  t.same(out.spec.volumes, [])
  t.same(out.spec.tolerations, [{ key: 'z' }], 'lists without a merge key are replaced')
  t.same(out.status.conditions, [{ type: 'Ready', status: 'True' }, { type: 'Other', status: 'True' }])
  t.same(strategicMerge({ spec: { a: 1, b: 2 } }, { spec: { $patch: 'replace', c: 3 } }), { spec: { c: 3 } })
  t.ok(deepEqual({ a: [1, { b: undefined }] }, { a: [1, {}] }))
})
