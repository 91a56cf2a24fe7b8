import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { runCrdSuites } from '../../../../../services/sim/kube/validation/crd-suites.ts'
import { loadCrdValidator } from '../../../../../services/sim/kube/validation/index.ts'

const crdDir = fileURLToPath(new URL('../../../../../../shared/crds', import.meta.url))
const suiteDir = `${crdDir}/tests`
// Every case of the shared suites agrees today; keep the bar there.
const minimumAgreement = 1

t.test('CRD validation suites agree with kube-apiserver', { skip: existsSync(suiteDir) ? false : `no CRD suites at ${suiteDir}` }, async t => {
  const started = performance.now()
  const validator = await loadCrdValidator(crdDir)
  const loadMs = performance.now() - started
  const stats = validator.stats()
  t.equal(stats.crds, 3, 'loads the three CRDs')
  t.ok(stats.rules > 0 && stats.evaluableRules <= stats.rules, 'counts CEL rules')
  t.comment(`load ${loadMs.toFixed(0)} ms; rules ${stats.evaluableRules}/${stats.rules} evaluable`)

  const results = await runCrdSuites(suiteDir, validator)
  const agree = results.filter(r => r.agree).length
  const perSuite = new Map<string, { agree: number, total: number }>()
  for (const r of results) {
    const s = perSuite.get(r.file) ?? { agree: 0, total: 0 }
    s.total++
    if (r.agree) s.agree++
    perSuite.set(r.file, s)
  }
  t.comment(`agreement ${agree}/${results.length}`)
  for (const [file, s] of perSuite) t.comment(`  ${file}: ${s.agree}/${s.total}`)
  const disagreeing = results.filter(r => !r.agree)
  if (disagreeing.length > 0) t.comment(`disagreeing:\n${disagreeing.map(r => `  ${r.file} [${r.phase}] ${r.name}: ${r.detail}`).join('\n')}`)
  t.ok(results.length > 250, 'runs every suite case')
  t.ok(agree / results.length >= minimumAgreement, `agreement ${agree}/${results.length} >= ${minimumAgreement}`)
})

t.test('validating one object is fast once loaded', { skip: existsSync(crdDir) ? false : `no CRDs at ${crdDir}` }, async t => {
  const validator = await loadCrdValidator(crdDir)
  const object = {
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'HostedCluster',
    metadata: { name: 'perf', namespace: 'default' },
    spec: {
      dns: { baseDomain: 'example.com' },
      platform: { type: 'AWS' },
      pullSecret: { name: 'secret' },
      release: { image: 'quay.io/openshift-release-dev/ocp-release:4.15.11-x86_64' },
      secretEncryption: { aescbc: { activeKey: { name: 'key' } }, type: 'aescbc' },
      services: ['APIServer', 'OAuthServer', 'Konnectivity', 'Ignition'].map(service => ({ service, servicePublishingStrategy: { type: 'Route', route: {} } }))
    }
  }
  const input = { group: 'hypershift.openshift.io', version: 'v1beta1', plural: 'hostedclusters', object }
  t.same(validator.validate(input).causes, [], 'a complete HostedCluster is valid')
  const started = performance.now()
  for (let i = 0; i < 20; i++) validator.validate(input)
  const perObject = (performance.now() - started) / 20
  t.comment(`validate: ${perObject.toFixed(2)} ms per HostedCluster`)
  t.ok(perObject < 50, 'under 50 ms per object')
})
