import t from 'tap'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { CreateClusterSchema } from '../../../../shared/hypershift/render/create-cluster-schema.ts'
import { renderCluster } from '../../../../shared/hypershift/render/render-cluster.ts'

// Same Ajv settings the API uses for bodies (services/api/validator.ts): strict types, defaults applied.
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, coerceTypes: false, removeAdditional: false })
addFormats.default(ajv)
const validate = ajv.compile(CreateClusterSchema)

const minimal = () => ({
  name: 'example',
  platform: 'agent',
  releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.19.0-multi',
  pullSecret: '{"auths":{}}',
  agent: { agentNamespace: 'agents', apiServerAddress: '10.0.0.1' }
})

t.test('accepts a minimal body and fills hcp defaults', async t => {
  const body: Record<string, any> = minimal()
  t.ok(validate(body), JSON.stringify(validate.errors))
  t.equal(body.namespace, 'clusters')
  t.equal(body.controllerAvailabilityPolicy, 'SingleReplica')
  t.equal(body.olmCatalogPlacement, 'management')
  t.equal(body.fips, false)
  t.equal(body.featureSet, 'Default')
})

t.test('schema defaults and render defaults agree', async t => {
  const raw = minimal()
  const defaulted = structuredClone(raw)
  t.ok(validate(defaulted))
  const random = (n: number) => Buffer.alloc(n, 3)
  t.same(renderCluster(defaulted as never, { random }).objects, renderCluster(raw as never, { random }).objects)
  const kv: Record<string, any> = { ...minimal(), platform: 'kubevirt', agent: undefined, kubevirt: {}, nodePool: {} }
  delete kv.agent
  const kvRaw = structuredClone(kv)
  t.ok(validate(kv), JSON.stringify(validate.errors))
  t.equal(kv.kubevirt.memory, '4Gi')
  t.equal(kv.nodePool.replicas, 0)
  t.equal(kv.nodePool.nodeDrainTimeout, '0s')
  t.same(renderCluster(kv as never, { random }).objects, renderCluster(kvRaw as never, { random }).objects)
})

t.test('rejects what hcp would not take', async t => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['unknown field', { ...minimal(), bogus: 1 }, 'additionalProperties'],
    ['bad platform', { ...minimal(), platform: 'azure' }, 'enum'],
    ['missing pull secret', { ...minimal(), pullSecret: undefined }, 'required'],
    ['bad name', { ...minimal(), name: 'Example' }, 'pattern'],
    ['agent without namespace', { ...minimal(), agent: { apiServerAddress: 'x' } }, 'required'],
    ['unknown agent field', { ...minimal(), agent: { agentNamespace: 'a', extra: true } }, 'additionalProperties'],
    ['bad arch', { ...minimal(), nodePool: { arch: 'x86_64' } }, 'enum'],
    ['bad duration', { ...minimal(), nodePool: { nodeDrainTimeout: '5 minutes' } }, 'pattern'],
    ['replicas below -1', { ...minimal(), nodePool: { replicas: -2 } }, 'minimum'],
    ['bad ssh key', { ...minimal(), sshKey: 'not-a-key' }, 'pattern'],
    ['bad pausedUntil', { ...minimal(), pausedUntil: 'tomorrow' }, 'pattern'],
    ['bad capability', { ...minimal(), disableClusterCapabilities: ['Telemetry'] }, 'enum'],
    ['aws subnet id', { ...minimal(), platform: 'aws', agent: undefined, aws: { zones: [{ name: 'us-east-1a', subnetId: 'nope' }], vpcId: 'vpc-1', issuerUrl: 'https://x', instanceProfile: 'p', rolesRef: {} } }, 'pattern'],
    ['kubevirt cores', { ...minimal(), kubevirt: { cores: 0 } }, 'minimum'],
    ['openstack flavor', { ...minimal(), openstack: { cloudsYaml: 'clouds: {}' } }, 'required']
  ]
  for (const [label, body, keyword] of cases) {
    const copy = JSON.parse(JSON.stringify(body))
    t.notOk(validate(copy), `${label} is rejected`)
    t.ok(validate.errors?.some(e => e.keyword === keyword), `${label}: ${keyword} (${JSON.stringify(validate.errors?.map(e => e.keyword))})`)
  }
})

t.test('documents every field', async t => {
  const undocumented: string[] = []
  const walk = (schema: any, path: string) => {
    if (schema === null || typeof schema !== 'object') return
    if (schema.type === 'object' && schema.properties !== undefined) {
      t.equal(schema.additionalProperties, false, `${path || 'body'} closes additionalProperties`)
      for (const [k, v] of Object.entries<any>(schema.properties)) {
        if (v.description === undefined && !['key', 'operator', 'value', 'effect', 'tolerationSeconds', 'matchLabels', 'matchExpressions', 'values', 'networkId', 'vnicType', 'disablePortSecurity', 'addressPairs'].includes(k)) undocumented.push(`${path}.${k}`)
        walk(v, `${path}.${k}`)
      }
    }
    if (schema.items !== undefined) walk(schema.items, `${path}[]`)
    for (const alt of schema.anyOf ?? []) walk(alt, path)
  }
  walk(CreateClusterSchema, '')
  t.same(undocumented, [], 'fields without a description')
})
