import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { isMap, isScalar, parse as parseYaml, parseDocument } from 'yaml'
import { deepEqual } from './equal.ts'
import { createCrdValidator, type CrdValidator } from './index.ts'
import { applyJsonPatch, type JsonPatchOp } from './json-patch.ts'
import { invalidMessage } from './messages.ts'
import { prepareForCreate, prepareForStatusUpdate, prepareForUpdate } from './prepare.ts'
import { isObject, type JsonObject } from './types.ts'

// Runs openshift/api-style *.testsuite.yaml suites (HyperShift test/envtest/generator.go semantics) against a validator,
// simulating the API server's create / update / status-update steps around it.

export interface CreateTest { name: string, initial: string, expected?: string, expectedError?: string }
export interface UpdateTest extends CreateTest { updated: string, expectedStatusError?: string, initialCRDPatches?: JsonPatchOp[] }
export interface SuiteSpec { name?: string, crdName: string, version?: string, tests?: { onCreate?: CreateTest[], onUpdate?: UpdateTest[] } }

export interface CrdSuiteResult {
  suite: string
  file: string
  phase: 'onCreate' | 'onUpdate'
  name: string
  agree: boolean
  detail: string
}

interface Target {
  validator: Pick<CrdValidator, 'validate'>
  group: string
  version: string
  plural: string
  kind: string
  hasStatus: boolean
}

type Outcome = { ok: true, object: JsonObject } | { ok: false, message: string }

function str (v: unknown): string {
  return typeof v === 'string' ? v : ''
}

function parseObject (text: string): JsonObject {
  const v: unknown = parseYaml(text)
  if (!isObject(v)) throw new Error('test object is not a YAML mapping')
  return v
}

function withName (obj: JsonObject, name: string): JsonObject {
  const meta = isObject(obj.metadata) ? obj.metadata : {}
  return { ...obj, metadata: { ...meta, name, namespace: 'default' } }
}

function write (t: Target, object: JsonObject, oldObject?: JsonObject, subresource?: 'status'): Outcome {
  const name = str((object.metadata as JsonObject | undefined)?.name)
  const res = t.validator.validate({ group: t.group, version: t.version, plural: t.plural, object, oldObject, subresource })
  if (res.causes.length > 0) return { ok: false, message: invalidMessage(t.kind, t.group, name, res.causes) }
  return { ok: true, object: res.object }
}

function checkError (out: Outcome, expected: string): { agree: boolean, detail: string } {
  if (out.ok) return { agree: false, detail: `expected error containing ${JSON.stringify(expected)}, but the write succeeded` }
  if (out.message.includes(expected)) return { agree: true, detail: '' }
  return { agree: false, detail: `expected error containing ${JSON.stringify(expected)}, got: ${out.message}` }
}

// Paths (with both values) where two decoded objects differ, for readable disagreement reports.
function differences (a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (out.length >= 5 || deepEqual(a, b)) return out
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) differences(a[k], b[k], `${path}.${k}`, out)
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => differences(x, b[i], `${path}[${i}]`, out))
  } else {
    out.push(`${path || '.'}: got ${JSON.stringify(a)}, expected ${JSON.stringify(b)}`)
  }
  return out
}

// HyperShift's envtest generator (assertObjectMatch): only spec and status, each only when expected has it.
function checkStored (stored: JsonObject, expectedText: string | undefined): { agree: boolean, detail: string } {
  if (!expectedText?.trim()) return { agree: true, detail: '' }
  const expected = parseObject(expectedText)
  const diffs: string[] = []
  for (const key of ['spec', 'status']) {
    if (isObject(expected[key])) differences(isObject(stored[key]) ? stored[key] : {}, expected[key], `.${key}`, diffs)
  }
  if (diffs.length === 0) return { agree: true, detail: '' }
  return { agree: false, detail: `stored object differs: ${diffs.join('; ')}` }
}

function runCreate (t: Target, test: CreateTest, name: string): { agree: boolean, detail: string } {
  const initial = withName(parseObject(test.initial), name)
  const out = write(t, prepareForCreate(initial, t.hasStatus))
  if (test.expectedError) return checkError(out, test.expectedError)
  if (!out.ok) return { agree: false, detail: `unexpected error: ${out.message}` }
  return checkStored(out.object, test.expected)
}

