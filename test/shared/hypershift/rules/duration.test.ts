import t from 'tap'
import { formatGoDuration, normalizeGoDuration, parseGoDuration, validateDuration } from '../../../../shared/hypershift/rules/duration.ts'

t.test('parse and format like Go', async t => {
  t.equal(parseGoDuration('30s'), 30000000000n)
  t.equal(parseGoDuration('1h30m'), 5400000000000n)
  t.equal(parseGoDuration('1.5s'), 1500000000n)
  t.equal(parseGoDuration('0'), 0n)
  t.equal(parseGoDuration('-2m'), -120000000000n)
  t.equal(parseGoDuration('10'), null, 'unit required')
  t.equal(parseGoDuration('5 m'), null)
  t.equal(formatGoDuration(0n), '0s')
  t.equal(normalizeGoDuration('30m'), '30m0s')
  t.equal(normalizeGoDuration('1h'), '1h0m0s')
  t.equal(normalizeGoDuration('90s'), '1m30s')
  t.equal(normalizeGoDuration('1.5s'), '1.5s')
  t.equal(normalizeGoDuration('500ms'), '500ms')
  t.equal(normalizeGoDuration('1500us'), '1.5ms')
  t.equal(normalizeGoDuration('250ns'), '250ns')
  t.equal(normalizeGoDuration('-1m'), '-1m0s')
  t.equal(normalizeGoDuration('x'), null)
})

t.test('validateDuration', async t => {
  t.same(validateDuration('30m', 'f'), [])
  t.same(validateDuration('thirty', 'body.nodePool.nodeDrainTimeout'), [{ field: 'body.nodePool.nodeDrainTimeout', message: '"thirty" is not a duration (e.g. 30s, 10m, 1h30m)', constraint: 'format' }])
  t.same(validateDuration('-5s', 'f'), [{ field: 'f', message: 'must not be negative', constraint: 'minimum' }])
})
