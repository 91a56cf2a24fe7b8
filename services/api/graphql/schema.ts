import { readdirSync, readFileSync } from 'node:fs'

const dir = new URL('./schema/', import.meta.url)

// The SDL files, common.graphql first (it declares the root types the others extend).
export function loadSchema (): string[] {
  const files = readdirSync(dir).filter(f => f.endsWith('.graphql')).sort((a, b) => a === 'common.graphql' ? -1 : b === 'common.graphql' ? 1 : a.localeCompare(b))
  return files.map(f => readFileSync(new URL(f, dir), 'utf8'))
}
