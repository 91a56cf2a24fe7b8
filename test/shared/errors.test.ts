import t from 'tap'
import { ErrorCodes, GatewayError, codeForStatus, problemType } from '../../shared/errors.ts'

t.test('every code carries an HTTP error status and a title', async t => {
  for (const [code, e] of Object.entries(ErrorCodes)) {
    t.match(code, /^GW_ERR_[A-Z_]+$/)
    t.ok(e.status >= 400 && e.status <= 599, `${code} status ${e.status}`)
    t.ok(e.title.length > 0)
  }
})

t.test('statuses map to their generic codes', async t => {
  t.equal(codeForStatus(404), 'GW_ERR_NOT_FOUND')
  t.equal(codeForStatus(409), 'GW_ERR_CONFLICT')
  t.equal(codeForStatus(418), 'GW_ERR_BAD_REQUEST')
  t.equal(codeForStatus(507), 'GW_ERR_INTERNAL')
})

t.test('GatewayError takes status from the table', async t => {
  const err = new GatewayError('GW_ERR_ALREADY_EXISTS', 'cluster a exists', { errors: [{ field: 'body.name', message: 'taken' }] })
  t.equal(err.status, 409)
  t.equal(err.message, 'cluster a exists')
  t.equal(problemType(err.code), '/problems/GW_ERR_ALREADY_EXISTS')
  t.equal(new GatewayError('GW_ERR_INTERNAL').message, 'Internal error')
})