function runUpdate (t: Target, setup: Target, test: UpdateTest, name: string): { agree: boolean, detail: string } {
  const initial = withName(parseObject(test.initial), name)
  const created = write(setup, prepareForCreate(initial, t.hasStatus))
  if (!created.ok) return { agree: false, detail: `initial object should create: ${created.message}` }
  let stored = created.object
  if (initial.status !== undefined && t.hasStatus) {
    const st = write(setup, prepareForStatusUpdate(initial, stored), stored, 'status')
    if (!st.ok) return { agree: false, detail: `initial status should update: ${st.message}` }
    stored = st.object
  }
  if (setup !== t) {
    // generator.go re-writes the object once the original schema is restored.
    const again = write(t, stored, stored)
    if (!again.ok) return { agree: false, detail: `rewrite under the restored schema failed: ${again.message}` }
    stored = again.object
  }
  const updated = withName(parseObject(test.updated), name)
  const up = write(t, prepareForUpdate(updated, stored, t.hasStatus), stored)
  if (test.expectedError) return checkError(up, test.expectedError)
  if (!up.ok) return { agree: false, detail: `unexpected error updating spec: ${up.message}` }
  stored = up.object
  if (updated.status !== undefined && t.hasStatus) {
    const st = write(t, prepareForStatusUpdate(updated, stored), stored, 'status')
    if (test.expectedStatusError) return checkError(st, test.expectedStatusError)
    if (!st.ok) return { agree: false, detail: `unexpected error updating status: ${st.message}` }
    stored = st.object
  } else if (test.expectedStatusError) {
    return { agree: false, detail: 'expectedStatusError given but the updated object has no status' }
  }
  return checkStored(stored, test.expected)
}

function targetFor (crd: JsonObject, version: string, validator: Pick<CrdValidator, 'validate'>): Target {
  const spec = isObject(crd.spec) ? crd.spec : {}
  const names = isObject(spec.names) ? spec.names : {}
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : []
  const v = versions.find(x => x.name === version)
  const sub = v && isObject(v.subresources) ? v.subresources : {}
  return { validator, group: str(spec.group), version, plural: str(names.plural), kind: str(names.kind), hasStatus: 'status' in sub }
}

// A suite file may repeat `onCreate:`/`onUpdate:` under `tests` (the Go loader keeps only the last
// one); every listed case is kept so none silently drops out of the oracle.
export function parseSuite (text: string): SuiteSpec {
  const doc = parseDocument(text, { uniqueKeys: false })
  const suite = doc.toJS() as SuiteSpec
  const tests = doc.get('tests')
  if (!isMap(tests)) return suite
  const merged: { onCreate: CreateTest[], onUpdate: UpdateTest[] } = { onCreate: [], onUpdate: [] }
  for (const pair of tests.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key
    const value: unknown = pair.value && typeof pair.value === 'object' && 'toJSON' in pair.value ? (pair.value as { toJSON: () => unknown }).toJSON() : undefined
    if (key !== 'onCreate' && key !== 'onUpdate') continue
    // An onUpdate entry without `updated` is a create case filed under the wrong key.
    for (const entry of Array.isArray(value) ? value as UpdateTest[] : []) {
      if (key === 'onUpdate' && typeof entry.updated === 'string') merged.onUpdate.push(entry)
      else merged.onCreate.push(entry)
    }
  }
  suite.tests = merged
  return suite
}

function caseName (index: number): string {
  return `test-${index.toString(36).padStart(5, '0')}`
}

export async function runCrdSuites (dir: string, validator: CrdValidator): Promise<CrdSuiteResult[]> {
  const files = (await readdir(dir)).filter(f => f.endsWith('.testsuite.yaml')).sort()
  const results: CrdSuiteResult[] = []
  let counter = 0
  for (const file of files) {
    const suite = parseSuite(await readFile(join(dir, file), 'utf8'))
    const crd = (validator.crds as JsonObject[]).find(c => isObject(c.metadata) && c.metadata.name === suite.crdName)
    const record = (phase: CrdSuiteResult['phase'], name: string, r: { agree: boolean, detail: string }): void => {
      results.push({ suite: suite.name ?? file, file, phase, name, ...r })
    }
    const guard = (fn: () => { agree: boolean, detail: string }): { agree: boolean, detail: string } => {
      try { return fn() } catch (err) { return { agree: false, detail: `runner error: ${(err as Error).message}` } }
    }
    for (const test of suite.tests?.onCreate ?? []) {
      if (!crd) { record('onCreate', test.name, { agree: false, detail: `no CRD named ${suite.crdName}` }); continue }
      const t = targetFor(crd, suite.version ?? '', validator)
      record('onCreate', test.name, guard(() => runCreate(t, test, caseName(counter++))))
    }
    for (const test of suite.tests?.onUpdate ?? []) {
      if (!crd) { record('onUpdate', test.name, { agree: false, detail: `no CRD named ${suite.crdName}` }); continue }
      const t = targetFor(crd, suite.version ?? '', validator)
      record('onUpdate', test.name, guard(() => {
        const setup = test.initialCRDPatches?.length
          ? { ...t, validator: createCrdValidator([applyJsonPatch(crd, test.initialCRDPatches)]) }
          : t
        return runUpdate(t, setup, test, caseName(counter++))
      }))
    }
  }
  return results
}
