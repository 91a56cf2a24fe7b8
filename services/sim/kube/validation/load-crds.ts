import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { isObject, type JsonObject } from './types.ts'

// Reads every CustomResourceDefinition document of the *.yaml / *.yml / *.json files in a directory
// (not recursive: test suites live in a subdirectory).
export async function loadCrdFiles (dir: string): Promise<JsonObject[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter(e => e.isFile() && /\.(ya?ml|json)$/.test(e.name))
    .map(e => e.name)
    .sort()
  const crds: JsonObject[] = []
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8')
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`${name}: ${doc.errors[0].message}`)
      const value: unknown = doc.toJS()
      if (isObject(value) && value.kind === 'CustomResourceDefinition') crds.push(value)
    }
  }
  return crds
}
