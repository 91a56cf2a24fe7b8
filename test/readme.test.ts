import { readFile } from 'node:fs/promises'
import t from 'tap'
import { ConfigSchema } from '../shared/config.ts'

// The README's configuration table is the operator's reference: every variable must be in it.
t.test('every configuration variable is documented in the README', async t => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
  const missing = Object.keys(ConfigSchema.properties).filter(name => !readme.includes(`\`${name}\``))
  t.same(missing, [], `README.md lacks ${missing.join(', ')}`)
})

t.test('the quick start is two commands: start and test', async t => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
  const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  const commands = block.split('\n').map(l => l.replace(/#.*$/, '').trim()).filter(Boolean)
  t.same(commands, ['npm ci && npm start', 'npm test'])
})
