import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse as parseYaml } from 'yaml'
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node'
import { startKubeServer } from '../../../../services/sim/kube/server.ts'
import { parseSuite, type CreateTest, type UpdateTest } from '../../../../services/sim/kube/validation/crd-suites.ts'

// The HyperShift CRD suites again, but through the twin's HTTP API with client-node: this checks the
// server's own create/update/status paths (status stripping, resourceVersion, the 422 Status), not
// only the validator.
const crds = fileURLToPath(new URL('../../../../../shared/crds', import.meta.url))
const suites = join(crds, 'tests')

type Obj = Record<string, any>
type Result = { agree: boolean, detail: string } | { skipped: string }

const plurals: Record<string, { group: string, plural: string }> = {
  'hostedclusters.hypershift.openshift.io': { group: 'hypershift.openshift.io', plural: 'hostedclusters' },
  'nodepools.hypershift.openshift.io': { group: 'hypershift.openshift.io', plural: 'nodepools' },
  'hcpetcdbackups.hypershift.openshift.io': { group: 'hypershift.openshift.io', plural: 'hcpetcdbackups' }
}

function message (err: unknown): string {
  const body = (err as { body?: unknown }).body
  try {
    return JSON.parse(String(body)).message ?? String(body)
  } catch {
    return String((err as Error).message)
  }
}

function sameSubset (stored: Obj, expected: Obj): string | undefined {
  for (const key of ['spec', 'status']) {
    if (expected[key] === undefined) continue
    if (JSON.stringify(sortKeys(stored[key] ?? {})) !== JSON.stringify(sortKeys(expected[key]))) return `${key} differs`
  }
  return undefined
}

function sortKeys (v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map(k => [k, sortKeys((v as Obj)[k])]))
  return v
}

t.test('the CRD test suites agree when run over HTTP against the twin', { skip: !existsSync(suites) && `no CRD suites at ${suites}` }, async t => {
  const server = await startKubeServer({ port: 0, crdDir: crds, log: () => {} })
  t.teardown(() => server.close())
  const kc = new KubeConfig()
  kc.loadFromString(server.kubeconfig())
  const api = kc.makeApiClient(CustomObjectsApi)
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'suites' } } })
  let n = 0

  async function run (crdName: string, version: string, test: CreateTest | UpdateTest, update: boolean): Promise<Result> {
    const target = plurals[crdName]
    if (!target) return { skipped: `no resource for ${crdName}` }
    if ((test as UpdateTest).initialCRDPatches?.length) return { skipped: 'needs a patched CRD (initialCRDPatches)' }
    const ref = { group: target.group, version, namespace: 'suites', plural: target.plural }
    const name = `case-${n++}`
    const initial: Obj = parseYaml(test.initial)
    initial.metadata = { ...initial.metadata, name }
    const expectErr = update ? undefined : test.expectedError
    let stored: Obj
    try {
      stored = await api.createNamespacedCustomObject({ ...ref, body: initial }) as Obj
    } catch (err) {
      if (expectErr && message(err).includes(expectErr)) return { agree: true, detail: '' }
      return { agree: false, detail: `create: ${message(err)}` }
    }
    if (initial.status !== undefined) {
      try {
        stored = await api.replaceNamespacedCustomObjectStatus({ ...ref, name, body: { ...stored, status: initial.status } }) as Obj
      } catch (err) {
        return { agree: false, detail: `initial status: ${message(err)}` }
      }
    }
    if (!update) {
      if (expectErr) return { agree: false, detail: `expected ${expectErr}, but the create succeeded` }
      const diff = test.expected ? sameSubset(stored, parseYaml(test.expected)) : undefined
      return { agree: !diff, detail: diff ?? '' }
    }
    const u = test as UpdateTest
    const updated: Obj = parseYaml(u.updated)
    updated.metadata = { ...updated.metadata, name, resourceVersion: stored.metadata.resourceVersion }
    try {
      stored = await api.replaceNamespacedCustomObject({ ...ref, name, body: updated }) as Obj
    } catch (err) {
      if (u.expectedError && message(err).includes(u.expectedError)) return { agree: true, detail: '' }
      return { agree: false, detail: `update: ${message(err)}` }
    }
    if (u.expectedError) return { agree: false, detail: `expected ${u.expectedError}, but the update succeeded` }
    if (updated.status !== undefined) {
      try {
        stored = await api.replaceNamespacedCustomObjectStatus({ ...ref, name, body: { ...stored, status: updated.status } }) as Obj
      } catch (err) {
        if (u.expectedStatusError && message(err).includes(u.expectedStatusError)) return { agree: true, detail: '' }
        return { agree: false, detail: `status update: ${message(err)}` }
      }
    }
    if (u.expectedStatusError) return { agree: false, detail: `expected ${u.expectedStatusError}, but the status update succeeded` }
    const diff = u.expected ? sameSubset(stored, parseYaml(u.expected)) : undefined
    return { agree: !diff, detail: diff ?? '' }
  }

  let agree = 0; let total = 0; let skipped = 0
  const disagree: string[] = []
  for (const file of (await readdir(suites)).filter(f => f.endsWith('.testsuite.yaml')).sort()) {
    const suite = parseSuite(await readFile(join(suites, file), 'utf8'))
    let fileAgree = 0; let fileTotal = 0
    for (const [tests, update] of [[suite.tests?.onCreate ?? [], false], [suite.tests?.onUpdate ?? [], true]] as const) {
      for (const test of tests) {
        const r = await run(suite.crdName, suite.version ?? 'v1beta1', test, update)
        if ('skipped' in r) { skipped++; continue }
        total++; fileTotal++
        if (r.agree) { agree++; fileAgree++ } else disagree.push(`${file} / ${test.name}: ${r.detail}`)
      }
    }
    t.comment(`${file}: ${fileAgree}/${fileTotal}`)
  }
  t.comment(`over HTTP: ${agree}/${total} cases agree, ${skipped} skipped (need a patched CRD)`)
  if (disagree.length) t.comment(`disagreeing:\n${disagree.join('\n')}`)
  t.ok(total > 250, `ran ${total} cases`)
  t.ok(agree / total >= 0.97, `${agree}/${total} agree`)
})
