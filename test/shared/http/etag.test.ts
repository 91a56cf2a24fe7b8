import t from 'tap'
import type { GatewayError } from '../../../shared/errors.ts'
import {
  checkIfMatch, conflictFromKube, etagFor, ifMatchSatisfied, parseIfMatch, resourceVersionFromIfMatch
} from '../../../shared/http/etag.ts'

t.test('etagFor makes a strong entity-tag of a resourceVersion', async t => {
  t.equal(etagFor('12345'), '"12345"')
  t.throws(() => etagFor('a"b'), TypeError)
})

t.test('parseIfMatch handles *, weak tags, lists and repeated headers', async t => {
  t.equal(parseIfMatch(undefined), null)
  t.equal(parseIfMatch(' * '), '*')
  t.same(parseIfMatch('"1"'), [{ weak: false, opaque: '1' }])
  t.same(parseIfMatch('W/"1", "2" ,"3"'), [{ weak: true, opaque: '1' }, { weak: false, opaque: '2' }, { weak: false, opaque: '3' }])
  t.same(parseIfMatch(['"1"', '"2"']), [{ weak: false, opaque: '1' }, { weak: false, opaque: '2' }])
  t.same(parseIfMatch(', "1",,'), [{ weak: false, opaque: '1' }], 'empty list elements are allowed')
  t.same(parseIfMatch('""'), [{ weak: false, opaque: '' }])
  for (const bad of ['1', '"1', 'w/"1"', '"1" "2"', '*, "1"', ',', '', '"a b"']) {
    const err = t.throws(() => parseIfMatch(bad), bad) as GatewayError
    t.equal(err.code, 'GW_ERR_BAD_REQUEST', bad)
    t.equal(err.errors?.[0].field, 'header.if-match')
  }
})

t.test('If-Match uses the strong comparison', async t => {
  t.ok(ifMatchSatisfied(null, undefined), 'no header, no precondition')
  t.ok(ifMatchSatisfied('*', '7'))
  t.notOk(ifMatchSatisfied('*', undefined), '* needs an existing resource')
  t.ok(ifMatchSatisfied(parseIfMatch('"6", "7"'), '7'))
  t.notOk(ifMatchSatisfied(parseIfMatch('W/"7"'), '7'), 'weak tags never match')
  t.notOk(ifMatchSatisfied(parseIfMatch('"6"'), '7'))
})

t.test('checkIfMatch throws 412 with the current version', async t => {
  checkIfMatch(undefined, '7')
  checkIfMatch('"7"', '7')
  const err = t.throws(() => checkIfMatch('"6"', '7')) as GatewayError
  t.equal(err.code, 'GW_ERR_PRECONDITION_FAILED')
  t.equal(err.status, 412)
  t.same(err.extensions, { currentResourceVersion: '7' })
  t.match(err.message, /"7"/)
  const gone = t.throws(() => checkIfMatch('*', undefined)) as GatewayError
  t.equal(gone.status, 412)
  t.same(gone.extensions, { currentResourceVersion: null })
})

t.test('resourceVersionFromIfMatch and conflictFromKube', async t => {
  t.equal(resourceVersionFromIfMatch('"42"'), '42')
  t.equal(resourceVersionFromIfMatch('W/"41", "42"'), '42')
  t.equal(resourceVersionFromIfMatch('"41", "42"'), undefined, 'several candidates: no single precondition')
  t.equal(resourceVersionFromIfMatch('*'), undefined)
  t.equal(resourceVersionFromIfMatch(undefined), undefined)
  const err = conflictFromKube('43')
  t.equal(err.code, 'GW_ERR_CONFLICT')
  t.equal(err.status, 409)
  t.same(err.extensions, { currentResourceVersion: '43' })
  t.equal(conflictFromKube(undefined, 'x').message, 'x')
})
