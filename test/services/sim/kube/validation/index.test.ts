import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { loadCrdValidator } from '../../../../../services/sim/kube/validation/index.ts'

const crdYaml = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  names: { kind: Gadget, plural: gadgets }
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      scale: { specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas }
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [mode]
            properties:
              mode: { type: string, enum: [Fast, Slow], default: Fast }
              replicas: { type: integer }
              name: { type: string, x-kubernetes-validations: [{ rule: "self.startsWith('g-')", message: "name must start with g-" }] }
          status:
            type: object
            properties:
              replicas: { type: integer }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: ignored }
`

t.test('loads multi-document CRD files and validates end to end', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'crd-validator-'))
  await writeFile(join(dir, 'gadgets.crd.yaml'), crdYaml)
  await writeFile(join(dir, 'notes.txt'), 'not yaml: [')
  const v = await loadCrdValidator(dir)
  t.equal(v.crds.length, 1, 'only CustomResourceDefinition documents are kept')
  t.ok(v.has('example.com', 'v1', 'gadgets'))
  t.notOk(v.has('example.com', 'v2', 'gadgets'))
  t.same(v.stats(), { crds: 1, rules: 1, evaluableRules: 1 })
  t.same(v.unsupportedRules(), [])

  const base = { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } }
  const ok = v.validate({ group: 'example.com', version: 'v1', plural: 'gadgets', object: { ...base, spec: { name: 'g-1', junk: true } } })
  t.same(ok.causes, [])
  t.same(ok.object.spec, { mode: 'Fast', name: 'g-1' }, 'pruned then defaulted, so the required field is satisfied')

  const bad = v.validate({ group: 'example.com', version: 'v1', plural: 'gadgets', object: { ...base, spec: { name: 'x', replicas: -1 } } })
  t.same(bad.causes, [
    { reason: 'FieldValueInvalid', field: '.spec.replicas', message: 'Invalid value: -1: should be a non-negative integer' },
    { reason: 'FieldValueInvalid', field: 'spec.name', message: 'Invalid value: "string": name must start with g-' }
  ])
  t.throws(() => v.validate({ group: 'example.com', version: 'v9', plural: 'gadgets', object: base }), /no CustomResourceDefinition/)
})
