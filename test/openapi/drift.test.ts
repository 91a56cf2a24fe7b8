import { readFile } from 'node:fs/promises'
import t from 'tap'
import { loadConfig } from '../../shared/config.ts'
import { openApiPath, renderOpenApi } from '../../services/openapi.ts'

t.test('the committed OpenAPI document matches the route schemas', async t => {
  const rendered = await renderOpenApi(loadConfig({}))
  const committed = await readFile(openApiPath, 'utf8')
  t.ok(rendered === committed, 'openapi/openapi.json is out of date: run `npm run openapi` and commit it')
  const doc = JSON.parse(rendered)
  t.equal(doc.openapi, '3.1.0')
  for (const [path, ops] of Object.entries(doc.paths) as Array<[string, Record<string, { responses: object }>]>) {
    for (const [method, op] of Object.entries(ops)) {
      t.ok(Object.keys(op.responses).length > 0, `${method.toUpperCase()} ${path} declares its responses`)
    }
  }
})
